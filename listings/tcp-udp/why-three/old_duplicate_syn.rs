// RFC 9293 §3.5's old duplicate SYN, simulated twice: once with TCP's
// three-way handshake, once with a two-way handshake in which the server
// opens the connection as soon as it answers a SYN.

use listings::tcp_udp::handshake_sim::{Handshake, simulate};

// ANCHOR: main
fn main() {
    for (title, handshake) in [
        ("three-way handshake (TCP)", Handshake::ThreeWay),
        ("two-way handshake (imagined)", Handshake::TwoWay),
    ] {
        let outcome = simulate(handshake);
        println!("== {title} ==");
        for line in &outcome.log {
            println!("{line}");
        }
        println!(
            "connections the server's application accepted: {}",
            outcome.accepted.len()
        );
        for isn in &outcome.accepted {
            let verdict = if *isn == 100 {
                "the client's"
            } else {
                "BOGUS, nobody asked for it"
            };
            println!("  client ISN {isn}: {verdict}");
        }
        println!(
            "data the server's application read: {:?}\n",
            outcome.delivered
        );
    }
}
// ANCHOR_END: main
