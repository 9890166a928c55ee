//! Edited experiments: one of the book's scenarios, with the reader's changes
//! to what the wire loses, its latency, the data each side sends and who
//! closes. This is what the page runs (through `wasm`), and what the tests
//! compare, native against WebAssembly, byte for byte.
//!
//! An experiment is written as a URL fragment, so a reader can share one:
//!
//! ```text
//! scenario=lost-syn-ack&lose=2,4&latency=50&client=0&server=0&close=none
//! ```
//!
//! - `scenario`: one of the book's eight ([`crate::scenarios::ALL`]); required.
//! - `lose`: segments the wire loses, numbered from 1 in the order they are
//!   put on the wire in this run (a retransmission is a new number), and/or
//!   `client` or `server` for every segment that side sends; empty for none.
//! - `latency`: one-way latency in milliseconds, 1 to 500.
//! - `client`, `server`: bytes each application sends once connected, 0 to
//!   4096 (one socket buffer). The server sends after it has read all the
//!   client's bytes.
//! - `close`: `none`, `client` (the client closes, the server closes when it
//!   sees the end of the stream), `server` (the other way round) or `both`
//!   (at the same instant).
//!
//! A key that is left out takes the scenario's value, so `scenario=close` is
//! the book's close. With every key at the scenario's value, the run is the
//! book's run: a test checks that the trace equals the scenario function's.

use std::fmt::Write as _;

use crate::decode::decode;
use crate::lab::{CLIENT_ADDR, CLIENT_PORT, Lab, LabConfig, LabError, SERVER_ADDR, SERVER_PORT};
use crate::scenarios::{ALL, both};
use crate::trace::{Event, Side, Trace};
use crate::{State, pcap, render, svg};

/// The largest number of bytes one application may send (one socket buffer).
pub const MAX_DATA: usize = 4096;
/// The one-way latency's range, in milliseconds.
pub const LATENCY_MS: std::ops::RangeInclusive<i64> = 1..=500;
/// The most segment numbers a `lose` list may hold.
pub const MAX_LOSE: usize = 64;

/// Who closes the connection once the data has been exchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Close {
    None,
    Client,
    Server,
    Both,
}

impl Close {
    /// The word used in the fragment.
    pub fn name(self) -> &'static str {
        match self {
            Close::None => "none",
            Close::Client => "client",
            Close::Server => "server",
            Close::Both => "both",
        }
    }
}

/// What the wire loses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lose {
    /// Segment numbers, from 1, ascending, no repeats.
    pub numbers: Vec<usize>,
    /// Every segment the client sends.
    pub all_client: bool,
    /// Every segment the server sends.
    pub all_server: bool,
}

impl Lose {
    fn numbers(numbers: &[usize]) -> Lose {
        Lose {
            numbers: numbers.to_vec(),
            ..Lose::default()
        }
    }

    /// True when segment `n` (from 1), sent by `from`, is lost.
    pub fn loses(&self, n: usize, from: Side) -> bool {
        self.numbers.binary_search(&n).is_ok()
            || (from == Side::Client && self.all_client)
            || (from == Side::Server && self.all_server)
    }
}

/// One experiment: a scenario and the reader's changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    /// The scenario's name (`handshake`, `lost-syn-ack`, ...).
    pub scenario: &'static str,
    pub lose: Lose,
    pub latency_ms: i64,
    pub client_bytes: usize,
    pub server_bytes: usize,
    pub close: Close,
}

