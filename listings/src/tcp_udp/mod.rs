//! Part III: TCP and UDP. Code shared by the listings of `tcp-udp/`.
pub mod capstone;
pub mod handshake_sim;
pub mod packet_lab;
pub mod tcp_header;
pub mod tcp_header_cli;
