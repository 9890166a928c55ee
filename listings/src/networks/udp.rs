//! The UDP header (RFC 768) and its checksum over the IPv4 pseudo-header.

use std::net::Ipv4Addr;

use super::checksum::{internet_checksum, verifies};
use super::error::{ParseError, need};
use super::ipv4::protocol;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpHeader {
    pub source_port: u16,
    pub destination_port: u16,
}

/// The 12-byte pseudo-header that the UDP (and TCP) checksum covers in front
/// of the real header: source and destination address, a zero byte, the
/// protocol number and the UDP length. It is never sent.
pub fn pseudo_header(source: Ipv4Addr, destination: Ipv4Addr, proto: u8, length: u16) -> [u8; 12] {
    let mut p = [0u8; 12];
    p[0..4].copy_from_slice(&source.octets());
    p[4..8].copy_from_slice(&destination.octets());
    p[9] = proto;
    p[10..12].copy_from_slice(&length.to_be_bytes());
    p
}

impl UdpHeader {
    pub const LEN: usize = 8;

    /// The header bytes for `payload` sent from `source` to `destination`,
    /// with the checksum over pseudo-header, header and payload filled in.
    pub fn to_bytes(
        &self,
        source: Ipv4Addr,
        destination: Ipv4Addr,
        payload: &[u8],
    ) -> [u8; Self::LEN] {
        let length = u16::try_from(Self::LEN + payload.len())
            .expect("a UDP datagram is at most 65535 bytes");
        let mut h = [0u8; Self::LEN];
        h[0..2].copy_from_slice(&self.source_port.to_be_bytes());
        h[2..4].copy_from_slice(&self.destination_port.to_be_bytes());
        h[4..6].copy_from_slice(&length.to_be_bytes());
        let pseudo = pseudo_header(source, destination, protocol::UDP, length);
        let mut checksum = internet_checksum(&[&pseudo, &h, payload]);
        if checksum == 0 {
            // RFC 768: zero means "no checksum", so a computed zero is sent as all ones.
            checksum = 0xffff;
        }
        h[6..8].copy_from_slice(&checksum.to_be_bytes());
        h
    }

    /// Parses a UDP datagram carried from `source` to `destination`, verifies
    /// its checksum (unless it is zero, "not computed") and returns the payload.
    pub fn parse(
        datagram: &[u8],
        source: Ipv4Addr,
        destination: Ipv4Addr,
    ) -> Result<(UdpHeader, u16, &[u8]), ParseError> {
        let h = need("UDP", datagram, Self::LEN)?;
        let length = u16::from_be_bytes([h[4], h[5]]);
        if usize::from(length) < Self::LEN {
            return Err(ParseError::Unsupported {
                layer: "UDP",
                field: "length",
                value: length.into(),
            });
        }
        let whole = need("UDP", datagram, length.into())?;
        let checksum = u16::from_be_bytes([h[6], h[7]]);
        let pseudo = pseudo_header(source, destination, protocol::UDP, length);
        if checksum != 0 && !verifies(&[&pseudo, whole]) {
            let mut zeroed = whole.to_vec();
            zeroed[6..8].fill(0);
            return Err(ParseError::BadChecksum {
                layer: "UDP",
                found: checksum,
                expected: internet_checksum(&[&pseudo, &zeroed]),
            });
        }
        let header = UdpHeader {
            source_port: u16::from_be_bytes([h[0], h[1]]),
            destination_port: u16::from_be_bytes([h[2], h[3]]),
        };
        Ok((header, checksum, &whole[Self::LEN..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
    const B: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);

    #[test]
    fn round_trip_and_pseudo_header_matters() {
        let h = UdpHeader {
            source_port: 40000,
            destination_port: 9,
        };
        let mut d = h.to_bytes(A, B, b"hello").to_vec();
        d.extend_from_slice(b"hello");
        let (back, _, payload) = UdpHeader::parse(&d, A, B).unwrap();
        assert_eq!((back, payload), (h, &b"hello"[..]));
        // The same bytes "arriving" at another address fail: the pseudo-header catches misdelivery.
        assert!(matches!(
            UdpHeader::parse(&d, A, Ipv4Addr::new(192, 0, 2, 3)),
            Err(ParseError::BadChecksum { .. })
        ));
    }

    #[test]
    fn hostile_lengths_are_errors() {
        assert!(UdpHeader::parse(&[0; 7], A, B).is_err());
        let mut d = [0u8; 8];
        d[4..6].copy_from_slice(&4u16.to_be_bytes());
        assert!(UdpHeader::parse(&d, A, B).is_err());
        d[4..6].copy_from_slice(&9u16.to_be_bytes());
        assert!(UdpHeader::parse(&d, A, B).is_err());
    }

    #[test]
    fn agrees_with_etherparse() {
        let ours = UdpHeader {
            source_port: 40000,
            destination_port: 9,
        }
        .to_bytes(A, B, b"hello");
        let theirs = etherparse::UdpHeader::with_ipv4_checksum(
            40000,
            9,
            &etherparse::Ipv4Header::new(13, 64, etherparse::IpNumber::UDP, A.octets(), B.octets())
                .unwrap(),
            b"hello",
        )
        .unwrap();
        assert_eq!(ours.to_vec(), theirs.to_bytes().to_vec());
    }
}
