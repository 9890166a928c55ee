//! The book's packet-lab files are expect-test goldens: every test here
//! rebuilds a file from a fresh run and compares it with the committed one.
//! `UPDATE_EXPECT=1 cargo test` rewrites them.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use pcap_file::DataLink;
use pcap_file::pcap::PcapReader;

use super::scenarios::{ALL, SYN, Scenario, by_name};
use super::{
    CLIENT_ADDR, CLIENT_PORT, Event, Lab, LabConfig, LabError, SERVER_ADDR, SERVER_PORT, Side,
    State, Trace, decode, pcap, render, trace_from_capture,
};

fn lab_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tcp-udp/packet-lab")
}

fn generated(file: &str) -> PathBuf {
    lab_dir().join("generated").join(file)
}

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

fn run(s: &Scenario, cfg: &LabConfig) -> Trace {
    (s.run)(cfg).unwrap_or_else(|e| panic!("scenario {}: {e}", s.name))
}

/// The three text files of a scenario: table, diagram, hex dump.
fn texts(s: &Scenario, trace: &Trace) -> [(String, String); 3] {
    let client = format!("client {CLIENT_ADDR} port {CLIENT_PORT}");
    let server = format!("server {SERVER_ADDR} port {SERVER_PORT}");
    let table = render::table(trace, 3).expect("lab segments decode");
    let diagram = render::mermaid(trace, &client, &server).expect("lab segments decode");
    let dump = render::hex_dump(trace, s.dump).expect("lab segments decode");
    [
        (format!("{}.txt", s.name), table),
        (format!("{}.mmd", s.name), diagram),
        (format!("{}-hex.txt", s.name), dump),
    ]
}

