// Encapsulation by hand: "hello" in UDP, in IPv4, in an Ethernet II frame,
// then parsed back layer by layer. The addresses are the documentation
// ranges (RFC 5737 for IPv4, RFC 9542 for MAC); nothing is sent anywhere.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use listings::hex::{hex, hex_lines};
use listings::networks::error::ParseError;
use listings::networks::ethernet::{self, EthernetHeader, MacAddr, ethertype};
use listings::networks::ipv4::{Ipv4Header, protocol};
use listings::networks::udp::{UdpHeader, pseudo_header};

const SRC_MAC: MacAddr = MacAddr([0x00, 0x00, 0x5e, 0x00, 0x53, 0x01]);
const DST_MAC: MacAddr = MacAddr([0x00, 0x00, 0x5e, 0x00, 0x53, 0x02]);
const SRC_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const DST_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);
const SRC_PORT: u16 = 50000;
const DST_PORT: u16 = 7;

// ANCHOR: down
/// Goes down the sender's stack: each layer puts its header in front of what
/// the layer above handed it.
fn encapsulate(data: &[u8], log: &mut String) -> Vec<u8> {
    let text = String::from_utf8_lossy(data);
    writeln!(log, "application: {} bytes of data {text:?}", data.len()).unwrap();
    writeln!(log, "    {}", hex(data)).unwrap();

    // Transport layer: the UDP header; its checksum also covers a pseudo-header.
    let udp = UdpHeader {
        source_port: SRC_PORT,
        destination_port: DST_PORT,
    };
    let udp_header = udp.to_bytes(SRC_IP, DST_IP, data);
    let mut segment = udp_header.to_vec();
    segment.extend_from_slice(data);
    let udp_len = segment.len() as u16;
    let pseudo = pseudo_header(SRC_IP, DST_IP, protocol::UDP, udp_len);
    writeln!(
        log,
        "transport: + UDP header, 8 bytes (ports {SRC_PORT} -> {DST_PORT}, length {udp_len})"
    )
    .unwrap();
    writeln!(log, "    {}", hex(&udp_header)).unwrap();
    writeln!(
        log,
        "    checksum 0x{:02x}{:02x} over pseudo-header + header + data;",
        udp_header[6], udp_header[7]
    )
    .unwrap();
    writeln!(log, "    the pseudo-header is never sent: {}", hex(&pseudo)).unwrap();

    // Internet layer: the IPv4 header, with its own header checksum.
    let ip = Ipv4Header::new(protocol::UDP, SRC_IP, DST_IP);
    let ip_header = ip.to_bytes(segment.len());
    let mut packet = ip_header.to_vec();
    packet.extend_from_slice(&segment);
    writeln!(
        log,
        "internet: + IPv4 header, 20 bytes ({SRC_IP} -> {DST_IP}, protocol 17 = UDP, TTL 64)"
    )
    .unwrap();
    writeln!(log, "    {}", hex(&ip_header)).unwrap();
    writeln!(
        log,
        "    total length {}, header checksum 0x{:02x}{:02x}",
        packet.len(),
        ip_header[10],
        ip_header[11]
    )
    .unwrap();

    // Link layer: the Ethernet II header; short payloads are padded to 46 bytes.
    let eth = EthernetHeader {
        destination: DST_MAC,
        source: SRC_MAC,
        ethertype: ethertype::IPV4,
    };
    let frame = ethernet::frame(&eth, &packet);
    let padding = frame.len() - EthernetHeader::LEN - packet.len();
    writeln!(
        log,
        "link: + Ethernet II header, 14 bytes ({SRC_MAC} -> {DST_MAC}, EtherType 0x0800 = IPv4)"
    )
    .unwrap();
    writeln!(log, "    {}", hex(&eth.to_bytes())).unwrap();
    writeln!(
        log,
        "    {padding} bytes of padding bring the payload up to 46 bytes"
    )
    .unwrap();
    frame
}
// ANCHOR_END: down

