//! ICMP Echo and Echo Reply (RFC 792), the messages `ping` uses.

use super::checksum::{internet_checksum, verifies};
use super::error::{ParseError, need};

/// ICMP types this module names (RFC 792).
pub mod icmp_type {
    pub const ECHO_REPLY: u8 = 0;
    pub const DESTINATION_UNREACHABLE: u8 = 3;
    pub const ECHO: u8 = 8;
    pub const TIME_EXCEEDED: u8 = 11;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EchoKind {
    Request,
    Reply,
}

/// An Echo (type 8) or Echo Reply (type 0) message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Echo {
    pub kind: EchoKind,
    pub identifier: u16,
    pub sequence: u16,
    pub data: Vec<u8>,
}

impl Echo {
    pub const HEADER_LEN: usize = 8;

    /// The message bytes: type, code 0, checksum over the whole message,
    /// identifier, sequence number, data.
    pub fn to_bytes(&self) -> Vec<u8> {
        let icmp_type = match self.kind {
            EchoKind::Request => icmp_type::ECHO,
            EchoKind::Reply => icmp_type::ECHO_REPLY,
        };
        let mut m = vec![icmp_type, 0, 0, 0];
        m.extend_from_slice(&self.identifier.to_be_bytes());
        m.extend_from_slice(&self.sequence.to_be_bytes());
        m.extend_from_slice(&self.data);
        let checksum = internet_checksum(&[&m]);
        m[2..4].copy_from_slice(&checksum.to_be_bytes());
        m
    }

    /// Parses an Echo or Echo Reply message and verifies its checksum.
    pub fn parse(message: &[u8]) -> Result<Echo, ParseError> {
        let h = need("ICMP", message, Self::HEADER_LEN)?;
        let kind = match h[0] {
            icmp_type::ECHO => EchoKind::Request,
            icmp_type::ECHO_REPLY => EchoKind::Reply,
            other => {
                return Err(ParseError::Unsupported {
                    layer: "ICMP",
                    field: "type",
                    value: other.into(),
                });
            }
        };
        if h[1] != 0 {
            return Err(ParseError::Unsupported {
                layer: "ICMP",
                field: "code",
                value: h[1].into(),
            });
        }
        if !verifies(&[message]) {
            let mut zeroed = message.to_vec();
            zeroed[2..4].fill(0);
            return Err(ParseError::BadChecksum {
                layer: "ICMP",
                found: u16::from_be_bytes([h[2], h[3]]),
                expected: internet_checksum(&[&zeroed]),
            });
        }
        Ok(Echo {
            kind,
            identifier: u16::from_be_bytes([h[4], h[5]]),
            sequence: u16::from_be_bytes([h[6], h[7]]),
            data: message[Self::HEADER_LEN..].to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn agrees_with_etherparse() {
        let ours = Echo {
            kind: EchoKind::Request,
            identifier: 0x1234,
            sequence: 1,
            data: b"abc".to_vec(),
        };
        let header = etherparse::Icmpv4Header::with_checksum(
            etherparse::Icmpv4Type::EchoRequest(etherparse::IcmpEchoHeader { id: 0x1234, seq: 1 }),
            b"abc",
        );
        let mut theirs = header.to_bytes().to_vec();
        theirs.extend_from_slice(b"abc");
        assert_eq!(ours.to_bytes(), theirs);
        let bytes = ours.to_bytes();
        let slice = etherparse::Icmpv4Slice::from_slice(&bytes).unwrap();
        assert_eq!(slice.checksum(), u16::from_be_bytes([theirs[2], theirs[3]]));
    }

    #[test]
    fn corrupted_and_other_types_are_errors() {
        let mut m = Echo {
            kind: EchoKind::Reply,
            identifier: 1,
            sequence: 2,
            data: vec![9; 5],
        }
        .to_bytes();
        assert!(Echo::parse(&m).is_ok());
        m[9] ^= 0x10;
        assert!(matches!(
            Echo::parse(&m),
            Err(ParseError::BadChecksum { .. })
        ));
        m[0] = icmp_type::TIME_EXCEEDED;
        assert!(matches!(
            Echo::parse(&m),
            Err(ParseError::Unsupported { .. })
        ));
    }

    proptest! {
        #[test]
        fn round_trip(identifier: u16, sequence: u16, data in proptest::collection::vec(any::<u8>(), 0..100)) {
            let e = Echo { kind: EchoKind::Request, identifier, sequence, data };
            prop_assert_eq!(Echo::parse(&e.to_bytes()).unwrap(), e);
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = Echo::parse(&bytes);
        }
    }
}
