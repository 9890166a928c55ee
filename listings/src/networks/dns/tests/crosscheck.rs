//! Cross-check against the `simple-dns` crate, in both directions: what we
//! encode, simple-dns parses to the same message; what simple-dns builds, we
//! decode to the same message.
//!
//! simple-dns reads the top bit of a class as the mDNS unicast-response or
//! cache-flush bit (RFC 6762) and knows only some types and classes, so the
//! messages here use class IN and the types both sides know.

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use simple_dns as sd;
use simple_dns::rdata as sdr;

use super::strategies::{name, rdata_with};
use crate::networks::dns::*;

/// Our name → a simple-dns name with the same labels.
fn to_sd_name(name: &Name) -> sd::Name<'_> {
    let labels: Vec<sd::Label<'_>> = name
        .0
        .iter()
        .map(|l| sd::Label::new_unchecked(l.as_slice()))
        .collect();
    sd::Name::new_with_labels(&labels)
}

fn from_sd_name(name: &sd::Name<'_>) -> Name {
    Name(
        name.get_labels()
            .iter()
            .map(|l| l.as_ref().to_vec())
            .collect(),
    )
}

fn to_sd_rdata(data: &RData) -> sd::rdata::RData<'_> {
    match data {
        RData::A(a) => sdr::RData::A(sdr::A {
            address: u32::from(*a),
        }),
        RData::Aaaa(a) => sdr::RData::AAAA(sdr::AAAA {
            address: u128::from(*a),
        }),
        RData::Ns(n) => sdr::RData::NS(sdr::NS(to_sd_name(n))),
        RData::Md(n) => sdr::RData::MD(sdr::MD(to_sd_name(n))),
        RData::Mf(n) => sdr::RData::MF(sdr::MF(to_sd_name(n))),
        RData::Cname(n) => sdr::RData::CNAME(sdr::CNAME(to_sd_name(n))),
        RData::Mb(n) => sdr::RData::MB(sdr::MB(to_sd_name(n))),
        RData::Mg(n) => sdr::RData::MG(sdr::MG(to_sd_name(n))),
        RData::Mr(n) => sdr::RData::MR(sdr::MR(to_sd_name(n))),
        RData::Ptr(n) => sdr::RData::PTR(sdr::PTR(to_sd_name(n))),
        RData::Hinfo { cpu, os } => sdr::RData::HINFO(sdr::HINFO {
            cpu: sd::CharacterString::new(cpu).expect("at most 255 octets"),
            os: sd::CharacterString::new(os).expect("at most 255 octets"),
        }),
        RData::Minfo { rmailbx, emailbx } => sdr::RData::MINFO(sdr::MINFO {
            rmailbox: to_sd_name(rmailbx),
            emailbox: to_sd_name(emailbx),
        }),
        RData::Rp { mbox, txt } => sdr::RData::RP(sdr::RP {
            mbox: to_sd_name(mbox),
            txt: to_sd_name(txt),
        }),
        RData::Afsdb { subtype, hostname } => sdr::RData::AFSDB(sdr::AFSDB {
            subtype: *subtype,
            hostname: to_sd_name(hostname),
        }),
        RData::Mx {
            preference,
            exchange,
        } => sdr::RData::MX(sdr::MX {
            preference: *preference,
            exchange: to_sd_name(exchange),
        }),
        RData::Txt(strings) => {
            let mut txt = sdr::TXT::new();
            for s in strings {
                txt.add_char_string(sd::CharacterString::new(s).expect("at most 255 octets"));
            }
            sdr::RData::TXT(txt)
        }
        RData::Soa(s) => sdr::RData::SOA(sdr::SOA {
            mname: to_sd_name(&s.mname),
            rname: to_sd_name(&s.rname),
            serial: s.serial,
            refresh: s.refresh as i32,
            retry: s.retry as i32,
            expire: s.expire as i32,
            minimum: s.minimum,
        }),
        RData::Other { rtype, data } => {
            sdr::RData::NULL(rtype.0, sdr::NULL::new(data).expect("short"))
        }
    }
}