/// A bad experiment, explained for the reader.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error(
        "the experiment names no scenario: add scenario=handshake (or {})",
        scenario_names()
    )]
    NoScenario,
    #[error("unknown scenario `{0}`: the scenarios are {names}", names = scenario_names())]
    UnknownScenario(String),
    #[error("`{0}` is not of the form key=value")]
    NotKeyValue(String),
    #[error("unknown key `{0}`: the keys are scenario, lose, latency, client, server and close")]
    UnknownKey(String),
    #[error("`{0}` is given twice")]
    DuplicateKey(String),
    #[error("{key}: `{value}` is not a whole number")]
    NotANumber { key: &'static str, value: String },
    #[error("latency {0} ms is out of range: it must be 1 to 500 ms")]
    LatencyOutOfRange(i64),
    #[error("{side} sends {bytes} bytes, more than one socket buffer: at most 4096")]
    TooMuchData { side: &'static str, bytes: usize },
    #[error("lose: segments are numbered from 1, there is no segment 0")]
    SegmentZero,
    #[error("lose: segment {0} is listed twice")]
    LostTwice(usize),
    #[error("lose: at most {MAX_LOSE} segment numbers")]
    TooManyLost,
    #[error("lose: segment {n} does not exist, this run put only {count} segments on the wire")]
    NoSuchSegment { n: usize, count: usize },
    #[error("close must be none, client, server or both, not `{0}`")]
    UnknownClose(String),
    #[error(
        "in the rst scenario nobody listens, so there is no connection to send data on or to close: use client=0, server=0, close=none"
    )]
    NoConnection,
}

fn scenario_names() -> String {
    let names: Vec<&str> = ALL.iter().map(|s| s.name).collect();
    names.join(", ")
}

/// What the application code of an experiment does, before the reader's
/// changes: the book's eight scenarios are eight sets of defaults.
struct Defaults {
    name: &'static str,
    listen: bool,
    client_bytes: usize,
    server_bytes: usize,
    close: Close,
    lose: &'static [usize],
}

/// The eight scenarios as experiments (a test checks each against its
/// function in [`crate::scenarios`]).
const DEFAULTS: [Defaults; 8] = [
    Defaults {
        name: "handshake",
        listen: true,
        client_bytes: 0,
        server_bytes: 0,
        close: Close::None,
        lose: &[],
    },
    Defaults {
        name: "data",
        listen: true,
        client_bytes: 6,
        server_bytes: 13,
        close: Close::None,
        lose: &[],
    },
    Defaults {
        name: "close",
        listen: true,
        client_bytes: 0,
        server_bytes: 0,
        close: Close::Client,
        lose: &[],
    },
    Defaults {
        name: "rst",
        listen: false,
        client_bytes: 0,
        server_bytes: 0,
        close: Close::None,
        lose: &[],
    },
    Defaults {
        name: "lost-syn-ack",
        listen: true,
        client_bytes: 0,
        server_bytes: 0,
        close: Close::None,
        lose: &[2],
    },
    Defaults {
        name: "backoff",
        listen: true,
        client_bytes: 0,
        server_bytes: 0,
        close: Close::None,
        lose: &[1, 2, 3, 4],
    },
    Defaults {
        name: "lost-data",
        listen: true,
        client_bytes: 6,
        server_bytes: 13,
        close: Close::None,
        lose: &[4],
    },
    Defaults {
        name: "simultaneous-close",
        listen: true,
        client_bytes: 0,
        server_bytes: 0,
        close: Close::Both,
        lose: &[],
    },
];

fn defaults(name: &str) -> Option<&'static Defaults> {
    DEFAULTS.iter().find(|d| d.name == name)
}

/// The request and the answer of the `data` scenario; other amounts repeat
/// them.
const CLIENT_TEXT: &[u8] = b"GET /\n";
const SERVER_TEXT: &[u8] = b"200 OK hello\n";

fn payload(text: &[u8], len: usize) -> Vec<u8> {
    text.iter().copied().cycle().take(len).collect()
}

impl Params {
    /// The book's scenario `name`, unchanged.
    pub fn scenario(name: &str) -> Result<Params, ParamError> {
        let d = defaults(name).ok_or_else(|| ParamError::UnknownScenario(name.to_owned()))?;
        Ok(Params {
            scenario: d.name,
            lose: Lose::numbers(d.lose),
            latency_ms: LabConfig::default().latency_ms,
            client_bytes: d.client_bytes,
            server_bytes: d.server_bytes,
            close: d.close,
        })
    }

