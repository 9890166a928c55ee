//! A deterministic simulation of RFC 9293 §3.5's old-duplicate-SYN example,
//! run twice: with TCP's three-way handshake, and with an imagined two-way
//! handshake in which the server opens the connection as soon as it answers a
//! SYN.
//!
//! The client (A) sends a SYN with ISN 100, which the network delays. An old
//! duplicate SYN with ISN 90 and some data, left over from an earlier
//! incarnation of the connection, reaches the server (B) first. Time is a
//! tick count; every segment takes one tick, except the delayed SYN.

use std::fmt;

/// The two handshakes being compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handshake {
    /// The server waits for the client's ACK before it opens the connection.
    ThreeWay,
    /// The server opens the connection when it sends its SYN-ACK.
    TwoWay,
}

/// The states this simulation needs, named as RFC 9293 §3.3.2 names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Closed => "CLOSED",
            State::Listen => "LISTEN",
            State::SynSent => "SYN-SENT",
            State::SynReceived => "SYN-RECEIVED",
            State::Established => "ESTABLISHED",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Client,
    Server,
}

/// A segment, reduced to what the handshake looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    to: Side,
    seq: u32,
    ack: Option<u32>,
    syn: bool,
    rst: bool,
    data: &'static str,
}

impl fmt::Display for Segment {
    /// The notation of RFC 9293's figures: `<SEQ=100><ACK=301><CTL=SYN,ACK>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<SEQ={}>", self.seq)?;
        if let Some(ack) = self.ack {
            write!(f, "<ACK={ack}>")?;
        }
        let mut ctl = Vec::new();
        if self.syn {
            ctl.push("SYN");
        }
        if self.rst {
            ctl.push("RST");
        }
        if self.ack.is_some() {
            ctl.push("ACK");
        }
        write!(f, "<CTL={}>", ctl.join(","))?;
        if !self.data.is_empty() {
            write!(f, "<DATA={:?}>", self.data)?;
        }
        Ok(())
    }
}

/// What happened, and what the server's application saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// One line per event, in time order.
    pub log: Vec<String>,
    /// The client ISN of every connection the server's application accepted.
    pub accepted: Vec<u32>,
    /// The data the server's application received.
    pub delivered: Vec<&'static str>,
    pub client_state: State,
    pub server_state: State,
}

/// The client's initial sequence number for the connection it wants.
pub const CLIENT_ISN: u32 = 100;
/// The ISN of the old duplicate SYN.
pub const OLD_ISN: u32 = 90;
/// The data the old duplicate SYN carries.
pub const OLD_DATA: &str = "old request";
/// The server's ISNs, one per SYN it answers (as in RFC 9293 §3.5).
const SERVER_ISNS: [u32; 2] = [300, 400];
/// How long the network holds the client's new SYN.
const DELAYED_SYN_TICKS: u32 = 4;

struct Client {
    state: State,
}

struct Server {
    handshake: Handshake,
    state: State,
    isns: std::slice::Iter<'static, u32>,
    iss: u32,
    irs: u32,
    held: &'static str,
}

struct Sim {
    now: u32,
    /// (arrival time, order sent, segment): the segments in the network.
    wire: Vec<(u32, usize, Segment)>,
    sent: usize,
    log: Vec<String>,
    accepted: Vec<u32>,
    delivered: Vec<&'static str>,
}

impl Sim {
    fn send(&mut self, from: &str, segment: Segment, delay: u32, note: &str) {
        self.log
            .push(format!("t={} {from} sends {segment}{note}", self.now));
        self.wire.push((self.now + delay, self.sent, segment));
        self.sent += 1;
    }

    fn note(&mut self, who: &str, text: String) {
        self.log.push(format!("t={} {who} {text}", self.now));
    }

    /// The segment that arrives next, in time order, then in sending order.
    fn next_arrival(&mut self) -> Option<Segment> {
        let index = (0..self.wire.len()).min_by_key(|&i| (self.wire[i].0, self.wire[i].1))?;
        let (at, _, segment) = self.wire.remove(index);
        self.now = at;
        Some(segment)
    }
}

// ANCHOR: client
impl Client {
    /// SYN-SENT, RFC 9293 §3.10.7.3: a SYN-ACK is acceptable only if it
    /// acknowledges our SYN; otherwise we answer <SEQ=SEG.ACK><CTL=RST>.
    fn receive(&mut self, s: &Segment, sim: &mut Sim, handshake: Handshake) {
        sim.note("A", format!("{} gets {s}", self.state));
        let (State::SynSent, true, Some(ack)) = (self.state, s.syn, s.ack) else {
            return;
        };
        if ack != CLIENT_ISN.wrapping_add(1) {
            sim.note(
                "A",
                format!("  ACK={ack} is not {}: not my connection", CLIENT_ISN + 1),
            );
            let rst = Segment {
                to: Side::Server,
                seq: ack,
                ack: None,
                syn: false,
                rst: true,
                data: "",
            };
            sim.send("A", rst, 1, "");
            return;
        }
        self.state = State::Established;
        sim.note("A", format!("  SYN-SENT -> {}", self.state));
        if handshake == Handshake::ThreeWay {
            let seq = CLIENT_ISN + 1;
            let ack = s.seq.wrapping_add(1);
            let third = Segment {
                to: Side::Server,
                seq,
                ack: Some(ack),
                syn: false,
                rst: false,
                data: "",
            };
            sim.send("A", third, 1, "");
        }
    }
}
// ANCHOR_END: client

