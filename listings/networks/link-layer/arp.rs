// An ARP request and its reply (RFC 826), built and parsed by hand and
// framed in Ethernet II. Host A knows B's IPv4 address and needs B's MAC.

use std::net::Ipv4Addr;

use listings::hex::hex_lines;
use listings::networks::arp::{ArpOp, ArpPacket};
use listings::networks::error::ParseError;
use listings::networks::ethernet::{self, EthernetHeader, MacAddr, ethertype};

const A_MAC: MacAddr = MacAddr([0x00, 0x00, 0x5e, 0x00, 0x53, 0x01]);
const A_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const B_MAC: MacAddr = MacAddr([0x00, 0x00, 0x5e, 0x00, 0x53, 0x02]);
const B_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);

// ANCHOR: exchange
/// A broadcasts "who has B_IP?"; B, and only B, answers to A directly.
fn exchange() -> (Vec<u8>, Vec<u8>) {
    let request = ArpPacket::request(A_MAC, A_IP, B_IP);
    let to_everyone = EthernetHeader {
        destination: MacAddr::BROADCAST,
        source: A_MAC,
        ethertype: ethertype::ARP,
    };
    let request_frame = ethernet::frame(&to_everyone, &request.to_bytes());

    let reply = ArpPacket::reply_to(&request, B_MAC);
    let to_a = EthernetHeader {
        destination: A_MAC,
        source: B_MAC,
        ethertype: ethertype::ARP,
    };
    let reply_frame = ethernet::frame(&to_a, &reply.to_bytes());
    (request_frame, reply_frame)
}

/// What any station on the link does with a frame it receives.
fn describe(frame: &[u8]) -> Result<String, ParseError> {
    let (eth, payload) = EthernetHeader::parse(frame)?;
    let arp = ArpPacket::parse(payload)?;
    let what = match arp.op {
        ArpOp::Request => format!("who has {}? tell {}", arp.target_ip, arp.sender_ip),
        ArpOp::Reply => format!("{} is at {}", arp.sender_ip, arp.sender_mac),
    };
    Ok(format!(
        "{} -> {}, EtherType 0x{:04x}, ARP op {} ({:?}): {what}\n    sender {} {}, target {} {}",
        eth.source,
        eth.destination,
        eth.ethertype,
        arp.op.code(),
        arp.op,
        arp.sender_mac,
        arp.sender_ip,
        arp.target_mac,
        arp.target_ip,
    ))
}
// ANCHOR_END: exchange

fn main() -> Result<(), ParseError> {
    let (request, reply) = exchange();
    for (name, frame) in [("request", &request), ("reply", &reply)] {
        println!("{name}: {} bytes (28 of ARP, 18 of padding)", frame.len());
        println!("{}", hex_lines(frame, 14, "    "));
        println!("  {}", describe(frame)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::{ArpOperation, LinkSlice, NetSlice, SlicedPacket};

    fn etherparse_arp(frame: &[u8]) -> etherparse::ArpEthIpv4Packet {
        let p = SlicedPacket::from_ethernet(frame).unwrap();
        let Some(LinkSlice::Ethernet2(eth)) = p.link else {
            panic!("not Ethernet II")
        };
        assert_eq!(eth.ether_type(), etherparse::EtherType::ARP);
        let Some(NetSlice::Arp(arp)) = p.net else {
            panic!("not ARP")
        };
        arp.to_packet().try_eth_ipv4().unwrap()
    }

    #[test]
    fn etherparse_agrees_with_our_frames() {
        let (request, reply) = exchange();
        let req = etherparse_arp(&request);
        assert_eq!(req.operation, ArpOperation::REQUEST);
        assert_eq!((req.sender_mac, req.target_mac), (A_MAC.0, [0; 6]));
        assert_eq!(req.target_ipv4, B_IP.octets());
        let rep = etherparse_arp(&reply);
        assert_eq!(rep.operation, ArpOperation::REPLY);
        assert_eq!((rep.sender_mac, rep.sender_ipv4), (B_MAC.0, B_IP.octets()));
        assert_eq!((rep.target_mac, rep.target_ipv4), (A_MAC.0, A_IP.octets()));
    }

    #[test]
    fn request_is_broadcast_reply_is_unicast() {
        let (request, reply) = exchange();
        assert_eq!(request[..6], [0xff; 6]);
        assert_eq!(reply[..6], A_MAC.0);
        assert_eq!((request.len(), reply.len()), (60, 60));
    }

    #[test]
    fn truncated_frames_are_errors() {
        let (request, _) = exchange();
        assert!(describe(&request[..14 + 27]).is_err());
    }
}
