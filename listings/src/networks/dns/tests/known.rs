//! Exact bytes for small messages, worked out by hand from RFC 1035 §4.1.

use std::net::Ipv4Addr;

use crate::networks::dns::*;

fn query(id: u16, name: &str, qtype: RecordType) -> Message {
    Message::query(id, Name::parse(name).unwrap(), qtype)
}

#[test]
fn a_query_has_the_bytes_of_rfc_1035() {
    let bytes = query(0x1234, "www.example.test", RecordType::A)
        .encode()
        .unwrap();
    let expected: Vec<u8> = [
        &[0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0][..], // id, RD, QDCOUNT 1
        b"\x03www\x07example\x04test\x00",
        &[0, 1, 0, 1], // QTYPE A, QCLASS IN
    ]
    .concat();
    assert_eq!(bytes, expected);
    assert_eq!(
        Message::decode(&bytes).unwrap(),
        query(0x1234, "www.example.test", RecordType::A)
    );
}

#[test]
fn compression_points_back_at_the_question() {
    let mut msg = query(7, "www.example.test", RecordType::A);
    msg.header.response = true;
    msg.answers.push(Record {
        name: Name::parse("www.example.test").unwrap(),
        class: Class::IN,
        ttl: 300,
        data: RData::Cname(Name::parse("web.example.test").unwrap()),
    });
    let bytes = msg.encode().unwrap();
    // The answer's owner is a pointer to offset 12, where the question's name starts.
    assert_eq!(&bytes[34..36], &[0xc0, 12]);
    // The CNAME target writes `web` and then points at `example.test` (offset 16).
    assert_eq!(&bytes[46..52], b"\x03web\xc0\x10");
    assert_eq!(bytes.len(), 52);
    assert_eq!(msg.encode_uncompressed().unwrap().len(), 34 + 18 + 10 + 18);
    assert_eq!(Message::decode(&bytes).unwrap(), msg);
    assert_eq!(
        Message::decode(&msg.encode_uncompressed().unwrap()).unwrap(),
        msg
    );
}

#[test]
fn header_flags_sit_where_rfc_1035_puts_them() {
    let header = Header {
        id: 0xabcd,
        response: true,
        opcode: Opcode(2),
        authoritative: true,
        truncated: true,
        recursion_desired: true,
        recursion_available: true,
        z: true,
        authentic_data: true,
        checking_disabled: true,
        rcode: Rcode::NXDOMAIN,
    };
    let bytes = Message {
        header: header.clone(),
        ..Message::default()
    }
    .encode()
    .unwrap();
    // QR=1 Opcode=0010 AA=1 TC=1 RD=1, then RA=1 Z=1 AD=1 CD=1 RCODE=0011.
    assert_eq!(&bytes[2..4], &[0b1001_0111, 0b1111_0011]);
    assert_eq!(Message::decode(&bytes).unwrap().header, header);
}

#[test]
fn names_print_in_presentation_format() {
    assert_eq!(Name::root().to_string(), ".");
    assert_eq!(
        Name::parse("www.example.test").unwrap().to_string(),
        "www.example.test."
    );
    assert_eq!(
        Name(vec![b"a.b".to_vec(), b"\\ \x00".to_vec()]).to_string(),
        "a\\.b.\\\\\\032\\000."
    );
}

#[test]
fn name_limits_are_checked_when_encoding() {
    assert_eq!(Name::parse(&"a".repeat(63)).unwrap().wire_len(), 65);
    assert_eq!(
        Name::parse(&"a".repeat(64)),
        Err(EncodeError::LabelTooLong { len: 64 })
    );
    assert_eq!(Name::parse("a..b"), Err(EncodeError::EmptyLabel));
    // 4 labels of 63 octets: 4 × 64 + 1 = 257 octets on the wire.
    let long = vec!["a".repeat(63); 4].join(".");
    assert_eq!(
        Name::parse(&long),
        Err(EncodeError::NameTooLong { len: 257 })
    );
    // 3 × 64 + 62 + 1 = 255: the longest legal name.
    let longest = format!("{}.{}", vec!["a".repeat(63); 3].join("."), "a".repeat(61));
    assert_eq!(Name::parse(&longest).unwrap().wire_len(), 255);
}

#[test]
fn records_of_every_typed_kind_round_trip() {
    let name = |s: &str| Name::parse(s).unwrap();
    let record = |data| Record {
        name: name("example.test"),
        class: Class::IN,
        ttl: 3600,
        data,
    };
    let msg = Message {
        header: Header {
            response: true,
            authoritative: true,
            ..Header::default()
        },
        questions: vec![],
        answers: vec![
            record(RData::A(Ipv4Addr::new(192, 0, 2, 1))),
            record(RData::Aaaa("2001:db8::1".parse().unwrap())),
            record(RData::Ns(name("ns1.example.test"))),
            record(RData::Mx {
                preference: 10,
                exchange: name("mail.example.test"),
            }),
            record(RData::Txt(vec![b"v=spf1 -all".to_vec(), Vec::new()])),
            record(RData::Other {
                rtype: RecordType(65280),
                data: vec![1, 2, 3],
            }),
        ],
        authorities: vec![record(RData::Soa(Soa {
            mname: name("ns1.example.test"),
            rname: name("hostmaster.example.test"),
            serial: 2024060101,
            refresh: 7200,
            retry: 900,
            expire: 1209600,
            minimum: 300,
        }))],
        additionals: vec![],
    };
    let bytes = msg.encode().unwrap();
    assert!(bytes.len() < msg.encode_uncompressed().unwrap().len());
    assert_eq!(Message::decode(&bytes).unwrap(), msg);
    let shown = Message::decode(&bytes).unwrap().to_string();
    assert!(
        shown.contains("example.test. 3600 IN TXT \"v=spf1 -all\" \"\""),
        "{shown}"
    );
    assert!(
        shown.contains("example.test. 3600 IN TYPE65280 \\# 3 010203"),
        "{shown}"
    );
    assert!(
        shown.contains("example.test. 3600 IN MX 10 mail.example.test."),
        "{shown}"
    );
}

#[test]
fn encoder_refuses_what_does_not_fit() {
    let mut msg = Message::default();
    msg.header.rcode = Rcode(16);
    assert_eq!(
        msg.encode(),
        Err(EncodeError::FieldTooWide {
            field: "rcode",
            value: 16
        })
    );
    let txt = Record {
        name: Name::root(),
        class: Class::IN,
        ttl: 0,
        data: RData::Txt(vec![vec![b'x'; 256]]),
    };
    let msg = Message {
        answers: vec![txt],
        ..Message::default()
    };
    assert_eq!(msg.encode(), Err(EncodeError::StringTooLong { len: 256 }));
    let big = Record {
        name: Name::root(),
        class: Class::IN,
        ttl: 0,
        data: RData::Other {
            rtype: RecordType(65280),
            data: vec![0; 65536],
        },
    };
    let msg = Message {
        answers: vec![big],
        ..Message::default()
    };
    assert_eq!(msg.encode(), Err(EncodeError::RdataTooLong { len: 65536 }));
}