/// Binary goldens follow the same rule as `expect_file!`: compare, or write
/// when `UPDATE_EXPECT` is set.
fn assert_bytes(path: &Path, actual: &[u8]) {
    if updating() {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read(path).unwrap_or_default();
    assert!(
        committed == actual,
        "{} differs from a fresh run; rerun with UPDATE_EXPECT=1 and review the diff",
        path.display()
    );
}

#[test]
fn generated_files_match_a_fresh_run() {
    let cfg = LabConfig::default();
    for s in &ALL {
        let trace = run(s, &cfg);
        for (file, text) in texts(s, &trace) {
            expect_test::expect_file![generated(&file)].assert_eq(&text);
        }
        assert_bytes(
            &generated(&format!("{}.pcap", s.name)),
            &pcap::to_pcap(&trace),
        );
    }
}

/// The Linux capture is data (taken once with tcpdump); its table is generated.
#[test]
fn linux_capture_table_matches() {
    let bytes = std::fs::read(lab_dir().join("linux-loopback.pcap")).expect("capture is committed");
    let mut reader = PcapReader::new(&bytes[..]).expect("a pcap file");
    assert_eq!(
        reader.header().datalink,
        DataLink::ETHERNET,
        "tcpdump -i lo writes Ethernet frames"
    );
    let mut packets = Vec::new();
    while let Some(packet) = reader.next_packet() {
        let packet = packet.expect("well-formed record");
        // Loopback frames carry a 14-byte Ethernet header with zero addresses.
        let ip = packet.data[14..].to_vec();
        packets.push((u64::try_from(packet.timestamp.as_micros()).unwrap(), ip));
    }
    let trace = trace_from_capture(&packets).expect("TCP over IPv4");
    let table = render::table(&trace, 6).expect("decodes");
    expect_test::expect_file![generated("linux-loopback.txt")].assert_eq(&table);
    let dump = render::hex_dump(&trace, &[1, 2]).expect("decodes");
    expect_test::expect_file![generated("linux-loopback-hex.txt")].assert_eq(&dump);
}

/// A change in the lab (here: another seed, so other ISNs) must make the
/// comparison fail until the goldens are regenerated.
#[test]
fn a_changed_trace_fails_until_regenerated() {
    let handshake = by_name("handshake").expect("a scenario of that name");
    let changed_cfg = LabConfig {
        seed: 7,
        ..LabConfig::default()
    };
    let changed = run(handshake, &changed_cfg);
    let [(file, changed_table), ..] = texts(handshake, &changed);
    let committed = std::fs::read_to_string(generated(&file)).expect("golden is committed");
    assert_ne!(
        changed_table, committed,
        "another seed must give other ISNs"
    );

    let slower = LabConfig {
        latency_ms: 80,
        ..LabConfig::default()
    };
    let [(_, slower_table), ..] = texts(handshake, &run(handshake, &slower));
    assert_ne!(
        slower_table, committed,
        "another latency must give other times"
    );

    if updating() {
        // In update mode `assert_eq` would overwrite the golden with the
        // changed trace: only the comparison above is safe here.
        return;
    }
    let verdict = catch_unwind(AssertUnwindSafe(|| {
        expect_test::expect_file![generated(&file)].assert_eq(&changed_table);
    }));
    assert!(verdict.is_err(), "expect_file accepted a changed trace");
    let pcap_verdict = catch_unwind(AssertUnwindSafe(|| {
        assert_bytes(&generated("handshake.pcap"), &pcap::to_pcap(&changed));
    }));
    assert!(pcap_verdict.is_err(), "a changed pcap was accepted");
}

#[test]
fn pcap_export_parses_back_to_the_logged_segments() {
    for s in &ALL {
        let trace = run(s, &LabConfig::default());
        let file = pcap::to_pcap(&trace);
        let mut reader = PcapReader::new(&file[..]).expect("a pcap file");
        let header = reader.header();
        assert_eq!(header.datalink, DataLink::RAW);
        assert_eq!((header.version_major, header.version_minor), (2, 4));
        let mut segments = trace.segments();
        while let Some(packet) = reader.next_packet() {
            let packet = packet.expect("well-formed record");
            let seg = segments.next().expect("no more records than segments");
            assert_eq!(packet.data.as_ref(), &seg.bytes[..], "{}", s.name);
            assert_eq!(packet.orig_len as usize, seg.bytes.len());
            assert_eq!(packet.timestamp.as_micros(), u128::from(seg.at_us));
        }
        assert!(
            segments.next().is_none(),
            "{}: every segment is in the file",
            s.name
        );
    }
}

#[test]
fn runs_are_deterministic_and_checksums_verify() {
    for s in &ALL {
        let a = run(s, &LabConfig::default());
        let b = run(s, &LabConfig::default());
        assert_eq!(a, b, "{}", s.name);
        for seg in a.segments() {
            assert!(decode(seg).expect("decodes").checksum_ok, "{}", s.name);
        }
    }
}

#[test]
fn retransmissions_back_off_exponentially() {
    let trace = run(by_name("backoff").unwrap(), &LabConfig::default());
    let syn_times: Vec<u64> = trace
        .segments()
        .filter_map(|s| decode(s).ok())
        .filter(|r| r.flags == SYN)
        .map(|r| r.at_us / 1000)
        .collect();
    assert_eq!(syn_times, [0, 1000, 3000, 7000, 15000]);
}

#[test]
fn simultaneous_close_goes_through_closing() {
    let trace = run(
        by_name("simultaneous-close").unwrap(),
        &LabConfig::default(),
    );
    for side in [Side::Client, Side::Server] {
        let path: Vec<State> = trace
            .events
            .iter()
            .filter_map(|e| match e {
                Event::State { side: s, to, .. } if *s == side => Some(*to),
                _ => None,
            })
            .skip_while(|s| *s != State::FinWait1)
            .collect();
        assert_eq!(
            path,
            [
                State::FinWait1,
                State::Closing,
                State::TimeWait,
                State::Closed
            ]
        );
    }
}

#[test]
fn diagrams_never_contain_a_semicolon() {
    for s in &ALL {
        let trace = run(s, &LabConfig::default());
        let [_, (_, diagram), _] = texts(s, &trace);
        assert!(!diagram.contains(';'), "{}", s.name);
    }
}

#[test]
fn runaway_runs_are_errors_not_hangs() {
    // Every SYN lost: the client retries forever, the time bound stops it.
    let mut lab = Lab::new(LabConfig {
        max_time_ms: 30_000,
        ..LabConfig::default()
    });
    lab.drop_if(|_, _| true);
    lab.listen().unwrap();
    lab.connect(SERVER_PORT).unwrap();
    assert!(matches!(
        lab.run(|_| Ok(false)),
        Err(LabError::TooLate { .. })
    ));

    // Nothing will ever happen, but the application is not done.
    let mut lab = Lab::new(LabConfig::default());
    lab.listen().unwrap();
    assert!(matches!(
        lab.run(|_| Ok(false)),
        Err(LabError::Idle { at_ms: 0 })
    ));

    // A small step budget is enforced too.
    let mut lab = Lab::new(LabConfig {
        max_steps: 3,
        ..LabConfig::default()
    });
    lab.listen().unwrap();
    lab.connect(SERVER_PORT).unwrap();
    assert_eq!(lab.run(|_| Ok(false)), Err(LabError::TooManySteps(3)));
}
