//! The six findings of the review that compared `dns_decode` with an
//! independent DNS library (issue 10), each with the hex input that showed
//! it, run through the tool's own function, `cli::run`.

use crate::networks::dns::cli::{self, CliError};
use crate::networks::dns::*;

/// What `dns_decode <hex>` prints.
fn report(hex: &str) -> String {
    cli::run(&[hex.to_owned()], &mut std::io::empty()).unwrap_or_else(|e| panic!("{hex}: {e}"))
}

/// Why `dns_decode <hex>` refuses the message.
fn refusal(hex: &str) -> DecodeError {
    match cli::run(&[hex.to_owned()], &mut std::io::empty()) {
        Err(CliError::Decode(e)) => e,
        other => panic!("{hex}: expected a decode error, got {other:?}"),
    }
}

/// A response for `example.com. IN A` (id 0xbeef) with one answer record
/// owned by `example.com.` (a pointer to offset 12): `type class ttl rdata`.
fn answer(rtype: u16, class: u16, ttl: u32, rdata: &str) -> String {
    format!(
        "beef 8100 0001 0001 0000 0000  076578616d706c6503636f6d00 0001 0001  \
         c00c {rtype:04x} {class:04x} {ttl:08x} {:04x} {rdata}",
        rdata.split_whitespace().collect::<String>().len() / 2
    )
}

/// The record line of the answer section.
fn answer_line(hex: &str) -> String {
    let report = report(hex);
    let mut lines = report.lines().skip_while(|l| *l != "answer section:");
    lines.next();
    lines.next().expect("one answer").trim().to_owned()
}

#[test]
fn finding_1_ptr_rdata_is_a_compressed_name() {
    let hex =
        "beef01000001000100000000076578616d706c6503636f6d0000010001c00c000c00010000012c0002c00c";
    assert!(
        report(hex).contains("  example.com. 300 IN PTR example.com.\n"),
        "{}",
        report(hex)
    );
    // RDATA that is not a name is refused: a label that runs past RDLENGTH,
    // and a name followed by a stray octet.
    for (rdata, reason) in [
        ("01", "a name runs past RDLENGTH"),
        ("00 00", "RDLENGTH is longer than the data"),
    ] {
        assert_eq!(
            refusal(&answer(12, 1, 300, rdata)),
            DecodeError::BadRdata {
                offset: 41,
                rtype: RecordType::PTR,
                reason
            }
        );
    }
}

#[test]
fn finding_1_every_name_type_of_rfc_1035_and_rfc_1183_is_decoded() {
    // Each RDATA is or holds `c00c` (example.com.) or `00` (the root).
    let cases = [
        (2, "c00c", "NS example.com."),
        (3, "c00c", "MD example.com."),
        (4, "c00c", "MF example.com."),
        (5, "c00c", "CNAME example.com."),
        (
            6,
            "c00c 00 00000001 00000002 00000003 00000004 00000005",
            "SOA example.com. . 1 2 3 4 5",
        ),
        (7, "c00c", "MB example.com."),
        (8, "c00c", "MG example.com."),
        (9, "c00c", "MR example.com."),
        (12, "c00c", "PTR example.com."),
        (13, "03 783836 05 4c696e7578", "HINFO \"x86\" \"Linux\""),
        (14, "c00c 00", "MINFO example.com. ."),
        (15, "000a c00c", "MX 10 example.com."),
        (17, "c00c 00", "RP example.com. ."),
        (18, "0001 c00c", "AFSDB 1 example.com."),
    ];
    for (rtype, rdata, shown) in cases {
        assert_eq!(
            answer_line(&answer(rtype, 1, 300, rdata)),
            format!("example.com. 300 IN {shown}")
        );
    }
    // NULL and WKS hold no name, and stay opaque.
    assert_eq!(
        answer_line(&answer(10, 1, 300, "c00c")),
        "example.com. 300 IN NULL \\# 2 c00c"
    );
}

