//! The IPv4 header (RFC 791 §3.1), without options.

use std::net::Ipv4Addr;

use super::checksum::{internet_checksum, verifies};
use super::error::{ParseError, need};

/// IP protocol numbers (the IANA "Assigned Internet Protocol Numbers").
pub mod protocol {
    pub const ICMP: u8 = 1;
    pub const TCP: u8 = 6;
    pub const UDP: u8 = 17;
}

/// The fields of a 20-byte IPv4 header. `total_length` and `checksum` are
/// computed by [`Ipv4Header::to_bytes`] and checked by [`Ipv4Header::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Header {
    pub dscp_ecn: u8,
    pub identification: u16,
    pub dont_fragment: bool,
    pub more_fragments: bool,
    pub fragment_offset: u16,
    pub ttl: u8,
    pub protocol: u8,
    pub source: Ipv4Addr,
    pub destination: Ipv4Addr,
}

/// What [`Ipv4Header::parse`] read besides the fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Meta {
    pub header_len: usize,
    pub total_length: u16,
    pub checksum: u16,
}

impl Ipv4Header {
    pub const LEN: usize = 20;

    /// A header for an unfragmented datagram with DF set, ID 0 (allowed for
    /// such "atomic" datagrams by RFC 6864 §4.1) and TTL 64.
    pub fn new(protocol: u8, source: Ipv4Addr, destination: Ipv4Addr) -> Ipv4Header {
        Ipv4Header {
            dscp_ecn: 0,
            identification: 0,
            dont_fragment: true,
            more_fragments: false,
            fragment_offset: 0,
            ttl: 64,
            protocol,
            source,
            destination,
        }
    }

    /// The header bytes for a payload of `payload_len` bytes, checksum filled in.
    pub fn to_bytes(&self, payload_len: usize) -> [u8; Self::LEN] {
        let total = u16::try_from(Self::LEN + payload_len)
            .expect("an IPv4 datagram is at most 65535 bytes");
        let flags_frag = (u16::from(self.dont_fragment) << 14)
            | (u16::from(self.more_fragments) << 13)
            | (self.fragment_offset & 0x1fff);
        let mut h = [0u8; Self::LEN];
        h[0] = 0x45; // version 4, IHL 5 words (20 bytes, no options)
        h[1] = self.dscp_ecn;
        h[2..4].copy_from_slice(&total.to_be_bytes());
        h[4..6].copy_from_slice(&self.identification.to_be_bytes());
        h[6..8].copy_from_slice(&flags_frag.to_be_bytes());
        h[8] = self.ttl;
        h[9] = self.protocol;
        // h[10..12], the checksum, stays zero while it is computed.
        h[12..16].copy_from_slice(&self.source.octets());
        h[16..20].copy_from_slice(&self.destination.octets());
        let checksum = internet_checksum(&[&h]);
        h[10..12].copy_from_slice(&checksum.to_be_bytes());
        h
    }

    /// Parses and verifies a header; returns it with the datagram's payload
    /// (cut at the total length, so Ethernet padding is dropped).
    pub fn parse(datagram: &[u8]) -> Result<(Ipv4Header, Ipv4Meta, &[u8]), ParseError> {
        let h = need("IPv4", datagram, Self::LEN)?;
        let version = h[0] >> 4;
        if version != 4 {
            return Err(ParseError::Unsupported {
                layer: "IPv4",
                field: "version",
                value: version.into(),
            });
        }
        let header_len = usize::from(h[0] & 0x0f) * 4;
        if header_len < Self::LEN {
            return Err(ParseError::Unsupported {
                layer: "IPv4",
                field: "header length",
                value: header_len as u32,
            });
        }
        let total_length = u16::from_be_bytes([h[2], h[3]]);
        let whole = need("IPv4", datagram, usize::from(total_length).max(header_len))?;
        let header_bytes = &whole[..header_len];
        let checksum = u16::from_be_bytes([h[10], h[11]]);
        if !verifies(&[header_bytes]) {
            let mut zeroed = header_bytes.to_vec();
            zeroed[10..12].fill(0);
            return Err(ParseError::BadChecksum {
                layer: "IPv4",
                found: checksum,
                expected: internet_checksum(&[&zeroed]),
            });
        }
        let flags_frag = u16::from_be_bytes([h[6], h[7]]);
        let header = Ipv4Header {
            dscp_ecn: h[1],
            identification: u16::from_be_bytes([h[4], h[5]]),
            dont_fragment: flags_frag & 0x4000 != 0,
            more_fragments: flags_frag & 0x2000 != 0,
            fragment_offset: flags_frag & 0x1fff,
            ttl: h[8],
            protocol: h[9],
            source: Ipv4Addr::new(h[12], h[13], h[14], h[15]),
            destination: Ipv4Addr::new(h[16], h[17], h[18], h[19]),
        };
        let meta = Ipv4Meta {
            header_len,
            total_length,
            checksum,
        };
        Ok((header, meta, &whole[header_len..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Ipv4Header {
        Ipv4Header::new(
            protocol::UDP,
            Ipv4Addr::new(192, 0, 2, 1),
            Ipv4Addr::new(192, 0, 2, 2),
        )
    }

    #[test]
    fn round_trip_and_checksum() {
        let mut d = sample().to_bytes(4).to_vec();
        d.extend_from_slice(&[1, 2, 3, 4]);
        let (h, meta, payload) = Ipv4Header::parse(&d).unwrap();
        assert_eq!(h, sample());
        assert_eq!(meta.total_length, 24);
        assert_eq!(payload, [1, 2, 3, 4]);
        d[8] = 63; // a router decremented TTL but forgot the checksum
        assert!(matches!(
            Ipv4Header::parse(&d),
            Err(ParseError::BadChecksum { .. })
        ));
    }

    #[test]
    fn hostile_headers_are_errors() {
        assert!(Ipv4Header::parse(&[]).is_err());
        assert!(Ipv4Header::parse(&[0x65; 20]).is_err()); // version 6
        assert!(Ipv4Header::parse(&[0x41; 20]).is_err()); // IHL 1
        let mut d = sample().to_bytes(100).to_vec(); // claims 120 bytes, has 20
        assert!(matches!(
            Ipv4Header::parse(&d),
            Err(ParseError::Truncated { .. })
        ));
        d[0] = 0x4f; // IHL 15: 60 bytes of header
        assert!(Ipv4Header::parse(&d).is_err());
    }

    #[test]
    fn agrees_with_etherparse() {
        let ours = sample().to_bytes(13);
        let mut theirs = etherparse::Ipv4Header::new(
            13,
            64,
            etherparse::IpNumber::UDP,
            [192, 0, 2, 1],
            [192, 0, 2, 2],
        )
        .unwrap();
        theirs.header_checksum = theirs.calc_header_checksum();
        assert_eq!(ours.to_vec(), theirs.to_bytes().to_vec());
    }
}