// ANCHOR: up
/// Goes up the receiver's stack: each layer checks and removes its own header
/// and uses one field of it to choose who gets the rest.
fn decapsulate(frame: &[u8], log: &mut String) -> Result<Vec<u8>, ParseError> {
    let (eth, ip_bytes) = EthernetHeader::parse(frame)?;
    writeln!(
        log,
        "link: {} -> {}, EtherType 0x{:04x}: {} bytes up to IPv4",
        eth.source,
        eth.destination,
        eth.ethertype,
        ip_bytes.len()
    )
    .unwrap();

    let (ip, meta, udp_bytes) = Ipv4Header::parse(ip_bytes)?;
    writeln!(
        log,
        "internet: checksum 0x{:04x} verifies; {} -> {}, protocol {}",
        meta.checksum, ip.source, ip.destination, ip.protocol
    )
    .unwrap();
    writeln!(
        log,
        "    total length {} drops {} bytes of padding: {} bytes up to UDP",
        meta.total_length,
        ip_bytes.len() - usize::from(meta.total_length),
        udp_bytes.len()
    )
    .unwrap();

    let (udp, checksum, data) = UdpHeader::parse(udp_bytes, ip.source, ip.destination)?;
    writeln!(log, "transport: checksum 0x{checksum:04x} verifies; ports {} -> {}: {} bytes up to the application", udp.source_port, udp.destination_port, data.len()).unwrap();
    writeln!(log, "application: {:?}", String::from_utf8_lossy(data)).unwrap();
    Ok(data.to_vec())
}
// ANCHOR_END: up

fn main() -> Result<(), ParseError> {
    let mut log = String::new();
    let frame = encapsulate(b"hello", &mut log);
    println!("Down the sender's stack:");
    print!("{log}");
    println!(
        "\nThe frame on the wire ({} bytes; the card adds preamble and FCS):",
        frame.len()
    );
    println!("{}", hex_lines(&frame, 16, "    "));

    let mut log = String::new();
    decapsulate(&frame, &mut log)?;
    println!("\nUp the receiver's stack:");
    print!("{log}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::{NetSlice, PacketBuilder, SlicedPacket, TransportSlice};

    fn theirs(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        PacketBuilder::ethernet2(SRC_MAC.0, DST_MAC.0)
            .ipv4(SRC_IP.octets(), DST_IP.octets(), 64)
            .udp(SRC_PORT, DST_PORT)
            .write(&mut out, data)
            .unwrap();
        out
    }

    #[test]
    fn our_frame_is_byte_for_byte_etherparse_frame() {
        let ours = encapsulate(b"hello", &mut String::new());
        let theirs = theirs(b"hello");
        // etherparse does not pad; the rest must be identical.
        assert_eq!(ours[..theirs.len()], theirs[..]);
        assert!(ours[theirs.len()..].iter().all(|&b| b == 0));
        assert_eq!(ours.len(), 60);
    }

    #[test]
    fn etherparse_reads_our_frame() {
        let ours = encapsulate(b"hello", &mut String::new());
        let p = SlicedPacket::from_ethernet(&ours).unwrap();
        let Some(NetSlice::Ipv4(ip)) = p.net else {
            panic!("not IPv4")
        };
        assert_eq!(ip.header().source_addr(), SRC_IP);
        assert_eq!(ip.header().total_len(), 33);
        let Some(TransportSlice::Udp(udp)) = p.transport else {
            panic!("not UDP")
        };
        assert_eq!(udp.destination_port(), DST_PORT);
        assert_eq!(udp.payload(), b"hello");
        let expected = etherparse::UdpHeader::with_ipv4_checksum(
            SRC_PORT,
            DST_PORT,
            &ip.header().to_header(),
            b"hello",
        )
        .unwrap();
        assert_eq!(udp.checksum(), expected.checksum);
    }

    #[test]
    fn we_read_etherparse_frames() {
        for data in [&b""[..], b"hello", &[0xab; 1000]] {
            assert_eq!(
                decapsulate(&theirs(data), &mut String::new()).unwrap(),
                data
            );
        }
    }

    #[test]
    fn a_flipped_bit_is_caught() {
        let frame = encapsulate(b"hello", &mut String::new());
        for (at, layer) in [(14 + 8, "IPv4"), (14 + 20 + 8, "UDP")] {
            let mut bad = frame.clone();
            bad[at] ^= 0x01;
            let err = decapsulate(&bad, &mut String::new()).unwrap_err();
            assert!(
                matches!(err, ParseError::BadChecksum { layer: l, .. } if l == layer),
                "{err}"
            );
        }
    }
}
