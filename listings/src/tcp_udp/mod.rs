//! Part III: TCP and UDP. Code shared by the listings of `tcp-udp/`.
pub mod capstone;
pub mod handshake_sim;
pub mod packet_lab;
pub use packetlab::tcp_header;
pub mod tcp_header_cli;
#[cfg(test)]
mod tcp_header_tests;
