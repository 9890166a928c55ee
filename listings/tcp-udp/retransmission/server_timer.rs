// Who retransmits the SYN,ACK? In the lab's lost-SYN,ACK scenario the
// client's second SYN reaches the server at the very instant the server's
// own retransmission timer fires. This listing also drops that second SYN,
// so only the server's timer is left to repair the loss.

use listings::tcp_udp::packet_lab::scenarios::{SYN, SYN_ACK, both};
use listings::tcp_udp::packet_lab::{Lab, LabConfig, SERVER_PORT, Side, State, render};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut lab = Lab::new(LabConfig::default());
    let (mut syn_acks, mut syns) = (0, 0);
    // The wire asks this rule about every segment; `true` means "lose it".
    lab.drop_if(move |from, row| match (from, row.flags) {
        (Side::Server, SYN_ACK) => {
            syn_acks += 1;
            syn_acks == 1 // the first SYN,ACK
        }
        (Side::Client, SYN) => {
            syns += 1;
            syns == 2 // the client's first retransmission
        }
        _ => false,
    });
    lab.listen()?;
    lab.connect(SERVER_PORT)?;
    lab.run(|ctx| Ok(both(ctx, State::Established)))?;
    print!("{}", render::table(&lab.trace(), 3)?);
    Ok(())
}
// ANCHOR_END: main
