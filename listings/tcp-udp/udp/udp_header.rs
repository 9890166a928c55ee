// Decodes one real UDP datagram, captured on this machine's loopback with
// `tcpdump -i lo -xx` while one socket on 127.0.0.1:40000 sent "hello" to
// another on 127.0.0.1:5301, and checks its checksum (RFC 768).

use std::fmt;
use std::net::Ipv4Addr;

// ANCHOR: capture
/// The IPv4 packet as captured (20-byte IPv4 header, then the UDP datagram).
const CAPTURED: &str = "4500 0021 44d6 4000 4011 f7f3 7f00 0001 7f00 0001 \
                        9c40 14b5 000d fe20 6865 6c6c 6f";
// ANCHOR_END: capture

// ANCHOR: header
/// The four 16-bit fields of RFC 768: 8 bytes, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UdpHeader {
    source_port: u16,
    destination_port: u16,
    /// Header plus data, in bytes; at least 8.
    length: u16,
    checksum: u16,
}

#[derive(Debug, PartialEq, Eq)]
enum UdpError {
    /// Fewer than 8 bytes: not even a header.
    Truncated { got: usize },
    /// The length field is below 8 or claims more bytes than we were given.
    BadLength { field: u16, available: usize },
}

impl fmt::Display for UdpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UdpError::Truncated { got } => write!(f, "a UDP header needs 8 bytes, got {got}"),
            UdpError::BadLength { field, available } => {
                write!(
                    f,
                    "length field {field} is invalid for {available} available bytes"
                )
            }
        }
    }
}

impl std::error::Error for UdpError {}

/// Splits a datagram into its header and its data.
fn parse_udp(datagram: &[u8]) -> Result<(UdpHeader, &[u8]), UdpError> {
    let Some(fixed) = datagram.first_chunk::<8>() else {
        return Err(UdpError::Truncated {
            got: datagram.len(),
        });
    };
    let field = |i: usize| u16::from_be_bytes([fixed[i], fixed[i + 1]]);
    let header = UdpHeader {
        source_port: field(0),
        destination_port: field(2),
        length: field(4),
        checksum: field(6),
    };
    let length = usize::from(header.length);
    if length < 8 || length > datagram.len() {
        return Err(UdpError::BadLength {
            field: header.length,
            available: datagram.len(),
        });
    }
    Ok((header, &datagram[8..length]))
}
// ANCHOR_END: header

// ANCHOR: checksum
/// The one's complement sum of RFC 1071, which the book's library implements
/// once for IPv4, ICMP, UDP and TCP: 16-bit big-endian words added with
/// end-around carry, an odd final byte padded with a zero byte.
use listings::networks::checksum::ones_complement_sum;

/// The IPv4 pseudo-header: source, destination, zero, protocol 17, UDP length.
fn pseudo_header(source: Ipv4Addr, destination: Ipv4Addr, udp_length: u16) -> [u8; 12] {
    let mut pseudo = [0u8; 12];
    pseudo[..4].copy_from_slice(&source.octets());
    pseudo[4..8].copy_from_slice(&destination.octets());
    pseudo[9] = 17;
    pseudo[10..].copy_from_slice(&udp_length.to_be_bytes());
    pseudo
}

/// The checksum a sender puts in the header: the complement of the sum over
/// pseudo-header, header (with checksum field 0) and data. A result of 0 is
/// sent as 0xffff, because 0 means "no checksum" in IPv4.
fn udp_checksum(source: Ipv4Addr, destination: Ipv4Addr, datagram: &[u8]) -> u16 {
    let length = u16::try_from(datagram.len()).unwrap_or(u16::MAX);
    let pseudo = pseudo_header(source, destination, length);
    let zero_checksum = [0, 0];
    let sum = ones_complement_sum(&[&pseudo, &datagram[..6], &zero_checksum, &datagram[8..]]);
    match !sum {
        0 => 0xffff,
        checksum => checksum,
    }
}
// ANCHOR_END: checksum

