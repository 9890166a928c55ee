//! The eight scenarios the book traces. Each one is a short program: set up
//! the sockets, choose what the wire drops, and say what the two applications
//! do between polls.

use crate::State;
use crate::lab::{Ctx, Lab, LabConfig, LabError, SERVER_PORT};
use crate::tcp_header::Flags;
use crate::trace::{Side, Trace};

/// One scenario: how to run it and which segments its hex dump shows.
pub struct Scenario {
    /// File stem of its generated files.
    pub name: &'static str,
    pub title: &'static str,
    pub run: fn(&LabConfig) -> Result<Trace, LabError>,
    /// Segments (numbered from 1, as in the table) to dump in hex.
    pub dump: &'static [usize],
}

/// Every scenario, in the order of the book.
pub const ALL: [Scenario; 8] = [
    Scenario {
        name: "handshake",
        title: "Three-way handshake",
        run: handshake,
        dump: &[1, 2, 3],
    },
    Scenario {
        name: "data",
        title: "Data both ways",
        run: data_both_ways,
        dump: &[4, 5],
    },
    Scenario {
        name: "close",
        title: "Client-initiated close",
        run: close,
        dump: &[4],
    },
    Scenario {
        name: "rst",
        title: "SYN to a closed port",
        run: rst_closed_port,
        dump: &[2],
    },
    Scenario {
        name: "lost-syn-ack",
        title: "Lost SYN,ACK",
        run: lost_syn_ack,
        dump: &[],
    },
    Scenario {
        name: "backoff",
        title: "Exponential backoff",
        run: backoff,
        dump: &[],
    },
    Scenario {
        name: "lost-data",
        title: "Lost data segment",
        run: lost_data,
        dump: &[],
    },
    Scenario {
        name: "simultaneous-close",
        title: "Simultaneous close",
        run: simultaneous_close,
        dump: &[],
    },
];

/// The scenario whose generated files are named `name`.
pub fn by_name(name: &str) -> Option<&'static Scenario> {
    ALL.iter().find(|s| s.name == name)
}

/// The flags of a SYN and of a SYN,ACK, for drop rules.
pub const SYN: Flags = Flags(Flags::SYN);
pub const SYN_ACK: Flags = Flags(Flags::SYN | Flags::ACK);

/// True when both sides are in `state`: the usual end of a step.
pub fn both(ctx: &Ctx<'_>, state: State) -> bool {
    ctx.state(Side::Client) == state && ctx.state(Side::Server) == state
}

/// A listening server, a connecting client, nothing else.
// ANCHOR: handshake
pub fn handshake(cfg: &LabConfig) -> Result<Trace, LabError> {
    let mut lab = Lab::new(cfg.clone());
    lab.listen()?;
    lab.connect(SERVER_PORT)?;
    lab.run(|ctx| Ok(both(ctx, State::Established)))?;
    Ok(lab.trace())
}
// ANCHOR_END: handshake

/// The client sends a request as soon as it is connected; the server answers
/// as soon as it has read it. Runs until the client has the answer.
fn request_reply(lab: &mut Lab) -> Result<(), LabError> {
    let mut asked = false;
    let mut answered = false;
    lab.run(|ctx| {
        if ctx.state(Side::Client) == State::Established && !asked {
            ctx.send(Side::Client, b"GET /\n")?;
            asked = true;
        }
        if !ctx.recv(Side::Server)?.is_empty() {
            ctx.send(Side::Server, b"200 OK hello\n")?;
        }
        if !ctx.recv(Side::Client)?.is_empty() {
            answered = true;
        }
        Ok(answered)
    })
}

/// A request and its answer, right after the handshake.
pub fn data_both_ways(cfg: &LabConfig) -> Result<Trace, LabError> {
    let mut lab = Lab::new(cfg.clone());
    lab.listen()?;
    lab.connect(SERVER_PORT)?;
    request_reply(&mut lab)?;
    Ok(lab.trace())
}

/// After the handshake the client closes; the server closes as soon as it
/// sees the end of the stream. The client waits out TIME-WAIT.
pub fn close(cfg: &LabConfig) -> Result<Trace, LabError> {
    let mut lab = Lab::new(cfg.clone());
    lab.listen()?;
    lab.connect(SERVER_PORT)?;
    lab.run(|ctx| Ok(both(ctx, State::Established)))?;
    let mut client_closed = false;
    let mut server_closed = false;
    lab.run(|ctx| {
        if !client_closed {
            ctx.close(Side::Client)?;
            client_closed = true;
        }
        if ctx.state(Side::Server) == State::CloseWait && !server_closed {
            ctx.close(Side::Server)?;
            server_closed = true;
        }
        Ok(both(ctx, State::Closed))
    })?;
    Ok(lab.trace())
}

/// The server has no socket at all on the port the client tries.
pub fn rst_closed_port(cfg: &LabConfig) -> Result<Trace, LabError> {
    let mut lab = Lab::new(cfg.clone());
    lab.connect(SERVER_PORT)?;
    lab.run(|ctx| Ok(ctx.state(Side::Client) == State::Closed))?;
    Ok(lab.trace())
}

/// The wire loses the server's first SYN,ACK.
// ANCHOR: lost_syn_ack
pub fn lost_syn_ack(cfg: &LabConfig) -> Result<Trace, LabError> {
    let mut lab = Lab::new(cfg.clone());
    lab.drop_first(1, |from, row| from == Side::Server && row.flags == SYN_ACK);
    lab.listen()?;
    lab.connect(SERVER_PORT)?;
    lab.run(|ctx| Ok(both(ctx, State::Established)))?;
    Ok(lab.trace())
}
// ANCHOR_END: lost_syn_ack

/// The wire loses the client's first four SYNs: each wait is twice the last.
pub fn backoff(cfg: &LabConfig) -> Result<Trace, LabError> {
    let mut lab = Lab::new(cfg.clone());
    lab.drop_first(4, |from, row| from == Side::Client && row.flags == SYN);
    lab.listen()?;
    lab.connect(SERVER_PORT)?;
    lab.run(|ctx| Ok(both(ctx, State::Established)))?;
    Ok(lab.trace())
}

/// The wire loses the client's first data segment.
pub fn lost_data(cfg: &LabConfig) -> Result<Trace, LabError> {
    let mut lab = Lab::new(cfg.clone());
    lab.drop_first(1, |from, row| from == Side::Client && row.len > 0);
    lab.listen()?;
    lab.connect(SERVER_PORT)?;
    request_reply(&mut lab)?;
    Ok(lab.trace())
}

/// Both applications call `close()` at the same instant, so the two FINs
/// cross on the wire.
pub fn simultaneous_close(cfg: &LabConfig) -> Result<Trace, LabError> {
    let mut lab = Lab::new(cfg.clone());
    lab.listen()?;
    lab.connect(SERVER_PORT)?;
    lab.run(|ctx| Ok(both(ctx, State::Established)))?;
    let mut closed = false;
    lab.run(|ctx| {
        if !closed {
            ctx.close(Side::Client)?;
            ctx.close(Side::Server)?;
            closed = true;
        }
        Ok(both(ctx, State::Closed))
    })?;
    Ok(lab.trace())
}
