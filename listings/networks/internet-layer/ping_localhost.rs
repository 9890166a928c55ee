// A real ping of 127.0.0.1 without root, through a Linux ICMP datagram
// socket, where `net.ipv4.ping_group_range` allows it. Where it does not,
// the listing says why: the sysctl, our groups, and the kernel's error.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use listings::networks::icmp::{Echo, EchoKind};
use socket2::{Domain, Protocol, Socket, Type};

const RANGE_FILE: &str = "/proc/sys/net/ipv4/ping_group_range";

// ANCHOR: groups
/// The sysctl holds two group ids, "low high"; a process may open an ICMP
/// datagram socket if its effective group or a supplementary group is in
/// `low..=high`. The boot default `1 0` is an empty range: nobody may.
fn ping_group_range() -> io::Result<(u32, u32)> {
    let text = std::fs::read_to_string(RANGE_FILE)?;
    let mut ids = text.split_whitespace().map(str::parse::<u32>);
    match (ids.next(), ids.next()) {
        (Some(Ok(low)), Some(Ok(high))) => Ok((low, high)),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{RANGE_FILE}: {text:?}"),
        )),
    }
}

/// Our effective group id and supplementary groups, from /proc/self/status.
fn our_groups() -> io::Result<Vec<u32>> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let field = |name: &str| -> Vec<u32> {
        let line = status.lines().find(|l| l.starts_with(name)).unwrap_or("");
        line[name.len().min(line.len())..]
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    let mut groups: Vec<u32> = field("Gid:").into_iter().skip(1).take(1).collect(); // real, EFFECTIVE, saved, fs
    groups.extend(field("Groups:"));
    Ok(groups)
}
// ANCHOR_END: groups

// ANCHOR: ping
/// Sends one Echo Request to 127.0.0.1 and waits at most two seconds for the reply.
fn ping_once() -> io::Result<Echo> {
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::ICMPV4))?;
    let socket: UdpSocket = socket.into(); // same send/recv calls as UDP, no unsafe
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    let request = Echo {
        kind: EchoKind::Request,
        identifier: 0,
        sequence: 1,
        data: b"hello from rust".to_vec(),
    };
    // The kernel fills in the identifier (it plays the role of a port) and the checksum.
    socket.send_to(&request.to_bytes(), SocketAddr::from(([127, 0, 0, 1], 0)))?;
    let mut buf = [0u8; 1500];
    let n = socket.recv(&mut buf)?; // the ICMP message, without the IP header
    Echo::parse(&buf[..n]).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}
// ANCHOR_END: ping

fn report() -> io::Result<(bool, io::Result<Echo>)> {
    let (low, high) = ping_group_range()?;
    let allowed = our_groups()?.iter().any(|g| (low..=high).contains(g));
    println!("{RANGE_FILE}: {low} {high}");
    if low > high {
        println!("  an empty range ({low} > {high}): no group may open ICMP datagram sockets");
    }
    println!("  our effective or supplementary group is inside it: {allowed}");
    let outcome = ping_once();
    match &outcome {
        Ok(reply) => println!(
            "ping 127.0.0.1: {:?}, sequence {}, data {:?}, checksum verified",
            reply.kind,
            reply.sequence,
            String::from_utf8_lossy(&reply.data)
        ),
        Err(e) => {
            println!(
                "socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) failed: {:?}, {e}",
                e.kind()
            );
            println!(
                "  so this listing cannot ping without privileges here; root may allow it with"
            );
            println!("  sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"");
        }
    }
    Ok((allowed, outcome))
}

fn main() -> io::Result<()> {
    report().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No silent skip: whichever way the sysctl is set, the outcome must match it.
    #[test]
    fn outcome_matches_the_sysctl() {
        let (allowed, outcome) = report().unwrap();
        match (allowed, outcome) {
            (true, Ok(reply)) => {
                assert_eq!(reply.kind, EchoKind::Reply);
                assert_eq!(
                    (reply.sequence, &reply.data[..]),
                    (1, &b"hello from rust"[..])
                );
            }
            (false, Err(e)) => assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{e}"),
            (allowed, outcome) => panic!("group allowed = {allowed}, but ping gave {outcome:?}"),
        }
    }

    #[test]
    fn groups_are_read() {
        assert!(!our_groups().unwrap().is_empty());
    }
}
