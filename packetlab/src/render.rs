//! Turns a [`Trace`] into the text the book shows: a table, a mermaid
//! sequence diagram and hex dumps.

use std::fmt::Write as _;

use crate::decode::{DecodeError, Row, decode};
use crate::hex::dump;
use crate::table::{Align, Column, Table};
use crate::trace::{Event, Side, Trace};

/// Sequence and acknowledgment numbers relative to each side's first sequence
/// number (its ISN), as Wireshark and `tcpdump` show them.
struct Relative {
    client_base: Option<u32>,
    server_base: Option<u32>,
}

impl Relative {
    fn of(rows: &[Row]) -> Relative {
        let first = |side: Side| rows.iter().find(|r| r.from == side).map(|r| r.seq);
        Relative {
            client_base: first(Side::Client),
            server_base: first(Side::Server),
        }
    }

    fn base(&self, side: Side) -> Option<u32> {
        match side {
            Side::Client => self.client_base,
            Side::Server => self.server_base,
        }
    }

    fn seq(&self, row: &Row) -> Option<u32> {
        self.base(row.from).map(|b| row.seq.wrapping_sub(b))
    }

    fn ack(&self, row: &Row) -> Option<u32> {
        let ack = row.ack?;
        self.base(row.from.peer()).map(|b| ack.wrapping_sub(b))
    }
}

fn rows(trace: &Trace) -> Result<Vec<Row>, DecodeError> {
    trace.segments().map(decode).collect()
}

fn seconds(at_us: u64, decimals: usize) -> String {
    format!("{:.*}", decimals, at_us as f64 / 1e6)
}

fn arrow(side: Side) -> &'static str {
    match side {
        Side::Client => "C->S",
        Side::Server => "S->C",
    }
}

/// What one line of the segment table is made from.
struct Line<'a> {
    /// The segment's number, from 1.
    n: usize,
    row: &'a Row,
    time: String,
    rel_seq: Option<u32>,
    rel_ack: Option<u32>,
}

fn or_dash(v: Option<u32>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".to_owned())
}

fn dash_if_empty(s: String) -> String {
    if s.is_empty() { "-".to_owned() } else { s }
}

/// The columns of the segment table: numbers right-aligned, words left-aligned.
fn segment_columns<'a>() -> [Column<Line<'a>>; 13] {
    [
        Column::new("#", Align::Right, |l| l.n.to_string()),
        Column::new("time (s)", Align::Right, |l| l.time.clone()),
        Column::new("dir", Align::Left, |l| arrow(l.row.from).to_owned()),
        Column::new("flags", Align::Left, |l| l.row.flags.to_string()),
        Column::new("seq", Align::Right, |l| l.row.seq.to_string()),
        Column::new("rel", Align::Right, |l| or_dash(l.rel_seq)),
        Column::new("ack", Align::Right, |l| or_dash(l.row.ack)),
        Column::new("rel", Align::Right, |l| or_dash(l.rel_ack)),
        Column::new("win", Align::Right, |l| l.row.window.to_string()),
        Column::new("len", Align::Right, |l| l.row.len.to_string()),
        Column::new("options", Align::Left, |l| {
            dash_if_empty(l.row.options.to_string())
        }),
        Column::new("payload", Align::Left, |l| {
            dash_if_empty(l.row.payload_preview())
        }),
        Column::new("csum", Align::Left, |l| {
            if l.row.checksum_ok { "ok" } else { "wrong" }.to_owned()
        }),
    ]
}