fn captured() -> Vec<u8> {
    listings::hex::parse_hex(CAPTURED).expect("the captured packet is valid hex")
}

// ANCHOR: main
fn main() -> Result<(), UdpError> {
    let packet = captured();
    let (ip_header, datagram) = packet.split_at(20);
    let source = Ipv4Addr::new(ip_header[12], ip_header[13], ip_header[14], ip_header[15]);
    let destination = Ipv4Addr::new(ip_header[16], ip_header[17], ip_header[18], ip_header[19]);
    println!("IPv4: {source} -> {destination}, protocol {}", ip_header[9]);

    let (header, data) = parse_udp(datagram)?;
    println!("source port       {}", header.source_port);
    println!("destination port  {}", header.destination_port);
    println!(
        "length            {} (8 header + {} data)",
        header.length,
        data.len()
    );
    println!("checksum          0x{:04x}", header.checksum);
    println!("data              {:?}", String::from_utf8_lossy(data));

    let pseudo = ones_complement_sum(&[&pseudo_header(source, destination, header.length)]);
    let correct = udp_checksum(source, destination, &datagram[..usize::from(header.length)]);
    println!("pseudo-header sum 0x{pseudo:04x}");
    println!("correct checksum  0x{correct:04x}");
    if header.checksum == correct {
        println!("the checksum field is complete and correct");
    } else if header.checksum == pseudo {
        println!("the field holds only the pseudo-header sum: checksum offload left it unfinished");
    } else {
        println!("the checksum is wrong: a receiver would drop this datagram");
    }
    Ok(())
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_etherparse() {
        let packet = captured();
        let (header, data) = parse_udp(&packet[20..]).unwrap();
        let (theirs, rest) = etherparse::UdpHeader::from_slice(&packet[20..]).unwrap();
        assert_eq!(header.source_port, theirs.source_port);
        assert_eq!(header.destination_port, theirs.destination_port);
        assert_eq!(header.length, theirs.length);
        assert_eq!(header.checksum, theirs.checksum);
        assert_eq!(data, rest);
        let ip = etherparse::Ipv4HeaderSlice::from_slice(&packet[..20])
            .unwrap()
            .to_header();
        let expected = theirs.calc_checksum_ipv4(&ip, data).unwrap();
        let ours = udp_checksum(
            Ipv4Addr::from(ip.source),
            Ipv4Addr::from(ip.destination),
            &packet[20..],
        );
        assert_eq!(ours, expected);
    }

    #[test]
    fn a_correct_checksum_sums_to_all_ones() {
        let mut datagram = captured()[20..].to_vec();
        let (src, dst) = (Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST);
        let checksum = udp_checksum(src, dst, &datagram);
        datagram[6..8].copy_from_slice(&checksum.to_be_bytes());
        let length = u16::try_from(datagram.len()).unwrap();
        assert_eq!(
            ones_complement_sum(&[&pseudo_header(src, dst, length), &datagram]),
            0xffff
        );
    }

    #[test]
    fn hostile_input_is_an_error() {
        assert_eq!(parse_udp(&[1, 2, 3]), Err(UdpError::Truncated { got: 3 }));
        let short_length = [0, 1, 0, 2, 0, 7, 0, 0];
        assert_eq!(
            parse_udp(&short_length),
            Err(UdpError::BadLength {
                field: 7,
                available: 8
            })
        );
        let long_length = [0, 1, 0, 2, 0, 9, 0, 0];
        assert_eq!(
            parse_udp(&long_length),
            Err(UdpError::BadLength {
                field: 9,
                available: 8
            })
        );
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        proptest::proptest!(|(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64))| {
            if let Ok((header, data)) = parse_udp(&bytes) {
                proptest::prop_assert_eq!(usize::from(header.length), data.len() + 8);
            }
        });
    }
}
