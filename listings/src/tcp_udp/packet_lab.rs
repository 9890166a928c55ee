//! The packet lab, from its own crate (`packetlab/`, which also compiles to
//! WebAssembly for the book's pages): smoltcp on an in-memory wire with a
//! virtual clock. The tests here keep the book's generated files true.

pub use packetlab::{
    CLIENT_ADDR, CLIENT_PORT, Ctx, DecodeError, Event, Lab, LabConfig, LabError, Options, Row,
    SERVER_ADDR, SERVER_PORT, Segment, Side, State, Trace, decode, experiment, pcap, render,
    scenarios, trace_from_capture,
};

#[cfg(test)]
mod goldens;
