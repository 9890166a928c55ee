//! Drawings of a trace for the page, which loads no mermaid.js: a ladder
//! diagram as SVG (two lifelines, one sloped arrow per segment, a cross where
//! the wire lost one, the sockets' states beside their lifelines), and the
//! state timeline of both sockets as an HTML table.
//!
//! Each arrow is labelled with its number, its send time in seconds and its
//! flags. The vertical axis is time, with one trip across the wire drawn 40 px high
//! whatever the latency. Events at the same instant are stacked in the order
//! they happened, and a long quiet stretch (a retransmission timeout, the
//! 10 s of TIME-WAIT) is cut short and marked with its length, so that a
//! 10-second trace still fits on a screen.

use std::fmt::Write as _;

use crate::State;
use crate::decode::decode;
use crate::trace::{Event, Side, Trace};

// 332 px wide: it fits a phone's column at its natural size (labels stay 12 px).
const WIDTH: i64 = 332;
const CLIENT_X: i64 = 92;
const SERVER_X: i64 = 240;
const TOP: i64 = 44;
/// Height of one trip across the wire.
const TRIP: i64 = 40;
/// Height of one stacked item at the same instant.
const ROW: i64 = 16;
/// A gap drawn taller than this is cut short to [`CUT`].
const MAX_GAP: i64 = 120;
const CUT: i64 = 44;

/// Where each instant of the trace is drawn.
struct Scale {
    /// (time in µs, y of its first item)
    anchors: Vec<(u64, i64)>,
    cuts: Vec<(i64, u64)>,
    bottom: i64,
}

impl Scale {
    fn new(times: &[(u64, bool)], latency_ms: i64) -> Scale {
        let mut sorted: Vec<(u64, bool)> = times.to_vec();
        sorted.sort_by_key(|t| t.0);
        let mut anchors: Vec<(u64, i64)> = Vec::new();
        let mut cuts = Vec::new();
        let mut y = TOP;
        let mut items_here = 0;
        let per_us = TRIP as f64 / (latency_ms.max(1) as f64 * 1000.0);
        for (t, is_item) in sorted {
            match anchors.last() {
                Some(&(last, _)) if last == t => {}
                Some(&(last, _)) => {
                    let scaled = ((t - last) as f64 * per_us).round() as i64;
                    y += items_here * ROW;
                    if scaled > MAX_GAP {
                        cuts.push((y + CUT / 2, t - last));
                        y += CUT;
                    } else {
                        y += scaled.max(4);
                    }
                    items_here = 0;
                    anchors.push((t, y));
                }
                None => anchors.push((t, y)),
            }
            items_here += i64::from(is_item);
        }
        Scale {
            anchors,
            cuts,
            bottom: y + items_here * ROW + 24,
        }
    }

