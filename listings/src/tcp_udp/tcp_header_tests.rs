//! Tests of the TCP header decoder: the note's dumps, every kind of malformed
//! input, the command-line logic, and property tests against etherparse.

use proptest::prelude::*;

use crate::hex::parse_hex;
use crate::tcp_udp::tcp_header::*;
use crate::tcp_udp::tcp_header_cli::{self as cli, Input};

fn hex(text: &str) -> Vec<u8> {
    parse_hex(text).expect("test hex is valid")
}

fn decode(segment: &[u8]) -> Result<(TcpHeader, &[u8]), DecodeError> {
    TcpHeader::parse(segment)
}

/// A 20-byte header with the given data offset, then `options` appended.
fn with_options(options: &[u8]) -> Vec<u8> {
    assert_eq!(options.len() % 4, 0, "test options fill whole words");
    let mut bytes = hex("c605 1f48 0000 0001 0000 0000 5002 ffff 0000 0000");
    bytes[12] = (((20 + options.len()) / 4) as u8) << 4;
    bytes.extend_from_slice(options);
    bytes
}

fn decode_err(bytes: &[u8]) -> DecodeError {
    decode(bytes).expect_err("input is malformed")
}

#[test]
fn note_syn_decodes_field_by_field() {
    let bytes = hex(NOTE_SYN);
    let (h, payload) = decode(&bytes).unwrap();
    assert!(payload.is_empty());
    assert_eq!((h.source_port, h.destination_port), (50693, 8008));
    assert_eq!(h.sequence_number, 0xe6a8_6c68);
    assert_eq!(h.acknowledgment_number, 0);
    assert_eq!((h.data_offset, h.header_len(), h.reserved), (8, 32, 0));
    assert_eq!(h.flags.names(), "SYN");
    assert_eq!((h.window, h.checksum, h.urgent_pointer), (64240, 0xb6ce, 0));
    use TcpOption::*;
    assert_eq!(
        h.options,
        [
            MaximumSegmentSize(1460),
            NoOperation,
            WindowScale(8),
            NoOperation,
            NoOperation,
            SackPermitted
        ]
    );
}

#[test]
fn note_syn_ack_decodes_field_by_field() {
    let bytes = hex(NOTE_SYN_ACK);
    let (h, _) = decode(&bytes).unwrap();
    assert_eq!((h.source_port, h.destination_port), (8008, 50693));
    assert_eq!(h.sequence_number, 0xc4a7_ff74);
    assert_eq!(h.acknowledgment_number, 0xe6a8_6c69);
    assert_eq!(h.flags.names(), "SYN,ACK");
    assert_eq!((h.data_offset, h.window, h.checksum), (8, 29200, 0x41b3));
    use TcpOption::*;
    assert_eq!(
        h.options,
        [
            MaximumSegmentSize(1400),
            NoOperation,
            NoOperation,
            SackPermitted,
            NoOperation,
            WindowScale(7)
        ]
    );
}

#[test]
fn the_note_dumps_form_a_handshake() {
    let (syn, _) = decode(&hex(NOTE_SYN)).unwrap();
    let (syn_ack, _) = decode(&hex(NOTE_SYN_ACK)).unwrap();
    assert!(is_syn(&syn) && is_syn_ack(&syn_ack));
    let check = check_handshake(&syn, &syn_ack);
    assert!(check.holds());
    assert_eq!(check.third_segment, (0xe6a8_6c69, 0xc4a7_ff75));
}

#[test]
fn handshake_check_fails_on_a_wrong_ack() {
    let (syn, _) = decode(&hex(NOTE_SYN)).unwrap();
    let (mut syn_ack, _) = decode(&hex(NOTE_SYN_ACK)).unwrap();
    syn_ack.acknowledgment_number = syn.sequence_number; // forgot the + 1
    assert!(!check_handshake(&syn, &syn_ack).holds());
}

