// Exercise: reliable delivery over UDP, the simplest way. UDP may lose a
// datagram (RFC 768 promises no delivery), so the sender numbers each
// message, waits for its acknowledgement, and sends it again after a
// timeout: stop-and-wait with a one-bit sequence number (the alternating-bit
// protocol). Loss is injected by the receiver, on 127.0.0.1 only.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::thread::JoinHandle;
use std::time::Duration;

// ANCHOR: solution
/// Sends every message, in order, each as one datagram `[seq, bytes...]`
/// with `seq` = 0, 1, 0, 1, ... It then waits up to `rto` for the ACK, the
/// one-byte datagram `[seq]`, and sends the same datagram again if none
/// came; an ACK with the other `seq` is a stale one and is ignored. Gives
/// up with `TimedOut` after `tries` sends of one message. Returns how many
/// datagrams it sent in all.
pub fn send_all(
    socket: &UdpSocket,
    peer: SocketAddr,
    messages: &[&[u8]],
    rto: Duration,
    tries: u32,
) -> io::Result<u32> {
    // ANCHOR: todo
    socket.set_read_timeout(Some(rto))?;
    let mut sent = 0;
    for (i, message) in messages.iter().enumerate() {
        let seq = (i % 2) as u8;
        let mut datagram = vec![seq];
        datagram.extend_from_slice(message);
        let mut acked = false;
        for _ in 0..tries {
            socket.send_to(&datagram, peer)?;
            sent += 1;
            if wait_for_ack(socket, peer, seq)? {
                acked = true;
                break;
            }
        }
        if !acked {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "no ACK"));
        }
    }
    Ok(sent)
    // ANCHOR_END: todo
}

// ANCHOR: hide
/// Reads until the ACK for `seq` arrives (true) or a read times out (false).
/// Stale ACKs and datagrams from elsewhere are skipped; the number of
/// datagrams read is bounded.
fn wait_for_ack(socket: &UdpSocket, peer: SocketAddr, seq: u8) -> io::Result<bool> {
    let mut buf = [0u8; 16];
    for _ in 0..64 {
        match socket.recv_from(&mut buf) {
            Ok((1, from)) if from == peer && buf[0] == seq => return Ok(true),
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(false);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}
// ANCHOR_END: hide
// ANCHOR_END: solution

/// Which arrivals the receiver pretends the network lost.
#[derive(Clone, Default)]
pub struct Loss {
    /// Data datagrams to drop, counted from 0 in order of arrival.
    pub data: Vec<usize>,
    /// ACKs to drop, counted from 0 in the order the receiver would send them.
    pub acks: Vec<usize>,
}

/// The receiver: delivers each message once and in order, ACKs every data
/// datagram it keeps (again for a duplicate), and stops once it has
/// delivered `count` messages and heard nothing for 300 ms (or after 6 s
/// of silence, whatever it delivered).
pub fn start_receiver(
    count: usize,
    loss: Loss,
) -> io::Result<(SocketAddr, JoinHandle<Vec<Vec<u8>>>)> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    socket.set_read_timeout(Some(Duration::from_millis(300)))?;
    let addr = socket.local_addr()?;
    let handle = std::thread::spawn(move || {
        let mut delivered = Vec::new();
        let (mut arrivals, mut acks, mut expected, mut idle) = (0, 0, 0u8, 0);
        let mut buf = [0u8; 2048];
        // Bounded: 10,000 datagrams, or 20 quiet periods (6 s) in a row.
        for _ in 0..10_000 {
            let (n, from) = match socket.recv_from(&mut buf) {
                Ok(got) => got,
                Err(_) if delivered.len() >= count || idle >= 20 => break,
                Err(_) => {
                    idle += 1;
                    continue;
                }
            };
            idle = 0;
            let arrival = arrivals;
            arrivals += 1;
            if n == 0 || loss.data.contains(&arrival) {
                continue;
            }
            if buf[0] == expected {
                delivered.push(buf[1..n].to_vec());
                expected ^= 1;
            }
            let ack = acks;
            acks += 1;
            if !loss.acks.contains(&ack) {
                let _ = socket.send_to(&buf[..1], from);
            }
        }
        delivered
    });
    Ok((addr, handle))
}

fn main() -> io::Result<()> {
    let messages: [&[u8]; 4] = [b"one", b"two", b"three", b"four"];
    let loss = Loss {
        data: vec![1],
        acks: vec![2],
    };
    let (peer, receiver) = start_receiver(messages.len(), loss)?;
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    let sent = send_all(&socket, peer, &messages, Duration::from_millis(100), 10)?;
    let delivered = receiver.join().expect("receiver thread");
    println!("lost: the 2nd data datagram and the 3rd ACK");
    println!("sent at least 6 datagrams for 4 messages: {}", sent >= 6);
    for m in delivered {
        println!("delivered {:?}", String::from_utf8_lossy(&m));
    }
    Ok(())
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    const RTO: Duration = Duration::from_millis(100);
    const MESSAGES: [&[u8]; 5] = [b"a", b"bb", b"", b"dddd", b"e"];

    fn transfer(loss: Loss) -> (u32, Vec<Vec<u8>>) {
        let (peer, receiver) = start_receiver(MESSAGES.len(), loss).unwrap();
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let sent = send_all(&socket, peer, &MESSAGES, RTO, 20).unwrap();
        (sent, receiver.join().unwrap())
    }

    fn expected() -> Vec<Vec<u8>> {
        MESSAGES.iter().map(|m| m.to_vec()).collect()
    }

    #[test]
    fn without_loss_everything_arrives_in_order() {
        let (sent, delivered) = transfer(Loss::default());
        assert_eq!(delivered, expected());
        assert!(sent >= 5);
    }

    #[test]
    fn lost_data_is_sent_again() {
        let (sent, delivered) = transfer(Loss {
            data: vec![0, 2, 3],
            acks: vec![],
        });
        assert_eq!(delivered, expected());
        assert!(sent >= 8, "three losses need three more sends, sent {sent}");
    }

    #[test]
    fn lost_acks_cause_duplicates_that_are_delivered_once() {
        let (sent, delivered) = transfer(Loss {
            data: vec![],
            acks: vec![0, 1, 4],
        });
        assert_eq!(delivered, expected());
        assert!(
            sent >= 8,
            "three lost ACKs need three more sends, sent {sent}"
        );
    }

    #[test]
    fn a_silent_peer_is_a_timeout_not_a_hang() {
        let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let peer = silent.local_addr().unwrap();
        let err = send_all(&socket, peer, &[b"hello"], Duration::from_millis(20), 3).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        // Exactly `tries` sends reached the silent peer.
        silent
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut buf = [0u8; 16];
        let mut seen = 0;
        while silent.recv_from(&mut buf).is_ok() {
            seen += 1;
        }
        assert_eq!(seen, 3);
    }
}
// ANCHOR_END: tests
