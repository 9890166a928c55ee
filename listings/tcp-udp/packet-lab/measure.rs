// no-golden: it prints wall-clock times, which change from run to run.
// How long does the whole lab take? Runs all eight scenarios, renders every
// table, diagram, hex dump and pcap, and reports the wall-clock time.

use std::time::Instant;

use listings::tcp_udp::packet_lab::{LabConfig, pcap, render, scenarios};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds = 20;
    let start = Instant::now();
    let mut segments = 0;
    for _ in 0..rounds {
        for s in &scenarios::ALL {
            let trace = (s.run)(&LabConfig::default())?;
            segments += trace.segments().count();
            let text = render::table(&trace, 3)?
                + &render::mermaid(&trace, "client", "server")?
                + &render::hex_dump(&trace, s.dump)?;
            std::hint::black_box((text, pcap::to_pcap(&trace)));
        }
    }
    let per_lab = start.elapsed() / rounds;
    println!(
        "{} scenarios, {} segments per lab run",
        scenarios::ALL.len(),
        segments / rounds as usize
    );
    println!("whole lab (run + render + pcap): {per_lab:?} per run, mean of {rounds}");
    Ok(())
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    #[test]
    fn the_lab_runs() {
        super::main().unwrap();
    }
}
