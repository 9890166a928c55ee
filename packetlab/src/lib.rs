//! The packet lab: a real TCP stack (smoltcp) on an in-memory wire, driven by
//! a virtual clock, with every segment recorded.
//!
//! Two smoltcp interfaces, a client at 10.0.0.1 and a server at 10.0.0.2,
//! live inside the process. A [`Lab`] moves their IPv4 packets across a wire
//! with a fixed one-way latency, and it can drop chosen segments. Time is
//! virtual: the lab jumps straight to the next instant at which something
//! happens (a delivery, or a timer of either stack), so a scenario with a
//! 10-second TIME-WAIT finishes in microseconds of real time. A fixed
//! `Config::random_seed` makes the initial sequence numbers, and so every
//! trace, byte-identical from run to run.
//!
//! The book's TCP diagrams, tables, hex dumps and `.pcap` files are generated
//! from these traces ([`scenarios`], [`render`], [`pcap`]), and `cargo test`
//! fails when a committed file no longer matches a fresh run.
//!
//! This crate has no operating-system dependency (no tokio, no I/O, no system
//! clock), so the same code runs in `cargo test`, where `listings` renders the
//! book's golden files through it, and in the reader's browser, compiled to
//! `wasm32-unknown-unknown` ([`experiment`] is what the page runs; `wasm`
//! holds the exports). It also holds the helpers the lab shares with the
//! rest of the book, each the one copy of its kind: [`hex`], [`table`] and
//! the TCP header decoder [`tcp_header`]; `listings` re-exports them.
//!
//! Module graph, without cycles: `trace` (what a run records) is used by
//! `lab` (the engine) and `decode` (bytes to [`Row`]); `lab` uses `decode`
//! for its drop rules; `render` and `pcap` read traces; `experiment` runs an
//! edited scenario and renders it all, and `wasm` hands that to JavaScript.

mod decode;
pub mod experiment;
pub mod hex;
mod lab;
pub mod pcap;
pub mod render;
pub mod scenarios;
pub mod svg;
pub mod table;
pub mod tcp_header;
mod trace;
mod wasm;

pub use decode::{DecodeError, Options, Row, decode, trace_from_capture};
pub use lab::{CLIENT_ADDR, CLIENT_PORT, Ctx, Lab, LabConfig, LabError, SERVER_ADDR, SERVER_PORT};
pub use smoltcp::socket::tcp::State;
pub use trace::{Event, Segment, Side, Trace};