    fn y(&self, t: u64) -> i64 {
        self.anchors
            .iter()
            .find(|(at, _)| *at == t)
            .map(|(_, y)| *y)
            .unwrap_or(self.bottom)
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn x_of(side: Side) -> i64 {
    match side {
        Side::Client => CLIENT_X,
        Side::Server => SERVER_X,
    }
}

/// The ladder diagram of a trace run with this one-way latency.
pub fn ladder(trace: &Trace, latency_ms: i64) -> String {
    let lat_us = latency_ms.unsigned_abs() * 1000;
    // Every instant that gets a row: sends and state changes are items,
    // arrivals only anchor the end of an arrow.
    let mut times = Vec::new();
    for e in &trace.events {
        match e {
            Event::Segment(s) => {
                times.push((s.at_us, true));
                times.push((s.at_us + lat_us, false));
            }
            Event::State { at_us, .. } => times.push((*at_us, true)),
            Event::Note { .. } => {}
        }
    }
    let scale = Scale::new(&times, latency_ms);
    let mut stacked: Vec<(u64, i64)> = Vec::new();
    let mut slot = |t: u64| -> i64 {
        let base = scale.y(t);
        match stacked.iter_mut().find(|(at, _)| *at == t) {
            Some((_, k)) => {
                *k += 1;
                base + *k * ROW
            }
            None => {
                stacked.push((t, 0));
                base
            }
        }
    };
    let mut body = String::new();
    let mut n = 0;
    for e in &trace.events {
        match e {
            Event::Segment(s) => {
                n += 1;
                let y0 = slot(s.at_us);
                let y1 = scale.y(s.at_us + lat_us);
                let (x0, x1) = (x_of(s.from), x_of(s.from.peer()));
                let (flags, detail) = match decode(s) {
                    Ok(r) => {
                        let mut d = format!("seq {}", r.seq);
                        if let Some(a) = r.ack {
                            let _ = write!(d, ", ack {a}");
                        }
                        let _ = write!(d, ", win {}, len {}", r.window, r.len);
                        let flags = if r.len > 0 {
                            format!("{} len={}", r.flags, r.len)
                        } else {
                            r.flags.to_string()
                        };
                        (flags, d)
                    }
                    Err(e) => (e.to_string(), String::new()),
                };
                let ms = s.at_us as f64 / 1000.0;
                let lost = if s.lost { " LOST" } else { "" };
                let label = format!("{} {} at {ms} ms: {flags}{lost}", n, s.from.name());
                let class = if s.lost { "seg lost" } else { "seg" };
                let _ = write!(
                    body,
                    "<g class=\"{class}\" data-n=\"{n}\" tabindex=\"0\" role=\"button\" aria-label=\"{}\"><title>{}</title>",
                    esc(&label),
                    esc(&format!("{label} ({detail})"))
                );
                let (mx, my) = ((x0 + x1) / 2, (y0 + y1) / 2);
                if s.lost {
                    // The arrow stops at the middle of the wire, in a cross.
                    let (cx, cy) = (x0 + (x1 - x0) * 6 / 10, y0 + (y1 - y0) * 6 / 10);
                    let _ = write!(
                        body,
                        "<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{cx}\" y2=\"{cy}\"/><path class=\"x\" d=\"M{} {}l12 12M{} {}l-12 12\"/>",
                        cx - 6,
                        cy - 6,
                        cx + 6,
                        cy - 6
                    );
                } else {
                    let _ = write!(
                        body,
                        "<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y1}\" marker-end=\"url(#lab-arrow)\"/>"
                    );
                }
                let label = format!("[{n}] {:.3} {flags}{lost}", s.at_us as f64 / 1e6);
                // A backdrop in the widget's colour, so that the arrow the
                // label sits on does not run through it: 12 px monospace
                // advances 0.6 em (7.2 px) a character.
                let width = label.chars().count() as f64 * 7.2 + 6.0;
                let _ = write!(
                    body,
                    "<rect class=\"lbl\" x=\"{:.1}\" y=\"{}\" width=\"{width:.1}\" height=\"16\" rx=\"3\"/><text class=\"m\" x=\"{mx}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
                    mx as f64 - width / 2.0,
                    my - 16,
                    my - 4,
                    esc(&label)
                );
            }
            Event::State {
                at_us, side, to, ..
            } => {
                let y = slot(*at_us);
                let (x, anchor) = match side {
                    Side::Client => (CLIENT_X - 6, "end"),
                    Side::Server => (SERVER_X + 6, "start"),
                };
                let _ = write!(
                    body,
                    "<text class=\"s\" x=\"{x}\" y=\"{}\" text-anchor=\"{anchor}\">{to}</text>",
                    y + 4
                );
            }
            Event::Note { .. } => {}
        }
    }
    for (y, gap_us) in &scale.cuts {
        let _ = write!(
            body,
            "<text class=\"cut\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">\u{22ee} {} s later \u{22ee}</text>",
            (CLIENT_X + SERVER_X) / 2,
            y + 4,
            *gap_us as f64 / 1e6
        );
    }
    let h = scale.bottom;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lab-ladder\" width=\"{WIDTH}\" height=\"{h}\" viewBox=\"0 0 {WIDTH} {h}\" role=\"group\" aria-label=\"Ladder diagram: {n} segments between client and server\">"
    );
    out.push_str(
        "<defs><marker id=\"lab-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\"/></marker></defs>",
    );
    let _ = write!(
        out,
        "<text class=\"h\" x=\"{CLIENT_X}\" y=\"18\" text-anchor=\"middle\">client 10.0.0.1</text><text class=\"h\" x=\"{SERVER_X}\" y=\"18\" text-anchor=\"middle\">server 10.0.0.2</text><line class=\"life\" x1=\"{CLIENT_X}\" y1=\"26\" x2=\"{CLIENT_X}\" y2=\"{}\"/><line class=\"life\" x1=\"{SERVER_X}\" y1=\"26\" x2=\"{SERVER_X}\" y2=\"{}\"/>",
        h - 8,
        h - 8
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// Each side's states, with when it entered and left each, as an HTML table.
pub fn timeline(trace: &Trace) -> String {
    let end = trace
        .events
        .iter()
        .map(|e| match e {
            Event::Segment(s) => s.at_us,
            Event::State { at_us, .. } | Event::Note { at_us, .. } => *at_us,
        })
        .max()
        .unwrap_or(0);
    let mut out = String::from(
        "<table class=\"lab-timeline\"><thead><tr><th>side</th><th>state</th><th>from (s)</th><th>until (s)</th><th>for (s)</th></tr></thead><tbody>",
    );
    for side in [Side::Client, Side::Server] {
        let changes: Vec<(u64, State)> = trace
            .events
            .iter()
            .filter_map(|e| match e {
                Event::State {
                    at_us, side: s, to, ..
                } if *s == side => Some((*at_us, *to)),
                _ => None,
            })
            .collect();
        for (i, (from, state)) in changes.iter().enumerate() {
            let until = changes.get(i + 1).map(|c| c.0);
            let shown_until =
                until.map_or("(end)".to_owned(), |u| format!("{:.3}", u as f64 / 1e6));
            let span = until.unwrap_or(end).saturating_sub(*from);
            let _ = write!(
                out,
                "<tr data-side=\"{}\" data-state=\"{state}\"><td>{}</td><td>{state}</td><td>{:.3}</td><td>{shown_until}</td><td>{:.3}</td></tr>",
                side.name(),
                side.name(),
                *from as f64 / 1e6,
                span as f64 / 1e6
            );
        }
    }
    out.push_str("</tbody></table>");
    out
}