#[test]
fn handshake_ack_wraps_modulo_2_pow_32() {
    let (mut syn, _) = decode(&hex(NOTE_SYN)).unwrap();
    let (mut syn_ack, _) = decode(&hex(NOTE_SYN_ACK)).unwrap();
    syn.sequence_number = u32::MAX;
    syn_ack.acknowledgment_number = 0;
    assert!(check_handshake(&syn, &syn_ack).holds());
}

#[test]
fn sequence_comparison_survives_wraparound() {
    assert!(seq::lt(1, 2));
    assert!(
        seq::lt(u32::MAX - 10, 5),
        "5 comes 16 steps after 2^32 - 11"
    );
    assert!(!seq::lt(5, u32::MAX - 10));
    assert!(!seq::lt(7, 7));
    assert_eq!(seq::add(u32::MAX, 1), 0);
}

#[test]
fn etherparse_agrees_on_the_note_dumps() {
    for dump in [NOTE_SYN, NOTE_SYN_ACK] {
        let bytes = hex(dump);
        let (mine, _) = decode(&bytes).unwrap();
        let (theirs, _) = etherparse::TcpHeader::from_slice(&bytes).unwrap();
        assert_same(&mine, &theirs);
    }
}

// --- malformed input: every case gives its own error -------------------------

#[test]
fn a_truncated_header_is_rejected() {
    assert_eq!(decode_err(&[]), DecodeError::Truncated { got: 0 });
    assert_eq!(
        decode_err(&hex(NOTE_SYN)[..19]),
        DecodeError::Truncated { got: 19 }
    );
}

#[test]
fn a_data_offset_below_five_is_rejected() {
    for offset in 0..5 {
        let mut bytes = with_options(&[]);
        bytes[12] = offset << 4;
        assert_eq!(
            decode_err(&bytes),
            DecodeError::DataOffsetTooSmall {
                data_offset: offset
            }
        );
    }
}

#[test]
fn a_data_offset_beyond_the_bytes_is_rejected() {
    let bytes = hex(NOTE_SYN);
    assert_eq!(
        decode_err(&bytes[..28]),
        DecodeError::HeaderBeyondInput {
            header_len: 32,
            got: 28
        }
    );
    let mut max = with_options(&[]);
    max[12] = 0xf0;
    assert_eq!(
        decode_err(&max),
        DecodeError::HeaderBeyondInput {
            header_len: 60,
            got: 20
        }
    );
}

#[test]
fn option_lengths_of_zero_and_one_are_rejected() {
    for length in [0, 1] {
        let bytes = with_options(&[2, length, 0, 0]);
        assert_eq!(
            decode_err(&bytes),
            DecodeError::OptionLengthTooSmall {
                offset: 20,
                kind: 2,
                length
            }
        );
        // An unknown kind too: its length is needed to skip it.
        let bytes = with_options(&[1, 99, length, 0]);
        assert_eq!(
            decode_err(&bytes),
            DecodeError::OptionLengthTooSmall {
                offset: 21,
                kind: 99,
                length
            }
        );
    }
}

#[test]
fn an_option_running_past_the_header_is_rejected() {
    assert_eq!(
        decode_err(&with_options(&[1, 1, 2, 4])),
        DecodeError::OptionPastHeader {
            offset: 22,
            kind: 2,
            length: 4,
            left: 2
        }
    );
    assert_eq!(
        decode_err(&with_options(&[1, 1, 1, 8, 10, 0, 0, 0])),
        DecodeError::OptionPastHeader {
            offset: 23,
            kind: 8,
            length: 10,
            left: 5
        }
    );
    assert_eq!(
        decode_err(&with_options(&[1, 99, 40, 0])),
        DecodeError::OptionPastHeader {
            offset: 21,
            kind: 99,
            length: 40,
            left: 3
        }
    );
}

#[test]
fn an_option_kind_without_room_for_its_length_is_rejected() {
    assert_eq!(
        decode_err(&with_options(&[1, 1, 1, 3])),
        DecodeError::OptionLengthMissing {
            offset: 23,
            kind: 3
        }
    );
}