    /// Parses a URL fragment (with or without its leading `#`).
    pub fn parse(fragment: &str) -> Result<Params, ParamError> {
        let text = fragment.trim().trim_start_matches('#');
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for part in text.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| ParamError::NotKeyValue(part.to_owned()))?;
            if !matches!(
                key,
                "scenario" | "lose" | "latency" | "client" | "server" | "close"
            ) {
                return Err(ParamError::UnknownKey(key.to_owned()));
            }
            if pairs.iter().any(|(k, _)| *k == key) {
                return Err(ParamError::DuplicateKey(key.to_owned()));
            }
            pairs.push((key, value));
        }
        let get = |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let mut p = Params::scenario(get("scenario").ok_or(ParamError::NoScenario)?)?;
        if let Some(v) = get("latency") {
            p.latency_ms = number("latency", v)?;
            if !LATENCY_MS.contains(&p.latency_ms) {
                return Err(ParamError::LatencyOutOfRange(p.latency_ms));
            }
        }
        for (key, side, field) in [
            ("client", "the client", &mut p.client_bytes),
            ("server", "the server", &mut p.server_bytes),
        ] {
            if let Some(v) = get(key) {
                *field = number(key, v)?;
                if *field > MAX_DATA {
                    return Err(ParamError::TooMuchData {
                        side,
                        bytes: *field,
                    });
                }
            }
        }
        if let Some(v) = get("close") {
            p.close = match v {
                "none" => Close::None,
                "client" => Close::Client,
                "server" => Close::Server,
                "both" => Close::Both,
                other => return Err(ParamError::UnknownClose(other.to_owned())),
            };
        }
        if let Some(v) = get("lose") {
            p.lose = parse_lose(v)?;
        }
        let listens = defaults(p.scenario).is_some_and(|d| d.listen);
        if !listens && (p.client_bytes > 0 || p.server_bytes > 0 || p.close != Close::None) {
            return Err(ParamError::NoConnection);
        }
        Ok(p)
    }

    /// The fragment that [`Params::parse`] reads back as `self`, every key
    /// written out.
    pub fn to_fragment(&self) -> String {
        let mut lose: Vec<String> = self.lose.numbers.iter().map(|n| n.to_string()).collect();
        if self.lose.all_client {
            lose.push("client".to_owned());
        }
        if self.lose.all_server {
            lose.push("server".to_owned());
        }
        format!(
            "scenario={}&lose={}&latency={}&client={}&server={}&close={}",
            self.scenario,
            lose.join(","),
            self.latency_ms,
            self.client_bytes,
            self.server_bytes,
            self.close.name()
        )
    }
}

fn number<T: std::str::FromStr>(key: &'static str, value: &str) -> Result<T, ParamError> {
    // Only plain digits: no sign, no `+`, no white space.
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) || value.len() > 9 {
        return Err(ParamError::NotANumber {
            key,
            value: value.to_owned(),
        });
    }
    value.parse().map_err(|_| ParamError::NotANumber {
        key,
        value: value.to_owned(),
    })
}

fn parse_lose(value: &str) -> Result<Lose, ParamError> {
    let mut lose = Lose::default();
    for item in value.split(',').filter(|i| !i.is_empty()) {
        match item {
            "client" => lose.all_client = true,
            "server" => lose.all_server = true,
            _ => {
                let n: usize = number("lose", item)?;
                if n == 0 {
                    return Err(ParamError::SegmentZero);
                }
                if lose.numbers.contains(&n) {
                    return Err(ParamError::LostTwice(n));
                }
                if lose.numbers.len() == MAX_LOSE {
                    return Err(ParamError::TooManyLost);
                }
                lose.numbers.push(n);
            }
        }
    }
    lose.numbers.sort_unstable();
    Ok(lose)
}

/// A run of an experiment: the trace so far, and the reason it stopped early
/// if it did.
pub struct Run {
    pub trace: Trace,
    pub error: Option<LabError>,
}