/// The trace as a text table: one row per segment, with the application's
/// calls and the sockets' state changes interleaved where they happened.
/// Times are in seconds with `decimals` digits.
pub fn table(trace: &Trace, decimals: usize) -> Result<String, DecodeError> {
    let rows = rows(trace)?;
    let rel = Relative::of(&rows);
    let lines: Vec<Line<'_>> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| Line {
            n: i + 1,
            row,
            time: seconds(row.at_us, decimals),
            rel_seq: rel.seq(row),
            rel_ack: rel.ack(row),
        })
        .collect();
    let table = Table::new(&segment_columns(), &lines);

    let mut out = table.title_line();
    out.push('\n');
    // Events between segments start under the time column.
    let indent = table.widths[0] + 2;
    let tw = table.widths[1];
    let mut next_segment = 0;
    for event in &trace.events {
        match event {
            Event::Segment(s) => {
                out.push_str(&table.row_line(next_segment));
                if s.lost {
                    out.push_str("  LOST");
                }
                next_segment += 1;
            }
            Event::State {
                at_us,
                side,
                from,
                to,
            } => {
                let t = seconds(*at_us, decimals);
                let _ = write!(
                    out,
                    "{:indent$}{t:>tw$}  [{}] {from} -> {to}",
                    "",
                    side.name()
                );
            }
            Event::Note { at_us, side, text } => {
                let t = seconds(*at_us, decimals);
                let _ = write!(out, "{:indent$}{t:>tw$}  [{}] app: {text}", "", side.name());
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// Mermaid treats `;` as the end of a statement and `#...;` as an entity:
/// keep both out of messages and notes. An escaped newline becomes `↵`.
fn mermaid_text(s: &str) -> String {
    s.replace(';', ",")
        .replace('#', "no. ")
        .replace('"', "'")
        .replace("\\n", "\u{21b5}")
}

/// The trace as a mermaid `sequenceDiagram`: one arrow per segment (a cross
/// for a lost one), with state changes and application calls as notes.
pub fn mermaid(trace: &Trace, client: &str, server: &str) -> Result<String, DecodeError> {
    let rows = rows(trace)?;
    let rel = Relative::of(&rows);
    let mut out = String::from("sequenceDiagram\n");
    // A title and a description for screen readers: the segments in order,
    // and the state each side ends in.
    let mut said = Vec::new();
    let mut last_state = [None, None];
    let mut seen = 0;
    for event in &trace.events {
        match event {
            Event::Segment(_) => {
                let r = &rows[seen];
                seen += 1;
                let lost = if r.lost { " (lost)" } else { "" };
                said.push(format!("{seen} {} {}{lost}", r.from.name(), r.flags));
            }
            Event::State { side, to, .. } => last_state[*side as usize] = Some(to),
            Event::Note { .. } => {}
        }
    }
    let _ = writeln!(
        out,
        "    accTitle: {}",
        mermaid_text(&format!("TCP segments between {client} and {server}"))
    );
    let mut descr = format!("{} segments: {}.", said.len(), said.join(", "));
    for (side, state) in [Side::Client, Side::Server].into_iter().zip(last_state) {
        if let Some(state) = state {
            let _ = write!(descr, " The {} ends in {state}.", side.name());
        }
    }
    let _ = writeln!(out, "    accDescr: {}", mermaid_text(&descr));
    let _ = writeln!(out, "    participant C as {}", mermaid_text(client));
    let _ = writeln!(out, "    participant S as {}", mermaid_text(server));
    let letter = |side: Side| match side {
        Side::Client => "C",
        Side::Server => "S",
    };
    let mut next = 0;
    for event in &trace.events {
        match event {
            Event::Segment(_) => {
                let r = &rows[next];
                next += 1;
                let mut msg = format!("{} ms {}", r.at_us / 1000, r.flags);
                if let Some(seq) = rel.seq(r) {
                    let _ = write!(msg, " seq={seq}");
                }
                if let Some(ack) = rel.ack(r) {
                    let _ = write!(msg, " ack={ack}");
                }
                let _ = write!(msg, " win={}", r.window);
                if r.len > 0 {
                    let _ = write!(msg, " len={} {}", r.len, r.payload_preview());
                }
                if !r.options.is_empty() {
                    let _ = write!(msg, " {}", r.options);
                }
                let (arrow, lost) = if r.lost { ("-x", " LOST") } else { ("->>", "") };
                let _ = writeln!(
                    out,
                    "    {}{arrow}{}: [{next}] {}{lost}",
                    letter(r.from),
                    letter(r.from.peer()),
                    mermaid_text(&msg)
                );
            }
            Event::State {
                at_us, side, to, ..
            } => {
                let _ = writeln!(
                    out,
                    "    Note over {}: {} ms {to}",
                    letter(*side),
                    at_us / 1000
                );
            }
            Event::Note { side, text, .. } => {
                let place = match side {
                    Side::Client => "left of C",
                    Side::Server => "right of S",
                };
                let _ = writeln!(out, "    Note {place}: {}", mermaid_text(text));
            }
        }
    }
    Ok(out)
}

/// Hex dumps of the chosen segments (numbered from 1, as in the table),
/// split into IPv4 header, TCP header and payload.
pub fn hex_dump(trace: &Trace, which: &[usize]) -> Result<String, DecodeError> {
    let segments: Vec<_> = trace.segments().collect();
    let mut out = String::new();
    for &n in which {
        let Some(seg) = n.checked_sub(1).and_then(|i| segments.get(i)) else {
            continue;
        };
        let r = decode(seg)?;
        let (ip, rest) = seg.bytes.split_at(r.ip_header_len.min(seg.bytes.len()));
        let (tcp, payload) = rest.split_at(r.tcp_header_len.min(rest.len()));
        let _ = writeln!(
            out,
            "[{n}] {} {}, {} bytes = IPv4 header {} + TCP header {} + payload {}",
            arrow(r.from),
            r.flags,
            seg.bytes.len(),
            ip.len(),
            tcp.len(),
            payload.len()
        );
        let _ = writeln!(
            out,
            "IPv4 header: {} -> {}, ID {}, DF {}, TTL {}, header checksum {}, TCP checksum {}",
            r.src,
            r.dst,
            r.ip_id,
            if r.dont_frag { "set" } else { "clear" },
            r.ttl,
            if r.ip_checksum_ok {
                "verified"
            } else {
                "wrong"
            },
            if r.tcp_checksum_ok {
                "verified"
            } else {
                "wrong"
            }
        );
        out.push_str(&dump(ip));
        let _ = writeln!(
            out,
            "TCP header: ports {} -> {}, seq {}, ack {}, window {}, options: {}",
            r.src_port,
            r.dst_port,
            r.seq,
            r.ack
                .map(|a| a.to_string())
                .unwrap_or_else(|| "- (ACK flag clear)".to_owned()),
            r.window,
            if r.options.is_empty() {
                "none".to_owned()
            } else {
                r.options.to_string()
            }
        );
        out.push_str(&dump(tcp));
        if !payload.is_empty() {
            let _ = writeln!(out, "Payload: {}", r.payload_preview());
            out.push_str(&dump(payload));
        }
        out.push('\n');
    }
    if out.ends_with("\n\n") {
        out.pop();
    }
    Ok(out)
}
