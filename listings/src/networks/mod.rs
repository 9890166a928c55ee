//! Part II: network foundations. Code shared by the listings of `networks/`.
pub mod dns;

pub mod arp;
pub mod checksum;
pub mod error;
pub mod ethernet;
pub mod icmp;
pub mod ipv4;
pub mod slip;
pub mod udp;