// ANCHOR: server
impl Server {
    fn receive(&mut self, s: &Segment, sim: &mut Sim) {
        sim.note("B", format!("{} gets {s}", self.state));
        let before = self.state;
        match (self.state, s.syn, s.rst) {
            (State::Listen, true, false) => {
                self.irs = s.seq;
                self.iss = *self.isns.next().expect("one server ISN per SYN");
                let syn_ack = Segment {
                    to: Side::Client,
                    seq: self.iss,
                    ack: Some(self.irs.wrapping_add(1)),
                    syn: true,
                    rst: false,
                    data: "",
                };
                match self.handshake {
                    // Hold the data until the client confirms (RFC 9293 §3.5).
                    Handshake::ThreeWay => {
                        self.state = State::SynReceived;
                        self.held = s.data;
                    }
                    // Nothing more will come to confirm it: open at once.
                    Handshake::TwoWay => self.state = State::Established,
                }
                sim.note("B", format!("  {before} -> {}", self.state));
                if self.state == State::Established {
                    self.open(s.data, sim);
                }
                sim.send("B", syn_ack, 1, "");
            }
            (State::SynReceived | State::Established, false, true) => {
                // A reset is valid if its sequence number is in the window
                // (RFC 9293 §3.5.3); here the window starts at IRS + 1.
                if s.seq != self.irs.wrapping_add(1) {
                    return;
                }
                let dropped = std::mem::take(&mut self.held);
                let what = if self.state == State::SynReceived {
                    format!("LISTEN, the {} held bytes dropped", dropped.len())
                } else {
                    "CLOSED, connection aborted (the listening socket goes on listening)".to_owned()
                };
                sim.note("B", format!("  {before} -> {what}"));
                self.state = State::Listen;
            }
            (State::SynReceived, false, false) if s.ack == Some(self.iss.wrapping_add(1)) => {
                self.state = State::Established;
                sim.note("B", format!("  {before} -> {}", self.state));
                let held = std::mem::take(&mut self.held);
                self.open(held, sim);
            }
            _ => {}
        }
    }

    /// The connection is open: the application accepts it and reads its data.
    fn open(&mut self, data: &'static str, sim: &mut Sim) {
        sim.accepted.push(self.irs);
        let mut text = format!(
            "  application accepts a connection from client ISN {}",
            self.irs
        );
        if !data.is_empty() {
            sim.delivered.push(data);
            text.push_str(&format!(" and reads {data:?}"));
        }
        sim.note("B", text);
    }
}
// ANCHOR_END: server

// ANCHOR: simulate
/// Runs the scenario with the given handshake.
pub fn simulate(handshake: Handshake) -> Outcome {
    let mut sim = Sim {
        now: 0,
        wire: Vec::new(),
        sent: 0,
        log: Vec::new(),
        accepted: Vec::new(),
        delivered: Vec::new(),
    };
    let mut client = Client {
        state: State::Closed,
    };
    let mut server = Server {
        handshake,
        state: State::Listen,
        isns: SERVER_ISNS.iter(),
        iss: 0,
        irs: 0,
        held: "",
    };

    // t=0: the client opens; its SYN is held up in the network.
    client.state = State::SynSent;
    sim.note("A", "CLOSED -> SYN-SENT".to_owned());
    let syn = Segment {
        to: Side::Server,
        seq: CLIENT_ISN,
        ack: None,
        syn: true,
        rst: false,
        data: "",
    };
    sim.send("A", syn, DELAYED_SYN_TICKS, " (delayed in the network)");
    // t=1: an old duplicate SYN from an earlier incarnation arrives first.
    let old = Segment {
        to: Side::Server,
        seq: OLD_ISN,
        ack: None,
        syn: true,
        rst: false,
        data: OLD_DATA,
    };
    sim.wire.push((1, usize::MAX, old));
    sim.log
        .push("t=1 (an old duplicate SYN from an earlier incarnation reaches B)".to_owned());

    // Every arrival sends at most one segment and there are two server ISNs,
    // so a handful of rounds is plenty; the bound makes termination obvious.
    for _ in 0..20 {
        let Some(segment) = sim.next_arrival() else {
            break;
        };
        match segment.to {
            Side::Client => client.receive(&segment, &mut sim, handshake),
            Side::Server => server.receive(&segment, &mut sim),
        }
    }
    Outcome {
        log: sim.log,
        accepted: sim.accepted,
        delivered: sim.delivered,
        client_state: client.state,
        server_state: server.state,
    }
}
// ANCHOR_END: simulate

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_way_rejects_the_old_duplicate() {
        let out = simulate(Handshake::ThreeWay);
        assert_eq!(out.accepted, [CLIENT_ISN]);
        assert!(out.delivered.is_empty());
        assert_eq!(
            (out.client_state, out.server_state),
            (State::Established, State::Established)
        );
        assert!(
            out.log
                .iter()
                .any(|l| l.contains("A sends <SEQ=91><CTL=RST>"))
        );
    }

    #[test]
    fn two_way_opens_a_bogus_connection_and_delivers_old_data() {
        let out = simulate(Handshake::TwoWay);
        assert_eq!(out.accepted, [OLD_ISN, CLIENT_ISN]);
        assert_eq!(out.delivered, [OLD_DATA]);
        assert_eq!(
            (out.client_state, out.server_state),
            (State::Established, State::Established)
        );
    }

    #[test]
    fn the_segments_match_rfc_9293_figure_8() {
        let log = simulate(Handshake::ThreeWay).log.join("\n");
        for segment in [
            "<SEQ=300><ACK=91><CTL=SYN,ACK>",
            "<SEQ=91><CTL=RST>",
            "<SEQ=400><ACK=101><CTL=SYN,ACK>",
            "<SEQ=101><ACK=401><CTL=ACK>",
        ] {
            assert!(log.contains(segment), "{segment} missing from\n{log}");
        }
    }

    #[test]
    fn the_simulation_is_deterministic() {
        assert_eq!(simulate(Handshake::ThreeWay), simulate(Handshake::ThreeWay));
    }
}