#[test]
fn every_fixed_length_kind_rejects_a_wrong_length() {
    // kind, a wrong length, the options area
    let cases: [(u8, u8, Vec<u8>); 7] = [
        (2, 5, vec![2, 5, 5, 0xb4, 0, 0, 0, 0]),
        (2, 3, vec![2, 3, 5, 0]),
        (3, 4, vec![3, 4, 7, 0]),
        (4, 3, vec![4, 3, 0, 0]),
        (8, 8, vec![8, 8, 0, 0, 0, 0, 0, 0]),
        (5, 9, vec![5, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        (5, 12, vec![5, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ];
    for (kind, length, options) in cases {
        match decode_err(&with_options(&options)) {
            DecodeError::OptionWrongLength {
                offset: 20,
                kind: k,
                length: l,
                ..
            } => {
                assert_eq!((k, l), (kind, length));
            }
            other => panic!("kind {kind} length {length}: {other:?}"),
        }
    }
    // SACK with 2 blocks is 18 bytes: accepted.
    let mut sack = vec![1, 1, 5, 18];
    sack.extend((0..16).map(|i| i as u8));
    let (h, _) = decode(&with_options(&sack)).unwrap();
    assert_eq!(
        h.options[2],
        TcpOption::Sack(vec![(0x0001_0203, 0x0405_0607), (0x0809_0a0b, 0x0c0d_0e0f)])
    );
}

#[test]
fn end_of_option_list_keeps_its_padding() {
    let (h, _) = decode(&with_options(&[1, 0, 0, 0])).unwrap();
    assert_eq!(
        h.options,
        [
            TcpOption::NoOperation,
            TcpOption::EndOfOptionList {
                padding: vec![0, 0]
            }
        ]
    );
}

#[test]
fn unknown_options_are_skipped_by_their_length() {
    let (h, _) = decode(&with_options(&[30, 4, 0xab, 0xcd, 1, 1, 1, 1])).unwrap();
    assert_eq!(
        h.options[0],
        TcpOption::Unknown {
            kind: 30,
            data: vec![0xab, 0xcd]
        }
    );
    assert_eq!(h.options.len(), 5);
}

#[test]
fn the_option_table_drives_lengths_and_names() {
    // Every fixed length in the table is accepted, and one more is not.
    for spec in OPTIONS {
        if let LengthRule::Exactly(n) = spec.length {
            assert!(
                spec.length.allows(n) && !spec.length.allows(n + 1),
                "{spec:?}"
            );
        }
    }
    assert!(LengthRule::SackBlocks.allows(34) && !LengthRule::SackBlocks.allows(2));
    assert_eq!(OptionSpec::of(kind::MSS).name, "MSS");
    assert_eq!(OptionSpec::of(99).length, LengthRule::AtLeastTwo);
    assert_eq!(option_name(99), "unknown");
    // Each option the decoder produces encodes to the kind and length the
    // table gives for it.
    let (h, _) = decode(&hex(NOTE_SYN)).unwrap();
    for option in &h.options {
        let mut bytes = Vec::new();
        option.write(&mut bytes);
        assert_eq!(bytes[0], option.kind());
        let spec = OptionSpec::of(option.kind());
        match spec.length {
            LengthRule::KindOnly => assert_eq!(bytes.len(), 1),
            rule => assert!(rule.allows(bytes[1]) && usize::from(bytes[1]) == bytes.len()),
        }
    }
}

#[test]
fn to_bytes_gives_back_the_note_dumps() {
    for dump in [NOTE_SYN, NOTE_SYN_ACK] {
        let bytes = hex(dump);
        assert_eq!(decode(&bytes).unwrap().0.to_bytes(), bytes);
    }
}

#[test]
fn errors_read_clearly() {
    let e = decode_err(&with_options(&[2, 5, 0, 0, 0, 0, 0, 0]));
    assert_eq!(
        e.to_string(),
        "option MSS (kind 2) at byte 20 has length 5; it must be 4"
    );
    let e = decode_err(&with_options(&[5, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    assert_eq!(
        e.to_string(),
        "option SACK (kind 5) at byte 20 has length 12; it must be 2 + 8n with n >= 1 (10, 18, 26 or 34)"
    );
    let e = decode_err(&[0; 7]);
    assert_eq!(
        e.to_string(),
        "truncated header: the fixed part of a TCP header is 20 bytes, got 7"
    );
}

#[test]
fn bytes_after_the_header_are_the_payload() {
    let mut bytes = with_options(&[]);
    bytes.extend_from_slice(b"hello");
    let (h, payload) = decode(&bytes).unwrap();
    assert_eq!((h.header_len(), payload), (20, &b"hello"[..]));
}

// --- the command-line logic --------------------------------------------------

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn no_stdin() -> std::io::Result<String> {
    panic!("stdin must not be read here")
}

#[test]
fn arguments_are_one_header_joined_with_spaces() {
    let input = cli::choose_input(&args(&["c6", "05", "1f48"]), false, no_stdin).unwrap();
    assert_eq!(
        input,
        Input::Headers(vec![("arguments".into(), "c6 05 1f48".into())])
    );
}

#[test]
fn a_terminal_with_no_arguments_means_the_note_demo() {
    assert_eq!(
        cli::choose_input(&[], true, no_stdin).unwrap(),
        Input::NoteDemo
    );
}

#[test]
fn empty_stdin_means_the_note_demo() {
    let input = cli::choose_input(&[], false, || Ok("\n  \n# just a comment\n".into())).unwrap();
    assert_eq!(input, Input::NoteDemo);
}

#[test]
fn stdin_gives_one_header_per_line_with_line_numbers() {
    let text = format!("# the note\n{NOTE_SYN}\n\n{NOTE_SYN_ACK}\n");
    let input = cli::choose_input(&[], false, || Ok(text)).unwrap();
    assert_eq!(
        input,
        Input::Headers(vec![
            ("line 2".into(), NOTE_SYN.into()),
            ("line 4".into(), NOTE_SYN_ACK.into())
        ])
    );
}

#[test]
fn help_and_unknown_flags() {
    assert_eq!(
        cli::choose_input(&args(&["--help"]), true, no_stdin).unwrap(),
        Input::Help
    );
    let outcome = cli::run(cli::choose_input(&args(&["-x"]), true, no_stdin).unwrap());
    assert_eq!(outcome.exit_code, 2);
    assert!(outcome.stderr.contains("unknown option \"-x\""));
}

#[test]
fn the_demo_decodes_both_headers_and_checks_the_handshake() {
    let outcome = cli::run(Input::NoteDemo);
    assert_eq!(outcome.exit_code, 0);
    assert!(outcome.stderr.is_empty());
    let out = &outcome.stdout;
    assert!(out.contains("sequence number         3869797480 (0xe6a86c68)\n"));
    assert!(out.contains("data offset             8 words = 32 bytes"));
    assert!(out.contains("flags                   0x12 = SYN,ACK\n"));
    assert!(out.contains("SYN-ACK ack           3869797481 (0xe6a86c69): matches\n"));
    assert!(out.contains("seq 3869797481 (0xe6a86c69), ack 3299344245 (0xc4a7ff75)\n"));
}

#[test]
fn a_bad_line_is_reported_and_the_others_still_decode() {
    let lines = [
        ("line 1", NOTE_SYN.to_owned()),
        ("line 2", "c6 05 zz".to_owned()),
        ("line 3", "00".repeat(12)),
    ];
    let lines: Vec<(String, String)> = lines.into_iter().map(|(l, h)| (l.to_owned(), h)).collect();
    let outcome = cli::decode_all(&lines);
    assert_eq!(outcome.exit_code, 1);
    assert!(outcome.stdout.contains("line 1: TCP header, 32 bytes"));
    assert_eq!(
        outcome.stderr,
        "line 2: error: bad hex: 'z' at column 7 is not a hex digit\n\
         line 3: error: truncated header: the fixed part of a TCP header is 20 bytes, got 12\n"
    );
}

#[test]
fn no_handshake_check_unless_a_syn_ack_follows_a_syn() {
    let mut reversed = cli::note_headers();
    reversed.reverse();
    let outcome = cli::decode_all(&reversed);
    assert!(!outcome.stdout.contains("handshake check"));
}

// --- etherparse and property tests -------------------------------------------

fn assert_same(mine: &TcpHeader, theirs: &etherparse::TcpHeader) {
    assert_eq!(mine.source_port, theirs.source_port);
    assert_eq!(mine.destination_port, theirs.destination_port);
    assert_eq!(mine.sequence_number, theirs.sequence_number);
    assert_eq!(mine.acknowledgment_number, theirs.acknowledgment_number);
    assert_eq!(mine.data_offset, theirs.data_offset());
    assert_eq!(mine.header_len(), theirs.header_len());
    // etherparse still names bit 7 (the last reserved bit) "ns" after RFC 3540.
    assert_eq!(mine.reserved & 1 == 1, theirs.ns);
    let f = mine.flags;
    let pairs = [
        (f.has(Flags::CWR), theirs.cwr),
        (f.has(Flags::ECE), theirs.ece),
        (f.has(Flags::URG), theirs.urg),
        (f.has(Flags::ACK), theirs.ack),
        (f.has(Flags::PSH), theirs.psh),
        (f.has(Flags::RST), theirs.rst),
        (f.has(Flags::SYN), theirs.syn),
        (f.has(Flags::FIN), theirs.fin),
    ];
    for (i, (a, b)) in pairs.iter().enumerate() {
        assert_eq!(a, b, "flag {}", Flags::ALL[i].0);
    }
    assert_eq!(mine.window, theirs.window_size);
    assert_eq!(mine.checksum, theirs.checksum);
    assert_eq!(mine.urgent_pointer, theirs.urgent_pointer);

    use etherparse::TcpOptionElement as E;
    let theirs: Vec<E> = theirs
        .options_iterator()
        .map(|o| o.expect("etherparse reads the options"))
        .collect();
    let mine: Vec<E> = mine
        .options
        .iter()
        .filter_map(|o| match o {
            TcpOption::EndOfOptionList { .. } => None, // etherparse stops there silently
            TcpOption::NoOperation => Some(E::Noop),
            TcpOption::MaximumSegmentSize(v) => Some(E::MaximumSegmentSize(*v)),
            TcpOption::WindowScale(v) => Some(E::WindowScale(*v)),
            TcpOption::SackPermitted => Some(E::SelectiveAcknowledgementPermitted),
            TcpOption::Sack(blocks) => {
                let mut rest = [None; 3];
                for (slot, block) in rest.iter_mut().zip(&blocks[1..]) {
                    *slot = Some(*block);
                }
                Some(E::SelectiveAcknowledgement(blocks[0], rest))
            }
            TcpOption::Timestamps { value, echo_reply } => Some(E::Timestamp(*value, *echo_reply)),
            TcpOption::Unknown { .. } => panic!("only known kinds are compared"),
        })
        .collect();
    assert_eq!(mine, theirs);
}

fn encode(h: &TcpHeader) -> Vec<u8> {
    h.to_bytes()
}

fn encoded_len(o: &TcpOption) -> usize {
    o.encoded_len()
}

/// Any option of a kind that etherparse knows too.
fn known_option() -> impl Strategy<Value = TcpOption> {
    prop_oneof![
        Just(TcpOption::NoOperation),
        any::<u16>().prop_map(TcpOption::MaximumSegmentSize),
        any::<u8>().prop_map(TcpOption::WindowScale),
        Just(TcpOption::SackPermitted),
        proptest::collection::vec(any::<(u32, u32)>(), 1..=4).prop_map(TcpOption::Sack),
        any::<(u32, u32)>()
            .prop_map(|(value, echo_reply)| TcpOption::Timestamps { value, echo_reply }),
    ]
}

/// A well-formed header: options that fit in 40 bytes, then an EOL and zero
/// padding, or NOPs, up to a whole number of words.
fn valid_header(known_only: bool) -> impl Strategy<Value = TcpHeader> {
    let option = if known_only {
        known_option().boxed()
    } else {
        prop_oneof![
            4 => known_option(),
            1 => (9u8..=255, proptest::collection::vec(any::<u8>(), 0..6))
                .prop_map(|(kind, data)| TcpOption::Unknown { kind, data }),
        ]
        .boxed()
    };
    let fixed = (
        any::<(u16, u16, u32, u32)>(),
        0u8..16,
        any::<(u8, u16, u16, u16)>(),
        any::<bool>(),
    );
    (fixed, proptest::collection::vec(option, 0..8)).prop_map(
        |(((sp, dp, sn, an), reserved, (flags, window, checksum, urgent), use_eol), candidates)| {
            let mut options = Vec::new();
            let mut len = 0;
            for o in candidates {
                if len + encoded_len(&o) <= 40 {
                    len += encoded_len(&o);
                    options.push(o);
                }
            }
            let pad = (4 - len % 4) % 4;
            if use_eol && pad > 0 {
                options.push(TcpOption::EndOfOptionList {
                    padding: vec![0; pad - 1],
                });
            } else {
                options.extend(std::iter::repeat_n(TcpOption::NoOperation, pad));
            }
            TcpHeader {
                source_port: sp,
                destination_port: dp,
                sequence_number: sn,
                acknowledgment_number: an,
                data_offset: ((20 + len + pad) / 4) as u8,
                reserved,
                flags: Flags(flags),
                window,
                checksum,
                urgent_pointer: urgent,
                options,
            }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decode_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
        if let Ok((h, payload)) = decode(&bytes) {
            prop_assert!(h.header_len() >= 20 && h.header_len() <= 60);
            prop_assert_eq!(h.header_len() + payload.len(), bytes.len());
            // Whatever decodes also reads without panicking when described.
            let _ = cli::describe(&h, payload.len());
        }
    }

    #[test]
    fn decode_never_panics_on_headers_with_a_plausible_prefix(
        options in proptest::collection::vec(any::<u8>(), 0..=40),
        extra in 0usize..8,
    ) {
        // Random bytes are rarely past the fixed header's checks; this test
        // aims straight at the options parser.
        let words = options.len().div_ceil(4);
        let mut bytes = hex("c605 1f48 0000 0001 0000 0000 5002 ffff 0000 0000");
        bytes[12] = ((5 + words) as u8) << 4;
        bytes.extend(&options);
        bytes.resize(20 + words * 4 + extra % 4, 0);
        let _ = decode(&bytes);
    }

    #[test]
    fn valid_headers_round_trip(h in valid_header(false), payload in proptest::collection::vec(any::<u8>(), 0..8)) {
        let mut bytes = encode(&h);
        bytes.extend(&payload);
        let (decoded, rest) = decode(&bytes).unwrap();
        prop_assert_eq!(decoded, h);
        prop_assert_eq!(rest, &payload[..]);
    }

    #[test]
    fn etherparse_agrees_on_arbitrary_valid_headers(h in valid_header(true)) {
        let bytes = encode(&h);
        let (mine, _) = decode(&bytes).unwrap();
        let (theirs, _) = etherparse::TcpHeader::from_slice(&bytes).unwrap();
        assert_same(&mine, &theirs);
    }

    #[test]
    fn whatever_etherparse_rejects_in_the_fixed_part_we_reject(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        if etherparse::TcpHeader::from_slice(&bytes).is_err() {
            // etherparse checks the length and the data offset, not the options.
            let ours = decode(&bytes);
            prop_assert!(ours.is_err(), "etherparse rejects, we accept {:?}", ours);
        }
    }
}
