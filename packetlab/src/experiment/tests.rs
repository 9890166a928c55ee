//! Tests of experiments: the eight scenarios unchanged, edits, every error
//! message the page can show.

use super::*;
use crate::scenarios::by_name;

fn parse_err(fragment: &str) -> String {
    Params::parse(fragment)
        .map(|p| panic!("{fragment:?} parsed as {p:?}"))
        .unwrap_err()
        .to_string()
}

fn outcome_of(fragment: &str) -> Outcome {
    let p = Params::parse(fragment).unwrap_or_else(|e| panic!("{fragment}: {e}"));
    outcome(&p).unwrap_or_else(|e| panic!("{fragment}: {e}"))
}

#[test]
fn every_scenario_unchanged_is_the_books_run() {
    for s in &ALL {
        let p = Params::scenario(s.name).unwrap();
        let book = (s.run)(&LabConfig::default()).unwrap();
        let run = run(&p).unwrap();
        assert_eq!(run.error, None, "{}", s.name);
        assert_eq!(run.trace, book, "{}", s.name);
        // And through the fragment, as a shared URL carries it.
        let again = Params::parse(&p.to_fragment()).unwrap();
        assert_eq!(again, p, "{}", s.name);
        assert_eq!(Params::parse(&format!("scenario={}", s.name)).unwrap(), p);
    }
    assert_eq!(DEFAULTS.len(), ALL.len());
}

#[test]
fn an_edit_changes_the_run() {
    let book = (by_name("handshake").unwrap().run)(&LabConfig::default()).unwrap();
    let slower = run(&Params::parse("scenario=handshake&latency=80").unwrap()).unwrap();
    assert_ne!(slower.trace, book);
    let count = |t: &Trace| t.segments().count();
    let lost = run(&Params::parse("scenario=handshake&lose=1").unwrap()).unwrap();
    assert!(lost.trace.segments().next().unwrap().lost);
    assert_eq!(
        count(&lost.trace),
        count(&book) + 1,
        "the SYN is sent again"
    );
}

#[test]
fn fragments_round_trip() {
    for f in [
        "scenario=handshake&lose=2,4&latency=120&client=1200&server=0&close=both",
        "scenario=rst&lose=1&latency=1&client=0&server=0&close=none",
        "scenario=data&lose=server&latency=500&client=4096&server=4096&close=server",
        "scenario=close&lose=3,client&latency=50&client=0&server=7&close=client",
    ] {
        let p = Params::parse(f).unwrap();
        assert_eq!(p.to_fragment(), f);
        assert_eq!(Params::parse(&format!("#{f}")).unwrap(), p);
    }
    // Order of keys and of segment numbers does not matter; the canonical
    // form sorts the numbers.
    let p = Params::parse("lose=5,2&scenario=handshake").unwrap();
    assert_eq!(p.lose.numbers, [2, 5]);
    assert!(p.to_fragment().contains("lose=2,5&"));
}

#[test]
fn every_parameter_error_is_explained() {
    let cases = [
        ("", "the experiment names no scenario"),
        ("latency=50", "names no scenario"),
        (
            "scenario=tls",
            "unknown scenario `tls`: the scenarios are handshake, data, close, rst, lost-syn-ack, backoff, lost-data, simultaneous-close",
        ),
        (
            "scenario=handshake&latency",
            "`latency` is not of the form key=value",
        ),
        ("scenario=handshake&speed=3", "unknown key `speed`"),
        (
            "scenario=handshake&latency=50&latency=60",
            "`latency` is given twice",
        ),
        (
            "scenario=handshake&scenario=close",
            "`scenario` is given twice",
        ),
        (
            "scenario=handshake&latency=fast",
            "latency: `fast` is not a whole number",
        ),
        (
            "scenario=handshake&latency=-5",
            "latency: `-5` is not a whole number",
        ),
        (
            "scenario=handshake&latency=0",
            "latency 0 ms is out of range: it must be 1 to 500 ms",
        ),
        (
            "scenario=handshake&latency=501",
            "latency 501 ms is out of range",
        ),
        (
            "scenario=handshake&latency=99999999999",
            "latency: `99999999999` is not a whole number",
        ),
        (
            "scenario=handshake&client=4097",
            "the client sends 4097 bytes, more than one socket buffer: at most 4096",
        ),
        (
            "scenario=handshake&server=1e3",
            "server: `1e3` is not a whole number",
        ),
        ("scenario=handshake&lose=0", "there is no segment 0"),
        (
            "scenario=handshake&lose=2,x",
            "lose: `x` is not a whole number",
        ),
        (
            "scenario=handshake&lose=2,3,2",
            "lose: segment 2 is listed twice",
        ),
        (
            "scenario=handshake&close=later",
            "close must be none, client, server or both, not `later`",
        ),
        (
            "scenario=rst&client=5",
            "in the rst scenario nobody listens",
        ),
        ("scenario=rst&close=client", "nobody listens"),
    ];
    for (fragment, expected) in cases {
        let message = parse_err(fragment);
        assert!(
            message.contains(expected),
            "{fragment:?}: {message:?} does not contain {expected:?}"
        );
    }
    let many: Vec<String> = (1..=MAX_LOSE + 1).map(|n| n.to_string()).collect();
    assert_eq!(
        parse_err(&format!("scenario=handshake&lose={}", many.join(","))),
        "lose: at most 64 segment numbers"
    );
}

