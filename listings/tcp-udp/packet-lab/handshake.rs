// The packet lab's handshake, written out: a listening server, a connecting
// client, and a run that stops once both sockets are ESTABLISHED and nothing
// is left in flight. It prints the segment table the book shows.

use listings::tcp_udp::packet_lab::{Lab, LabConfig, SERVER_PORT, Side, State, render};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Client 10.0.0.1 and server 10.0.0.2, 50 ms apart, fixed random seed.
    let mut lab = Lab::new(LabConfig::default());
    lab.listen()?; // the server's socket: CLOSED -> LISTEN on port 80
    lab.connect(SERVER_PORT)?; // the client's socket: CLOSED -> SYN-SENT

    // The closure is the applications' code, run after every round of polls.
    // This one does nothing but say when it is satisfied.
    lab.run(|ctx| {
        let up = |side| ctx.state(side) == State::Established;
        Ok(up(Side::Client) && up(Side::Server))
    })?;

    print!("{}", render::table(&lab.trace(), 3)?);
    Ok(())
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use listings::tcp_udp::packet_lab::{LabConfig, render, scenarios};

    #[test]
    fn prints_the_same_trace_as_the_generated_handshake() {
        let trace = scenarios::handshake(&LabConfig::default()).unwrap();
        let committed = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tcp-udp/packet-lab/generated/handshake.txt"
        ));
        assert_eq!(render::table(&trace, 3).unwrap(), committed);
    }
}