/// Runs an experiment. A lab error (a run that does not finish) still gives
/// the trace up to that point; a `lose` number beyond the run's last segment
/// is an error.
pub fn run(p: &Params) -> Result<Run, ParamError> {
    let d = defaults(p.scenario).ok_or_else(|| ParamError::UnknownScenario(p.scenario.into()))?;
    let cfg = LabConfig {
        latency_ms: p.latency_ms,
        ..LabConfig::default()
    };
    let mut lab = Lab::new(cfg);
    let lose = p.lose.clone();
    let mut n = 0;
    lab.drop_if(move |from, _| {
        n += 1;
        lose.loses(n, from)
    });
    let error = program(&mut lab, d.listen, p).err();
    let trace = lab.trace();
    let count = trace.segments().count();
    if let Some(&n) = p.lose.numbers.iter().find(|&&n| n > count) {
        return Err(ParamError::NoSuchSegment { n, count });
    }
    Ok(Run { trace, error })
}

/// The application code of both ends: connect, exchange the data, close.
fn program(lab: &mut Lab, listen: bool, p: &Params) -> Result<(), LabError> {
    if listen {
        lab.listen()?;
    }
    lab.connect(SERVER_PORT)?;
    if !listen {
        return lab.run(|ctx| Ok(ctx.state(Side::Client) == State::Closed));
    }
    let request = payload(CLIENT_TEXT, p.client_bytes);
    let answer = payload(SERVER_TEXT, p.server_bytes);
    let (mut asked, mut answered) = (false, false);
    let (mut at_server, mut at_client) = (0, 0);
    lab.run(|ctx| {
        if !asked && !request.is_empty() && ctx.state(Side::Client) == State::Established {
            ctx.send(Side::Client, &request)?;
            asked = true;
        }
        at_server += ctx.recv(Side::Server)?.len();
        if !answered
            && !answer.is_empty()
            && at_server >= request.len()
            && ctx.state(Side::Server) == State::Established
        {
            ctx.send(Side::Server, &answer)?;
            answered = true;
        }
        at_client += ctx.recv(Side::Client)?.len();
        Ok(
            both(ctx, State::Established)
                && at_server == request.len()
                && at_client == answer.len(),
        )
    })?;
    if p.close == Close::None {
        return Ok(());
    }
    let (mut client_closed, mut server_closed) = (false, false);
    lab.run(|ctx| {
        let first = [Side::Client, Side::Server]
            .into_iter()
            .filter(|&s| match p.close {
                Close::Client => s == Side::Client,
                Close::Server => s == Side::Server,
                _ => true,
            });
        for side in first {
            let closed = match side {
                Side::Client => &mut client_closed,
                Side::Server => &mut server_closed,
            };
            if !*closed {
                ctx.close(side)?;
                *closed = true;
            }
        }
        for (side, closed) in [
            (Side::Client, &mut client_closed),
            (Side::Server, &mut server_closed),
        ] {
            if !*closed && ctx.state(side) == State::CloseWait {
                ctx.close(side)?;
                *closed = true;
            }
        }
        Ok(both(ctx, State::Closed))
    })
}

/// Everything the page shows for one run.
pub struct Outcome {
    /// The canonical fragment of the experiment.
    pub fragment: String,
    /// The segment table, as in the book (times with 3 decimals).
    pub table: String,
    /// The mermaid text of the sequence diagram (the book's diagrams).
    pub mermaid: String,
    /// The same diagram drawn as SVG: a time-scaled ladder with state notes.
    pub ladder: String,
    /// Both sockets' states over time, as SVG.
    pub timeline: String,
    /// The run as a classic pcap file.
    pub pcap: Vec<u8>,
    /// The segments, for the page's buttons, as JSON.
    pub segments: String,
    /// Why the run stopped early, in words; `None` if it finished.
    pub error: Option<String>,
}

/// The names the book's diagrams give the two ends.
pub fn endpoint_names() -> (String, String) {
    (
        format!("client {CLIENT_ADDR} port {CLIENT_PORT}"),
        format!("server {SERVER_ADDR} port {SERVER_PORT}"),
    )
}

