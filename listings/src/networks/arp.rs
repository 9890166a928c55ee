//! ARP for IPv4 over Ethernet (RFC 826): "who has this IP address?"

use std::net::Ipv4Addr;

use super::error::{ParseError, need};
use super::ethernet::{MacAddr, ethertype};

/// `ar$op`: 1 is a request, 2 a reply (RFC 826, "Packet format").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArpOp {
    Request,
    Reply,
}

impl ArpOp {
    pub fn code(self) -> u16 {
        match self {
            ArpOp::Request => 1,
            ArpOp::Reply => 2,
        }
    }
}

/// An ARP packet whose hardware is Ethernet and whose protocol is IPv4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArpPacket {
    pub op: ArpOp,
    pub sender_mac: MacAddr,
    pub sender_ip: Ipv4Addr,
    pub target_mac: MacAddr,
    pub target_ip: Ipv4Addr,
}

/// `ar$hrd` for Ethernet.
pub const HARDWARE_ETHERNET: u16 = 1;

impl ArpPacket {
    pub const LEN: usize = 28;

    /// "Who has `target_ip`? Tell `sender_ip`." The target MAC is unknown, so zero.
    pub fn request(sender_mac: MacAddr, sender_ip: Ipv4Addr, target_ip: Ipv4Addr) -> ArpPacket {
        ArpPacket {
            op: ArpOp::Request,
            sender_mac,
            sender_ip,
            target_mac: MacAddr::ZERO,
            target_ip,
        }
    }

    /// The answer an interface that owns `request.target_ip` sends back: it
    /// swaps the sender and target fields and fills in its own MAC.
    pub fn reply_to(request: &ArpPacket, my_mac: MacAddr) -> ArpPacket {
        ArpPacket {
            op: ArpOp::Reply,
            sender_mac: my_mac,
            sender_ip: request.target_ip,
            target_mac: request.sender_mac,
            target_ip: request.sender_ip,
        }
    }

    pub fn to_bytes(&self) -> [u8; Self::LEN] {
        let mut p = [0u8; Self::LEN];
        p[0..2].copy_from_slice(&HARDWARE_ETHERNET.to_be_bytes());
        p[2..4].copy_from_slice(&ethertype::IPV4.to_be_bytes());
        p[4] = 6; // ar$hln: hardware address length
        p[5] = 4; // ar$pln: protocol address length
        p[6..8].copy_from_slice(&self.op.code().to_be_bytes());
        p[8..14].copy_from_slice(&self.sender_mac.0);
        p[14..18].copy_from_slice(&self.sender_ip.octets());
        p[18..24].copy_from_slice(&self.target_mac.0);
        p[24..28].copy_from_slice(&self.target_ip.octets());
        p
    }

    /// Parses an Ethernet/IPv4 ARP packet; trailing Ethernet padding is ignored.
    pub fn parse(bytes: &[u8]) -> Result<ArpPacket, ParseError> {
        let p = need("ARP", bytes, Self::LEN)?;
        let field = |at: usize| u16::from_be_bytes([p[at], p[at + 1]]);
        let unsupported = |field, value: u32| ParseError::Unsupported {
            layer: "ARP",
            field,
            value,
        };
        if field(0) != HARDWARE_ETHERNET {
            return Err(unsupported("hardware type", field(0).into()));
        }
        if field(2) != ethertype::IPV4 {
            return Err(unsupported("protocol type", field(2).into()));
        }
        if p[4] != 6 || p[5] != 4 {
            return Err(unsupported(
                "address length",
                u32::from(p[4]) << 8 | u32::from(p[5]),
            ));
        }
        let op = match field(6) {
            1 => ArpOp::Request,
            2 => ArpOp::Reply,
            other => return Err(unsupported("operation", other.into())),
        };
        let mac = |at: usize| MacAddr(p[at..at + 6].try_into().expect("6 bytes"));
        let ip = |at: usize| Ipv4Addr::new(p[at], p[at + 1], p[at + 2], p[at + 3]);
        Ok(ArpPacket {
            op,
            sender_mac: mac(8),
            sender_ip: ip(14),
            target_mac: mac(18),
            target_ip: ip(24),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn agrees_with_etherparse_both_ways() {
        let req = ArpPacket::request(
            MacAddr([0, 0, 0x5e, 0, 0x53, 1]),
            Ipv4Addr::new(192, 0, 2, 1),
            Ipv4Addr::new(192, 0, 2, 2),
        );
        let theirs = etherparse::ArpPacket::from_slice(&req.to_bytes())
            .unwrap()
            .try_eth_ipv4()
            .unwrap();
        assert_eq!(theirs.operation, etherparse::ArpOperation::REQUEST);
        assert_eq!(theirs.sender_mac, req.sender_mac.0);
        assert_eq!(theirs.target_ipv4, req.target_ip.octets());
        let theirs_bytes = etherparse::ArpEthIpv4Packet {
            operation: etherparse::ArpOperation::REPLY,
            sender_mac: [0, 0, 0x5e, 0, 0x53, 2],
            sender_ipv4: [192, 0, 2, 2],
            target_mac: [0, 0, 0x5e, 0, 0x53, 1],
            target_ipv4: [192, 0, 2, 1],
        }
        .to_bytes();
        let reply = ArpPacket::parse(&theirs_bytes).unwrap();
        assert_eq!(
            reply,
            ArpPacket::reply_to(&req, MacAddr([0, 0, 0x5e, 0, 0x53, 2]))
        );
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = ArpPacket::parse(&bytes);
        }
    }
}