#[test]
fn a_segment_beyond_the_run_is_an_error() {
    let p = Params::parse("scenario=handshake&lose=2,9").unwrap();
    let err = run(&p).err().expect("segment 9 does not exist");
    assert_eq!(
        err.to_string(),
        "lose: segment 9 does not exist, this run put only 5 segments on the wire"
    );
    // The last segment of a run does exist.
    assert!(run(&Params::parse("scenario=handshake&lose=3").unwrap()).is_ok());
}

#[test]
fn losing_the_syn_ack_keeps_the_client_in_syn_sent() {
    let o = outcome_of("scenario=handshake&lose=2");
    assert_eq!(o.error, None);
    assert!(
        o.timeline
            .contains("<td>client</td><td>SYN-SENT</td><td>0.000</td><td>1.100</td>"),
        "{}",
        o.timeline
    );
    // Twice: the second SYN,ACK is segment 4, and the next SYN goes at 3 s.
    let o = outcome_of("scenario=handshake&lose=2,4");
    assert!(
        o.timeline
            .contains("<td>SYN-SENT</td><td>0.000</td><td>3.100</td>")
    );
    assert_eq!(o.segments.matches("\"lost\":true").count(), 2);
}

#[test]
fn losing_everything_the_server_sends_ends_in_words() {
    let o = outcome_of("scenario=handshake&lose=server");
    let error = o.error.expect("the run cannot finish");
    assert!(
        error.starts_with("The client retransmitted its SYN 6 times (sent at 0, 1, 3, 7, 15, 31, 63 s) and it was never acknowledged."),
        "{error}"
    );
    assert!(error.contains("The server retransmitted its"), "{error}");
    assert!(
        error.contains("The client was left in SYN-SENT, the server in SYN-RECEIVED."),
        "{error}"
    );
    // The trace up to the bound is still there.
    assert!(o.table.contains("LOST"));
    assert!(o.pcap.len() > 24);
}

#[test]
fn data_amounts_and_who_closes() {
    let o = outcome_of("scenario=handshake&client=4096&server=3000&close=server");
    assert_eq!(o.error, None);
    assert!(
        o.table
            .contains("[client] app: send(\"GET /\\nGET /\\n\"...)"),
        "{}",
        o.table
    );
    // 4096 bytes take three segments of at most 1460.
    assert!(o.table.contains("1460"));
    assert!(
        o.timeline
            .contains("data-side=\"server\" data-state=\"TIME-WAIT\"")
    );
    assert!(
        !o.timeline
            .contains("data-side=\"client\" data-state=\"TIME-WAIT\"")
    );
    let both = outcome_of("scenario=handshake&close=both");
    assert_eq!(
        both.timeline.matches("data-state=\"CLOSING\"").count(),
        2,
        "{}",
        both.timeline
    );
    // A lost FIN is sent again.
    let o = outcome_of("scenario=close&lose=4");
    assert_eq!(o.error, None);
    assert!(o.table.matches("FIN,ACK").count() >= 3, "{}", o.table);
}

#[test]
fn drawings_have_one_arrow_per_segment() {
    let o = outcome_of("scenario=lost-syn-ack");
    assert_eq!(o.ladder.matches("<g class=\"seg").count(), 5);
    assert_eq!(
        o.ladder
            .matches("<g class=\"seg lost\" data-n=\"2\"")
            .count(),
        1
    );
    assert!(o.ladder.starts_with("<svg") && o.ladder.ends_with("</svg>"));
    let close = outcome_of("scenario=close");
    assert!(close.ladder.contains("s later"), "TIME-WAIT is cut short");
    assert_eq!(
        o.segments.split("},{").count(),
        5,
        "one JSON object per segment: {}",
        o.segments
    );
}

#[test]
fn every_run_error_is_explained_in_words() {
    let empty = Trace { events: Vec::new() };
    let cases = [
        (
            LabError::Idle { at_ms: 250 },
            "Nothing was left to happen at 250 ms",
        ),
        (
            LabError::Stuck { at_ms: 7 },
            "asked to be polled again at 7 ms without making progress",
        ),
        (
            LabError::TooManySteps(10_000),
            "within the lab's bound of 10000 steps",
        ),
        (
            LabError::NoSocket(Side::Server),
            "the server has no socket.",
        ),
        (
            LabError::Socket("closed".into()),
            "socket call failed: closed.",
        ),
        (
            LabError::TooLate { at_ms: 120_000 },
            "The lab stops every run at 120 s of virtual time",
        ),
    ];
    for (error, words) in cases {
        let text = explain(&error, &empty);
        assert!(text.contains(words), "{error:?}: {text}");
        assert!(
            text.ends_with("The client was left in CLOSED, the server in CLOSED."),
            "{error:?}: {text}"
        );
    }
}
