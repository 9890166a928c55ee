// Decodes a SYN that Linux sent on this book's build machine, captured on the
// loopback interface with `tcpdump -i lo -x -nn -v` while a client connected
// to a listener on 127.0.0.1. tcpdump summarised it as:
//
//   127.0.0.1.48998 > 127.0.0.1.47011: Flags [S], cksum 0xfe30 (incorrect -> 0x52f3),
//   seq 2020747507, win 65495, options [mss 65495,sackOK,TS val 2859416108 ecr 0,nop,wscale 10]
//
// (The "incorrect" checksum is checksum offload: Linux leaves the checksum
// for the network card to complete, and on loopback nothing completes it.)

use std::process::ExitCode;

use listings::tcp_udp::tcp_header_cli as cli;

// ANCHOR: capture
/// The TCP header: bytes 20 to 59 of the captured IPv4 packet.
const LINUX_SYN: &str = "bf66 b7a3 7872 28f3 0000 0000 a002 ffd7 fe30 0000 \
                         0204 ffd7 0402 080a aa6f 3a2c 0000 0000 0103 030a";
// ANCHOR_END: capture

fn main() -> ExitCode {
    cli::decode_all(&[("Linux loopback SYN".to_owned(), LINUX_SYN.to_owned())]).emit()
}

#[cfg(test)]
mod tests {
    use listings::hex::parse_hex;
    use listings::tcp_udp::tcp_header::{TcpHeader, TcpOption};

    #[test]
    fn agrees_with_tcpdump() {
        let bytes = parse_hex(super::LINUX_SYN).unwrap();
        let (h, _) = TcpHeader::parse(&bytes).unwrap();
        assert_eq!((h.source_port, h.destination_port), (48998, 47011));
        assert_eq!(
            (h.sequence_number, h.window, h.header_len()),
            (2020747507, 65495, 40)
        );
        assert_eq!(
            h.options,
            [
                TcpOption::MaximumSegmentSize(65495),
                TcpOption::SackPermitted,
                TcpOption::Timestamps {
                    value: 2859416108,
                    echo_reply: 0
                },
                TcpOption::NoOperation,
                TcpOption::WindowScale(10),
            ]
        );
    }
}
