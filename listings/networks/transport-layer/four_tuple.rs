// Ephemeral ports and the 4-tuple: bind port number zero and read back the
// port the kernel chose, then open two connections to one listener and
// compare what identifies each.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(5);

/// `/proc/sys/net/ipv4/ip_local_port_range`: the ports Linux hands out when
/// a program asks for port number zero or connects without binding.
fn ephemeral_range() -> io::Result<std::ops::RangeInclusive<u16>> {
    let text = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")?;
    let bounds: Vec<u16> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match bounds[..] {
        [low, high] => Ok(low..=high),
        _ => Err(io::Error::new(io::ErrorKind::InvalidData, text)),
    }
}

/// (local IP, local port, remote IP, remote port), as one side sees it.
fn four_tuple(local: SocketAddr, remote: SocketAddr) -> (SocketAddr, SocketAddr) {
    (local, remote)
}

fn differences(a: (SocketAddr, SocketAddr), b: (SocketAddr, SocketAddr)) -> Vec<&'static str> {
    let mut out = Vec::new();
    if a.0.ip() != b.0.ip() {
        out.push("client IP");
    }
    if a.0.port() != b.0.port() {
        out.push("client port");
    }
    if a.1.ip() != b.1.ip() {
        out.push("server IP");
    }
    if a.1.port() != b.1.port() {
        out.push("server port");
    }
    out
}

// ANCHOR: main
#[tokio::main]
async fn main() -> io::Result<()> {
    let range = ephemeral_range()?;

    // Port number zero means "any free port"; local_addr() tells us which.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let server = listener.local_addr()?;
    println!("listener bound to {server}");
    println!(
        "  its port is in ip_local_port_range: {}",
        range.contains(&server.port())
    );

    // Two clients connect to the same listener. Neither binds: connect()
    // picks an ephemeral source port for each.
    let mut seen = Vec::new();
    for n in 1..=2 {
        let client = timeout(WAIT, TcpStream::connect(server)).await??;
        let (accepted, peer) = timeout(WAIT, listener.accept()).await??;
        let from_client = four_tuple(client.local_addr()?, client.peer_addr()?);
        let from_server = four_tuple(peer, accepted.local_addr()?); // written client-first
        println!("connection {n}: {} -> {}", from_client.0, from_client.1);
        println!(
            "  the server's accept() sees the same 4-tuple: {}",
            from_client == from_server
        );
        println!(
            "  client port is in ip_local_port_range: {}",
            range.contains(&from_client.0.port())
        );
        seen.push((from_client, client, accepted));
    }
    let diff = differences(seen[0].0, seen[1].0);
    println!("the two 4-tuples differ only in: {}", diff.join(", "));

    // UDP has ports too, from the same range, but no connection to identify.
    let udp = UdpSocket::bind("127.0.0.1:0").await?;
    println!(
        "a UDP socket's port is in ip_local_port_range: {}",
        range.contains(&udp.local_addr()?.port())
    );
    Ok(())
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_client_port_differs() {
        let a = four_tuple(
            "127.0.0.1:40000".parse().unwrap(),
            "127.0.0.1:8080".parse().unwrap(),
        );
        let b = four_tuple(
            "127.0.0.1:40001".parse().unwrap(),
            "127.0.0.1:8080".parse().unwrap(),
        );
        assert_eq!(differences(a, b), ["client port"]);
        assert!(differences(a, a).is_empty());
    }

    #[test]
    fn range_is_sane() {
        let r = ephemeral_range().unwrap();
        assert!(r.start() <= r.end() && *r.start() >= 1024);
    }
}