#[test]
fn finding_2_update_records_of_class_any_and_none_have_no_rdata() {
    // An UPDATE for zone example.com. whose one prerequisite is
    // "h.example.com. has an A RRset" (class ANY, RDLENGTH 0, RFC 2136 §2.4.1).
    let hex =
        "beef28000001000100000000076578616d706c6503636f6d00000600010168c00c000100ff000000000000";
    assert_eq!(
        report(hex),
        "43 bytes\nid: 48879 (0xbeef)\nflags: (none)\nopcode: UPDATE, rcode: NOERROR\n\
         counts: ZOCOUNT 1, PRCOUNT 1, UPCOUNT 0, ADCOUNT 0\n\
         zone section:\n  example.com. IN SOA\n\
         prerequisite section:\n  h.example.com. 0 ANY A \\# 0\n\
         update section:\nadditional section:\n"
    );
    // Class NONE deletes one RR: its RDATA is in the zone's class, IN, so
    // this A is an address (RFC 2136 §2.5.4).
    let delete_one = "beef28000001000000010000076578616d706c6503636f6d0000060001\
                      0168c00c 0001 00fe 00000000 0004 c0000201";
    assert!(
        report(delete_one).contains("update section:\n  h.example.com. 0 NONE A 192.0.2.1\n"),
        "{}",
        report(delete_one)
    );
    // In class IN, an empty A is still wrong.
    assert_eq!(
        refusal(&answer(1, 1, 300, "")),
        DecodeError::BadRdata {
            offset: 41,
            rtype: RecordType::A,
            reason: "not 4 octets"
        }
    );
}

#[test]
fn finding_3_a_and_aaaa_are_addresses_in_class_in_only() {
    // A Chaosnet A record: a name and a 16-bit address (`ch.` and 0o177001).
    assert_eq!(
        answer_line(&answer(1, 3, 300, "02 6368 00 fe01")),
        "example.com. 300 CH A \\# 6 02636800fe01"
    );
    assert_eq!(
        answer_line(&answer(28, 4, 300, "c0000201")),
        "example.com. 300 HS AAAA \\# 4 c0000201"
    );
    assert_eq!(
        answer_line(&answer(1, 1, 300, "c0000201")),
        "example.com. 300 IN A 192.0.2.1"
    );
}

#[test]
fn finding_4_an_empty_txt_is_refused() {
    assert_eq!(
        refusal(&answer(16, 1, 300, "")),
        DecodeError::BadRdata {
            offset: 41,
            rtype: RecordType::TXT,
            reason: "no character-string (RFC 1035 §3.3.14 asks for one or more)"
        }
    );
    // One empty character-string is fine.
    assert_eq!(
        answer_line(&answer(16, 1, 300, "00")),
        "example.com. 300 IN TXT \"\""
    );
    let empty = Record {
        name: Name::root(),
        class: Class::IN,
        ttl: 0,
        data: RData::Txt(vec![]),
    };
    let msg = Message {
        answers: vec![empty],
        ..Message::default()
    };
    assert_eq!(msg.encode(), Err(EncodeError::EmptyTxt));
}

#[test]
fn finding_5_names_are_escaped_as_zone_file_text() {
    let hex = "865f212500010000000000000a22387622725f743b227100001c0001";
    assert!(
        report(hex).contains("question section:\n  \\\"8v\\\"r_t\\;\\\"q. IN AAAA\n"),
        "{}",
        report(hex)
    );
    let name = Name(vec![b"a b(c)d@e$f\\g.h".to_vec(), vec![0, 0x7f, 0xff]]);
    assert_eq!(
        name.to_string(),
        "a\\032b\\(c\\)d\\@e\\$f\\\\g\\.h.\\000\\127\\255."
    );
}

#[test]
fn finding_6_a_ttl_with_the_top_bit_set_is_read_as_0() {
    assert_eq!(
        answer_line(&answer(1, 1, 0x8000_0000, "c0000201")),
        "example.com. 0 IN A 192.0.2.1 ; TTL field 2147483648 has its top bit set, read as 0 (RFC 2181 §8)"
    );
    assert_eq!(
        answer_line(&answer(1, 1, 0x7fff_ffff, "c0000201")),
        "example.com. 2147483647 IN A 192.0.2.1"
    );
    // The OPT pseudo-record's TTL field is not a TTL (RFC 6891 §6.1.3).
    let opt = "beef 0000 0000 0000 0000 0001  00 0029 1000 80008000 0000";
    assert!(
        report(opt).contains(
            "  . OPT udp payload 4096, extended rcode 128, version 0, flags do, options \\# 0\n"
        ),
        "{}",
        report(opt)
    );
}