fn from_sd_rdata(data: &sdr::RData<'_>) -> RData {
    match data {
        sdr::RData::A(a) => RData::A(Ipv4Addr::from(a.address)),
        sdr::RData::AAAA(a) => RData::Aaaa(Ipv6Addr::from(a.address)),
        sdr::RData::NS(n) => RData::Ns(from_sd_name(&n.0)),
        sdr::RData::MD(n) => RData::Md(from_sd_name(&n.0)),
        sdr::RData::MF(n) => RData::Mf(from_sd_name(&n.0)),
        sdr::RData::CNAME(n) => RData::Cname(from_sd_name(&n.0)),
        sdr::RData::MB(n) => RData::Mb(from_sd_name(&n.0)),
        sdr::RData::MG(n) => RData::Mg(from_sd_name(&n.0)),
        sdr::RData::MR(n) => RData::Mr(from_sd_name(&n.0)),
        sdr::RData::PTR(n) => RData::Ptr(from_sd_name(&n.0)),
        sdr::RData::HINFO(h) => RData::Hinfo {
            // Only in UTF-8; the strings of these tests are ASCII.
            cpu: String::try_from(h.cpu.clone()).expect("ASCII").into_bytes(),
            os: String::try_from(h.os.clone()).expect("ASCII").into_bytes(),
        },
        sdr::RData::MINFO(m) => RData::Minfo {
            rmailbx: from_sd_name(&m.rmailbox),
            emailbx: from_sd_name(&m.emailbox),
        },
        sdr::RData::RP(rp) => RData::Rp {
            mbox: from_sd_name(&rp.mbox),
            txt: from_sd_name(&rp.txt),
        },
        sdr::RData::AFSDB(a) => RData::Afsdb {
            subtype: a.subtype,
            hostname: from_sd_name(&a.hostname),
        },
        sdr::RData::MX(mx) => RData::Mx {
            preference: mx.preference,
            exchange: from_sd_name(&mx.exchange),
        },
        // simple-dns shows TXT strings only split at the first `=`.
        sdr::RData::TXT(txt) => RData::Txt(
            txt.iter_raw()
                .map(|(key, value)| match value {
                    Some(value) => [key, b"=", value].concat(),
                    None => key.to_vec(),
                })
                .collect(),
        ),
        sdr::RData::SOA(s) => RData::Soa(Soa {
            mname: from_sd_name(&s.mname),
            rname: from_sd_name(&s.rname),
            serial: s.serial,
            refresh: s.refresh as u32,
            retry: s.retry as u32,
            expire: s.expire as u32,
            minimum: s.minimum,
        }),
        sdr::RData::NULL(rtype, data) => RData::Other {
            rtype: RecordType(*rtype),
            data: data.get_data().to_vec(),
        },
        // simple-dns reads an unknown type with no data as `Empty`.
        sdr::RData::Empty(rtype) => RData::Other {
            rtype: RecordType(u16::from(*rtype)),
            data: Vec::new(),
        },
        other => panic!("not used by these tests: {other:?}"),
    }
}

/// Reads one flag of our header.
type FlagOf = fn(&Header) -> bool;

const FLAGS: [(sd::PacketFlag, FlagOf); 7] = [
    (sd::PacketFlag::RESPONSE, |h| h.response),
    (sd::PacketFlag::AUTHORITATIVE_ANSWER, |h| h.authoritative),
    (sd::PacketFlag::TRUNCATION, |h| h.truncated),
    (sd::PacketFlag::RECURSION_DESIRED, |h| h.recursion_desired),
    (sd::PacketFlag::RECURSION_AVAILABLE, |h| {
        h.recursion_available
    }),
    (sd::PacketFlag::AUTHENTIC_DATA, |h| h.authentic_data),
    (sd::PacketFlag::CHECKING_DISABLED, |h| h.checking_disabled),
];

fn to_sd_packet(msg: &Message) -> sd::Packet<'_> {
    let mut p = sd::Packet::new_query(msg.header.id);
    p.remove_flags(sd::PacketFlag::all());
    for (flag, get) in FLAGS {
        if get(&msg.header) {
            p.set_flags(flag);
        }
    }
    *p.rcode_mut() = sd::RCODE::from(u16::from(msg.header.rcode.0));
    for q in &msg.questions {
        let qtype = sd::QTYPE::try_from(q.qtype.0).expect("a type simple-dns knows");
        p.questions.push(sd::Question::new(
            to_sd_name(&q.name),
            qtype,
            sd::QCLASS::CLASS(sd::CLASS::IN),
            false,
        ));
    }
    p.answers = to_sd_records(&msg.answers);
    p.name_servers = to_sd_records(&msg.authorities);
    p.additional_records = to_sd_records(&msg.additionals);
    p
}

fn to_sd_records(records: &[Record]) -> Vec<sd::ResourceRecord<'_>> {
    records
        .iter()
        .map(|r| {
            sd::ResourceRecord::new(
                to_sd_name(&r.name),
                sd::CLASS::IN,
                r.ttl,
                to_sd_rdata(&r.data),
            )
        })
        .collect()
}

