//! What a run of the lab records: the segments each side sent, the state
//! changes of its sockets and the calls of its application, in order.
//!
//! Both the engine ([`crate::lab`]) and the decoder ([`crate::decode`]) use
//! these types; neither imports the other's internals through them.

use smoltcp::socket::tcp::State;

/// Which end of the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    /// The other end.
    pub fn peer(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }

    /// `client` or `server`.
    pub fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// One IPv4 packet as it left a host, whether or not the wire delivered it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// When it was sent, in microseconds since the start of the run.
    pub at_us: u64,
    /// Who sent it.
    pub from: Side,
    /// The whole IPv4 packet.
    pub bytes: Vec<u8>,
    /// True if the wire dropped it.
    pub lost: bool,
}

/// What happened, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A packet was sent.
    Segment(Segment),
    /// A socket moved from one TCP state to another.
    State {
        at_us: u64,
        side: Side,
        from: State,
        to: State,
    },
    /// What the application did (`connect()`, `send("hi")`, `close()`).
    Note {
        at_us: u64,
        side: Side,
        text: String,
    },
}

/// The record of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub events: Vec<Event>,
}

impl Trace {
    /// Only the segments, in order.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.events.iter().filter_map(|e| match e {
            Event::Segment(s) => Some(s),
            _ => None,
        })
    }
}

/// A short printable form of a payload, for notes and tables.
pub fn preview(data: &[u8]) -> String {
    let mut s = String::from("\"");
    for &b in data.iter().take(12) {
        match b {
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'"' => s.push_str("\\\""),
            0x20..=0x7e => s.push(b as char),
            _ => s.push('.'),
        }
    }
    s.push('"');
    if data.len() > 12 {
        s.push_str("...");
    }
    s
}
