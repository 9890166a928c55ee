//! Turns a [`Trace`] into the text the book shows: a table, a mermaid
//! sequence diagram and hex dumps.

use std::fmt::Write as _;

use super::decode::{DecodeError, Row, decode};
use super::lab::{Event, Side, Trace};

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

/// The trace as a text table: one row per segment, with the application's
/// calls and the sockets' state changes interleaved where they happened.
/// Times are in seconds with `decimals` digits.
pub fn table(trace: &Trace, decimals: usize) -> Result<String, DecodeError> {
    let rows = rows(trace)?;
    let rel = Relative::of(&rows);
    let header = [
        "#", "time (s)", "dir", "flags", "seq", "rel", "ack", "rel", "win", "len", "options",
        "payload", "csum",
    ];
    let mut cells: Vec<Vec<String>> = vec![header.iter().map(|h| (*h).to_owned()).collect()];
    for (i, r) in rows.iter().enumerate() {
        let show = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".to_owned());
        cells.push(vec![
            (i + 1).to_string(),
            seconds(r.at_us, decimals),
            arrow(r.from).to_owned(),
            r.flags.clone(),
            r.seq.to_string(),
            show(rel.seq(r)),
            show(r.ack),
            show(rel.ack(r)),
            r.window.to_string(),
            r.len.to_string(),
            if r.options.is_empty() {
                "-".to_owned()
            } else {
                r.options.clone()
            },
            if r.payload.is_empty() {
                "-".to_owned()
            } else {
                r.payload_preview()
            },
            if r.checksum_ok {
                "ok".to_owned()
            } else {
                "wrong".to_owned()
            },
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            cells
                .iter()
                .map(|row| row[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    // Numbers right-aligned, words left-aligned.
    let right = [
        true, true, false, false, true, true, true, true, true, true, false, false, false,
    ];
    let line = |row: &[String]| {
        let mut s = String::new();
        for (c, cell) in row.iter().enumerate() {
            let w = widths[c];
            if right[c] {
                let _ = write!(s, "{cell:>w$}  ");
            } else {
                let _ = write!(s, "{cell:<w$}  ");
            }
        }
        s.trim_end().to_owned()
    };

    let mut out = line(&cells[0]);
    out.push('\n');
    let indent = widths[0] + 2;
    let mut next_segment = 1;
    for event in &trace.events {
        match event {
            Event::Segment(s) => {
                out.push_str(&line(&cells[next_segment]));
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
                let tw = widths[1];
                let _ = write!(
                    out,
                    "{:indent$}{t:>tw$}  [{}] {from} -> {to}",
                    "",
                    side.name()
                );
            }
            Event::Note { at_us, side, text } => {
                let t = seconds(*at_us, decimals);
                let tw = widths[1];
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

/// Classic hex dump lines: offset, 16 bytes, printable ASCII.
pub fn hex_lines(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let ascii: String = chunk
            .iter()
            .map(|&b| {
                if (0x20..0x7f).contains(&b) {
                    b as char
                } else {
                    '.'
                }
            })
            .collect();
        let _ = writeln!(out, "  {:04x}  {:<47}  {ascii}", i * 16, hex.join(" "));
    }
    out
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
        out.push_str(&hex_lines(ip));
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
                "none"
            } else {
                &r.options
            }
        );
        out.push_str(&hex_lines(tcp));
        if !payload.is_empty() {
            let _ = writeln!(out, "Payload: {}", r.payload_preview());
            out.push_str(&hex_lines(payload));
        }
        out.push('\n');
    }
    if out.ends_with("\n\n") {
        out.pop();
    }
    Ok(out)
}