fn from_sd_packet(p: &sd::Packet<'_>) -> Message {
    let records = |rrs: &[sd::ResourceRecord<'_>]| -> Vec<Record> {
        rrs.iter()
            .map(|r| Record {
                name: from_sd_name(&r.name),
                class: Class(r.class as u16),
                ttl: r.ttl,
                data: from_sd_rdata(&r.rdata),
            })
            .collect()
    };
    let mut header = Header {
        id: p.id(),
        opcode: Opcode::QUERY,
        rcode: Rcode(p.rcode() as u8),
        ..Header::default()
    };
    header.response = p.has_flags(sd::PacketFlag::RESPONSE);
    header.authoritative = p.has_flags(sd::PacketFlag::AUTHORITATIVE_ANSWER);
    header.truncated = p.has_flags(sd::PacketFlag::TRUNCATION);
    header.recursion_desired = p.has_flags(sd::PacketFlag::RECURSION_DESIRED);
    header.recursion_available = p.has_flags(sd::PacketFlag::RECURSION_AVAILABLE);
    header.authentic_data = p.has_flags(sd::PacketFlag::AUTHENTIC_DATA);
    header.checking_disabled = p.has_flags(sd::PacketFlag::CHECKING_DISABLED);
    Message {
        header,
        questions: p
            .questions
            .iter()
            .map(|q| Question {
                name: from_sd_name(&q.qname),
                qtype: RecordType(u16::from(q.qtype)),
                qclass: Class(u16::from(q.qclass)),
            })
            .collect(),
        answers: records(&p.answers),
        authorities: records(&p.name_servers),
        additionals: records(&p.additional_records),
    }
}

/// Character-strings simple-dns shows faithfully in TXT: not empty and not starting with `=`.
fn txt_string() -> impl Strategy<Value = Vec<u8>> {
    "[a-z0-9][a-z0-9 =]{0,30}".prop_map(String::into_bytes)
}

fn shared_records() -> impl Strategy<Value = Vec<Record>> {
    let record =
        (name(), any::<u32>(), rdata_with(txt_string().boxed())).prop_map(|(name, ttl, data)| {
            Record {
                name,
                class: Class::IN,
                ttl,
                data,
            }
        });
    prop::collection::vec(record, 0..4)
}

fn shared_message() -> impl Strategy<Value = Message> {
    let records = shared_records;
    let qtype = prop::sample::select(RecordType::TYPED.to_vec());
    let question = (name(), qtype).prop_map(|(name, qtype)| Question {
        name,
        qtype,
        qclass: Class::IN,
    });
    (
        any::<u16>(),
        any::<[bool; 7]>(),
        0u8..=5,
        prop::collection::vec(question, 0..3),
        records(),
        records(),
        records(),
    )
        .prop_map(
            |(id, b, rcode, questions, answers, authorities, additionals)| Message {
                header: Header {
                    id,
                    response: b[0],
                    authoritative: b[1],
                    truncated: b[2],
                    recursion_desired: b[3],
                    recursion_available: b[4],
                    authentic_data: b[5],
                    checking_disabled: b[6],
                    rcode: Rcode(rcode),
                    ..Header::default()
                },
                questions,
                answers,
                authorities,
                additionals,
            },
        )
}

proptest! {
    #[test]
    fn simple_dns_parses_what_we_encode(msg in shared_message()) {
        for bytes in [msg.encode().unwrap(), msg.encode_uncompressed().unwrap()] {
            let parsed = sd::Packet::parse(&bytes).map_err(|e| TestCaseError::fail(format!("simple-dns: {e}")))?;
            prop_assert_eq!(from_sd_packet(&parsed), msg.clone());
        }
    }

    #[test]
    fn we_decode_what_simple_dns_builds(msg in shared_message()) {
        let packet = to_sd_packet(&msg);
        for bytes in [packet.build_bytes_vec_compressed().unwrap(), packet.build_bytes_vec().unwrap()] {
            prop_assert_eq!(Message::decode(&bytes), Ok(msg.clone()));
        }
    }
}

#[test]
fn both_compress_a_typical_answer_to_the_same_size() {
    let name = |s| Name::parse(s).unwrap();
    let msg = Message {
        header: Header {
            id: 1,
            response: true,
            authoritative: true,
            ..Header::default()
        },
        questions: vec![Question {
            name: name("www.example.test"),
            qtype: RecordType::A,
            qclass: Class::IN,
        }],
        answers: vec![
            Record {
                name: name("www.example.test"),
                class: Class::IN,
                ttl: 300,
                data: RData::Cname(name("web.example.test")),
            },
            Record {
                name: name("web.example.test"),
                class: Class::IN,
                ttl: 300,
                data: RData::A(Ipv4Addr::new(192, 0, 2, 10)),
            },
        ],
        ..Message::default()
    };
    let ours = msg.encode().unwrap();
    let theirs = to_sd_packet(&msg).build_bytes_vec_compressed().unwrap();
    assert_eq!(ours.len(), theirs.len());
    assert_eq!(Message::decode(&theirs).unwrap(), msg);
}
