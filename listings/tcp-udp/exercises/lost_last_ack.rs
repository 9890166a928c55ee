// Exercise: a packet-lab scenario the book does not show. The client closes,
// the server closes, and the wire loses the client's last ACK, the one that
// acknowledges the server's FIN. What does each side do about it?

use listings::tcp_udp::packet_lab::{
    Event, Lab, LabConfig, LabError, SERVER_PORT, Side, State, Trace, decode,
};

// ANCHOR: solution
/// Runs the close of the book's "close" scenario (client first, server as
/// soon as it is in CLOSE-WAIT), with the client's ACK of the server's FIN
/// lost once, until both sockets are CLOSED.
pub fn lost_last_ack(cfg: &LabConfig) -> Result<Trace, LabError> {
    // ANCHOR: todo
    let mut lab = Lab::new(cfg.clone());
    let mut server_fin_seen = false;
    let mut dropped = false;
    lab.drop_if(move |from, row| {
        let fin = row.flags.to_string().contains("FIN");
        if from == Side::Server && fin {
            server_fin_seen = true;
            return false;
        }
        let last_ack = from == Side::Client && server_fin_seen && !fin && row.len == 0;
        let drop = last_ack && !dropped;
        dropped |= drop;
        drop
    });
    lab.listen()?;
    lab.connect(SERVER_PORT)?;
    lab.run(|ctx| {
        Ok(ctx.state(Side::Client) == State::Established
            && ctx.state(Side::Server) == State::Established)
    })?;
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
        Ok(ctx.state(Side::Client) == State::Closed && ctx.state(Side::Server) == State::Closed)
    })?;
    Ok(lab.trace())
    // ANCHOR_END: todo
}
// ANCHOR_END: solution

fn main() {
    let trace = match lost_last_ack(&LabConfig::default()) {
        Ok(trace) => trace,
        Err(e) => {
            println!("the scenario failed: {e}");
            return;
        }
    };
    let seconds = |at_us: u64| at_us as f64 / 1e6;
    for event in &trace.events {
        match event {
            Event::Segment(segment) => {
                let row = decode(segment).expect("the lab sends valid TCP/IPv4");
                println!(
                    "{:>7.3} s  {:?} sends {} seq={} ack={}{}",
                    seconds(row.at_us),
                    row.from,
                    row.flags,
                    row.seq,
                    row.ack.map_or("-".to_owned(), |a| a.to_string()),
                    if row.lost { "  (LOST)" } else { "" }
                );
            }
            Event::State {
                at_us,
                side,
                from,
                to,
            } => println!("{:>7.3} s  {side:?}: {from} -> {to}", seconds(*at_us)),
            _ => {}
        }
    }
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;
    use listings::tcp_udp::packet_lab::Row;

    /// Every segment of a trace, decoded.
    fn rows(trace: &Trace) -> Vec<Row> {
        trace
            .segments()
            .map(|s| decode(s).expect("the lab sends valid TCP/IPv4"))
            .collect()
    }

    fn run() -> (Trace, Vec<Row>) {
        let trace = lost_last_ack(&LabConfig::default()).expect("the scenario finishes");
        let rows = rows(&trace);
        (trace, rows)
    }

    fn fin(row: &Row) -> bool {
        row.flags.to_string().contains("FIN")
    }

    #[test]
    fn exactly_one_segment_is_lost_and_it_is_the_clients_last_ack() {
        let (_, rows) = run();
        let lost: Vec<&Row> = rows.iter().filter(|r| r.lost).collect();
        assert_eq!(lost.len(), 1, "{rows:#?}");
        let ack = lost[0];
        assert_eq!(ack.from, Side::Client);
        assert!(!fin(ack) && ack.len == 0);
        let server_fin = rows
            .iter()
            .find(|r| r.from == Side::Server && fin(r))
            .expect("the server sends a FIN");
        assert_eq!(ack.ack, Some(server_fin.seq.wrapping_add(1)));
    }

    #[test]
    fn the_server_sends_its_fin_again_and_the_client_acks_it_again() {
        let (_, rows) = run();
        let server_fins: Vec<&Row> = rows
            .iter()
            .filter(|r| r.from == Side::Server && fin(r))
            .collect();
        assert_eq!(server_fins.len(), 2, "one FIN and one retransmission");
        assert_eq!(server_fins[0].seq, server_fins[1].seq, "the same FIN");
        let last = rows.last().expect("segments");
        assert_eq!(last.from, Side::Client);
        assert!(!last.lost && !fin(last));
        assert_eq!(last.ack, Some(server_fins[1].seq.wrapping_add(1)));
        assert!(last.at_us > server_fins[1].at_us);
    }

    #[test]
    fn the_server_leaves_last_ack_only_when_the_ack_arrives() {
        let (trace, rows) = run();
        let closed_at = trace
            .events
            .iter()
            .find_map(|e| match e {
                Event::State {
                    at_us,
                    side: Side::Server,
                    to: State::Closed,
                    ..
                } => Some(*at_us),
                _ => None,
            })
            .expect("the server closes");
        let last = rows.last().expect("segments");
        assert!(closed_at > last.at_us, "CLOSED only after the second ACK");
    }

    #[test]
    fn the_client_waits_in_time_wait_then_both_are_closed() {
        let (trace, _) = run();
        let client_states: Vec<State> = trace
            .events
            .iter()
            .filter_map(|e| match e {
                Event::State {
                    side: Side::Client,
                    to,
                    ..
                } => Some(*to),
                _ => None,
            })
            .collect();
        assert!(client_states.contains(&State::TimeWait));
        assert_eq!(client_states.last(), Some(&State::Closed));
    }

    #[test]
    fn the_retransmitted_fin_restarts_time_wait() {
        // RFC 9293 §3.10.7.4: a FIN that arrives in TIME-WAIT is acknowledged
        // and the 2 MSL timer starts again (10 s in smoltcp).
        let (trace, rows) = run();
        let last_ack = rows.last().expect("segments").at_us;
        let client_closed = trace
            .events
            .iter()
            .find_map(|e| match e {
                Event::State {
                    at_us,
                    side: Side::Client,
                    to: State::Closed,
                    ..
                } => Some(*at_us),
                _ => None,
            })
            .expect("the client closes");
        assert_eq!(client_closed - last_ack, 10_000_000);
    }
}
// ANCHOR_END: tests