/// Runs an experiment and renders everything the page shows.
pub fn outcome(p: &Params) -> Result<Outcome, ParamError> {
    let run = run(p)?;
    let (client, server) = endpoint_names();
    let trace = &run.trace;
    // The lab decodes every segment before it goes on the wire, so a trace
    // it recorded always decodes.
    let table = render::table(trace, 3).unwrap_or_else(|e| e.to_string());
    let mermaid = render::mermaid(trace, &client, &server).unwrap_or_else(|e| e.to_string());
    Ok(Outcome {
        fragment: p.to_fragment(),
        table,
        mermaid,
        ladder: svg::ladder(trace, p.latency_ms),
        timeline: svg::timeline(trace),
        pcap: pcap::to_pcap(trace),
        segments: segments_json(trace),
        error: run.error.map(|e| explain(&e, trace)),
    })
}

fn segments_json(trace: &Trace) -> String {
    let mut out = String::from("[");
    for (i, seg) in trace.segments().enumerate() {
        let Ok(row) = decode(seg) else { continue };
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"n\":{},\"ms\":{},\"from\":\"{}\",\"flags\":\"{}\",\"len\":{},\"lost\":{}}}",
            i + 1,
            seg.at_us / 1000,
            seg.from.name(),
            row.flags,
            row.len,
            seg.lost
        );
    }
    out.push(']');
    out
}

/// The last state each side reached in a trace.
fn final_states(trace: &Trace) -> [State; 2] {
    let mut states = [State::Closed, State::Closed];
    for e in &trace.events {
        if let Event::State { side, to, .. } = e {
            states[*side as usize] = *to;
        }
    }
    states
}

/// A lab error, explained from the trace: who retransmitted what, how often,
/// and the states both sides were left in.
pub fn explain(error: &LabError, trace: &Trace) -> String {
    let [client, server] = final_states(trace);
    let states = format!("The client was left in {client}, the server in {server}.");
    match error {
        LabError::TooLate { .. } => {
            let mut out = String::new();
            for side in [Side::Client, Side::Server] {
                if let Some((what, times)) = retransmissions(trace, side) {
                    let times: Vec<String> = times
                        .iter()
                        .map(|us| format!("{}", *us as f64 / 1e6))
                        .collect();
                    let _ = write!(
                        out,
                        "The {} retransmitted its {what} {} times (sent at {} s) and it was never acknowledged. ",
                        side.name(),
                        times.len() - 1,
                        times.join(", "),
                    );
                }
            }
            let max = LabConfig::default().max_time_ms / 1000;
            let _ = write!(
                out,
                "The lab stops every run at {max} s of virtual time; smoltcp alone would go on retrying, because the application set no timeout. {states}"
            );
            out
        }
        LabError::Idle { at_ms } => format!(
            "Nothing was left to happen at {at_ms} ms, but the applications had not finished: no timer was pending and nothing was on the wire. {states}"
        ),
        LabError::TooManySteps(n) => {
            format!("The run did not finish within the lab's bound of {n} steps. {states}")
        }
        LabError::Stuck { at_ms } => format!(
            "The stacks asked to be polled again at {at_ms} ms without making progress. {states}"
        ),
        other => format!("{other}. {states}"),
    }
}

/// The last segment `side` sent more than once (same flags, sequence number
/// and length), and the times it was sent.
fn retransmissions(trace: &Trace, side: Side) -> Option<(String, Vec<u64>)> {
    let rows: Vec<_> = trace
        .segments()
        .filter(|s| s.from == side)
        .filter_map(|s| decode(s).ok())
        .collect();
    let last = rows.last()?;
    let same: Vec<u64> = rows
        .iter()
        .filter(|r| r.flags == last.flags && r.seq == last.seq && r.len == last.len)
        .map(|r| r.at_us)
        .collect();
    if same.len() < 2 {
        return None;
    }
    let what = if last.len > 0 {
        format!("{}-byte {} segment", last.len, last.flags)
    } else {
        last.flags.to_string()
    };
    Some((what, same))
}

#[cfg(test)]
mod tests;
