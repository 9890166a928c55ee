//! A differential test against a second, independent decoder, `hickory-proto`
//! (a test-only dependency): generated messages of every type this codec
//! reads, other classes, dynamic updates, EDNS OPT records and compressed
//! names, encoded compressed and not, and mutations of them, are decoded by
//! both; the two must accept and refuse the same inputs and, when both
//! accept, see the same message.
//!
//! The two libraries differ on purpose in a few places, each listed in
//! [`Difference`] with the rule behind our side of it. A disagreement that is
//! not one of them fails the test with the input's hex. `cargo test` runs 600
//! messages; a long run is started by hand:
//!
//! ```text
//! DNS_DIFF_CASES=100000 cargo test -p listings --lib -- --nocapture dns_differential
//! ```

use std::collections::BTreeMap;

use hickory_proto::op::{Message as HMessage, MessageType};
use hickory_proto::rr::{Name as HName, RData as H, Record as HRecord};
use hickory_proto::serialize::binary::BinEncodable;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};

use super::Rng;
use super::strategies::message;
use crate::hex::hex;
use crate::networks::dns::*;

/// The types this codec reads as names but hickory-proto keeps opaque (it
/// has no type for them): their RDATA can be compared only where no
/// compression pointer is inside it.
const OPAQUE_TO_HICKORY: [RecordType; 8] = [
    RecordType::MD,
    RecordType::MF,
    RecordType::MB,
    RecordType::MG,
    RecordType::MR,
    RecordType::MINFO,
    RecordType::RP,
    RecordType::AFSDB,
];

/// Why the two libraries may disagree on an input: each a place where this
/// codec follows the RFC more closely, or keeps data opaque that
/// hickory-proto interprets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Difference {
    /// Bytes after the last record: we refuse them; hickory ignores them.
    TrailingBytes,
    /// A record with no RDATA outside an UPDATE: hickory refuses it in any
    /// class; we accept it for opaque types and for class ANY and NONE.
    EmptyRdataOutsideUpdate,
    /// A record with no RDATA in an UPDATE, of a class other than ANY and
    /// NONE: hickory accepts it for every type; we read it as its type
    /// requires, since class ANY is what marks an empty update record
    /// (RFC 2136 §2.4.1), so an empty SOA or A in class IN is refused.
    EmptyRdataInUpdate,
    /// A or AAAA outside class IN: hickory reads an address in every class;
    /// we keep the data opaque (RFC 1035 §3.4.1 defines A for class IN).
    AddressOutsideIn,
    /// An OPT record in the wrong section, with a non-root owner, a second
    /// one, a payload size under 512 (hickory raises it to 512), or options
    /// hickory parses: we keep OPT opaque wherever it is.
    Opt,
    /// A type hickory interprets (SRV, CAA, SVCB, ...) and we keep opaque.
    TypedOnlyByHickory,
    /// A type we read as names (MD, MINFO, RP, ...) and hickory keeps
    /// opaque, so that it accepts any bytes there.
    OpaqueToHickory,
}

/// Record types hickory-proto 0.26 reads into typed data (or refuses in
/// answers and authorities) and this codec keeps opaque.
const TYPED_ONLY_BY_HICKORY: [u16; 18] = [
    0, 24, 33, 35, 37, 44, 52, 53, 61, 62, 64, 65, 250, 251, 252, 255, 257, 65305,
];

/// Our decoded message, in the shape both sides can produce: Z dropped
/// (hickory does not keep it), the OPT record taken out of the additional
/// section, and the RDATA of [`OPAQUE_TO_HICKORY`] types as bytes.
#[derive(Debug, PartialEq)]
struct View {
    message: Message,
    opt: Option<Record>,
}

fn our_view(mut message: Message, compare_opaque_names: bool) -> View {
    message.header.z = false;
    let opt = message
        .additionals
        .iter()
        .position(|r| r.data.rtype() == RecordType::OPT)
        .map(|i| message.additionals.remove(i));
    for record in message
        .answers
        .iter_mut()
        .chain(&mut message.authorities)
        .chain(&mut message.additionals)
    {
        let rtype = record.data.rtype();
        if OPAQUE_TO_HICKORY.contains(&rtype) {
            let data = if compare_opaque_names {
                uncompressed_rdata(record)
            } else {
                Vec::new()
            };
            record.data = RData::Other { rtype, data };
        }
    }
    View { message, opt }
}

/// The RDATA of `record` as our encoder writes it without compression.
fn uncompressed_rdata(record: &Record) -> Vec<u8> {
    let alone = Message {
        answers: vec![record.clone()],
        ..Message::default()
    };
    let bytes = alone
        .encode_uncompressed()
        .expect("a decoded record encodes");
    bytes[12 + record.name.wire_len() + 10..].to_vec()
}

fn from_h_name(name: &HName) -> Name {
    Name(name.iter().map(<[u8]>::to_vec).collect())
}

/// hickory's message in our shape, reading A and AAAA by class as we do.
fn hickory_view(m: &HMessage, compare_opaque_names: bool) -> Result<View, Difference> {
    let md = &m.metadata;
    let header = Header {
        id: md.id,
        response: md.message_type == MessageType::Response,
        opcode: Opcode(u8::from(md.op_code)),
        authoritative: md.authoritative,
        truncated: md.truncation,
        recursion_desired: md.recursion_desired,
        recursion_available: md.recursion_available,
        z: false,
        authentic_data: md.authentic_data,
        checking_disabled: md.checking_disabled,
        rcode: Rcode(md.response_code.low()),
    };
    let questions: Vec<Question> = m
        .queries
        .iter()
        .map(|q| Question {
            name: from_h_name(q.name()),
            qtype: RecordType(u16::from(q.query_type())),
            qclass: Class(u16::from(q.query_class())),
        })
        .collect();
    let zone_class = match questions.first() {
        Some(zone) if header.opcode == Opcode::UPDATE => Some(zone.qclass),
        _ => None,
    };
    let records = |rs: &[HRecord]| -> Result<Vec<Record>, Difference> {
        rs.iter()
            .map(|r| {
                let class = Class(u16::from(r.dns_class));
                let data_class = match zone_class {
                    Some(zone_class) if class == Class::NONE => zone_class,
                    _ => class,
                };
                Ok(Record {
                    name: from_h_name(&r.name),
                    class,
                    ttl: r.ttl,
                    data: from_h_rdata(&r.data, data_class, compare_opaque_names)?,
                })
            })
            .collect()
    };
    let opt = m.edns.as_ref().map(|edns| {
        let flags = u16::from(*edns.flags()).to_be_bytes();
        Record {
            name: Name::root(),
            class: Class(edns.max_payload()),
            ttl: u32::from_be_bytes([edns.rcode_high(), edns.version(), flags[0], flags[1]]),
            data: RData::Other {
                rtype: RecordType::OPT,
                data: edns
                    .options()
                    .to_bytes()
                    .expect("hickory encodes its options"),
            },
        }
    });
    Ok(View {
        message: Message {
            header,
            questions,
            answers: records(&m.answers)?,
            authorities: records(&m.authorities)?,
            additionals: records(&m.additionals)?,
        },
        opt,
    })
}

fn from_h_rdata(data: &H, class: Class, compare_opaque_names: bool) -> Result<RData, Difference> {
    let name = from_h_name;
    Ok(match data {
        H::A(a) if class == Class::IN => RData::A(a.0),
        H::A(a) => RData::Other {
            rtype: RecordType::A,
            data: a.0.octets().to_vec(),
        },
        H::AAAA(a) if class == Class::IN => RData::Aaaa(a.0),
        H::AAAA(a) => RData::Other {
            rtype: RecordType::AAAA,
            data: a.0.octets().to_vec(),
        },
        H::NS(n) => RData::Ns(name(&n.0)),
        H::CNAME(n) => RData::Cname(name(&n.0)),
        H::PTR(n) => RData::Ptr(name(&n.0)),
        H::HINFO(h) => RData::Hinfo {
            cpu: h.cpu.to_vec(),
            os: h.os.to_vec(),
        },
        H::MX(mx) => RData::Mx {
            preference: mx.preference,
            exchange: name(&mx.exchange),
        },
        H::SOA(s) => RData::Soa(Soa {
            mname: name(&s.mname),
            rname: name(&s.rname),
            serial: s.serial,
            refresh: s.refresh as u32,
            retry: s.retry as u32,
            expire: s.expire as u32,
            minimum: s.minimum,
        }),
        H::TXT(t) => RData::Txt(t.txt_data.iter().map(|s| s.to_vec()).collect()),
        H::NULL(n) => RData::Other {
            rtype: RecordType::NULL,
            data: n.anything.clone(),
        },
        H::Update0(rtype) => RData::Other {
            rtype: RecordType(u16::from(*rtype)),
            data: Vec::new(),
        },
        H::Unknown { code, rdata } => {
            let rtype = RecordType(u16::from(*code));
            let data = if OPAQUE_TO_HICKORY.contains(&rtype) && !compare_opaque_names {
                Vec::new()
            } else {
                rdata.anything.clone()
            };
            RData::Other { rtype, data }
        }
        _ => return Err(Difference::TypedOnlyByHickory),
    })
}

/// The documented difference that explains a disagreement, if any.
fn explain(
    ours: &Result<Message, DecodeError>,
    theirs: &Result<HMessage, impl std::fmt::Debug>,
) -> Option<Difference> {
    let msg = match ours {
        Err(DecodeError::TrailingBytes { .. }) => return Some(Difference::TrailingBytes),
        Err(DecodeError::BadRdata { rtype, .. }) if OPAQUE_TO_HICKORY.contains(rtype) => {
            return Some(Difference::OpaqueToHickory);
        }
        Err(DecodeError::BadRdata { .. }) => {
            let Ok(h) = theirs else { return None };
            let empty_in_class = h
                .answers
                .iter()
                .chain(&h.authorities)
                .chain(&h.additionals)
                .any(|r| {
                    matches!(r.data, H::Update0(_)) && !matches!(u16::from(r.dns_class), 254 | 255)
                });
            return empty_in_class.then_some(Difference::EmptyRdataInUpdate);
        }
        // A bad name: if hickory accepted a record of a type it keeps
        // opaque, the name may be inside that record's RDATA.
        Err(
            DecodeError::BadLabelType { .. }
            | DecodeError::NameTooLong { .. }
            | DecodeError::PointerOutOfBounds { .. }
            | DecodeError::ForwardPointer { .. }
            | DecodeError::PointerLoop { .. }
            | DecodeError::PointerOverlap { .. }
            | DecodeError::TooManyPointers { .. },
        ) => {
            let Ok(h) = theirs else { return None };
            let opaque = h
                .answers
                .iter()
                .chain(&h.authorities)
                .chain(&h.additionals)
                .any(|r| OPAQUE_TO_HICKORY.contains(&RecordType(u16::from(r.record_type()))));
            return opaque.then_some(Difference::OpaqueToHickory);
        }
        Err(_) => return None,
        Ok(msg) => msg,
    };
    let zone_class = match msg.questions.first() {
        Some(zone) if msg.header.opcode == Opcode::UPDATE => Some(zone.qclass),
        _ => None,
    };
    let sections = [&msg.answers, &msg.authorities, &msg.additionals];
    let mut opts = 0;
    for (i, section) in sections.iter().enumerate() {
        for r in section.iter() {
            let rtype = r.data.rtype();
            if TYPED_ONLY_BY_HICKORY.contains(&rtype.0) {
                return Some(Difference::TypedOnlyByHickory);
            }
            if rtype == RecordType::OPT {
                opts += 1;
                let in_place = i == 2 && r.name == Name::root() && opts == 1;
                let plain = r.class.0 >= 512 && opt_options_are_local(&r.data);
                if !(in_place && plain) {
                    return Some(Difference::Opt);
                }
                continue;
            }
            if let RData::Other { data, .. } = &r.data {
                if data.is_empty() && msg.header.opcode != Opcode::UPDATE {
                    return Some(Difference::EmptyRdataOutsideUpdate);
                }
                let data_class = match zone_class {
                    Some(zone_class) if r.class == Class::NONE => zone_class,
                    _ => r.class,
                };
                if (rtype == RecordType::A || rtype == RecordType::AAAA) && data_class != Class::IN
                {
                    return Some(Difference::AddressOutsideIn);
                }
            }
        }
    }
    None
}

/// Whether OPT RDATA is a well-formed list of options whose codes are all
/// in the range for local use (RFC 6891 §9), which hickory does not parse.
fn opt_options_are_local(data: &RData) -> bool {
    let RData::Other { data, .. } = data else {
        return false;
    };
    let mut rest = data.as_slice();
    while !rest.is_empty() {
        let [c0, c1, l0, l1, tail @ ..] = rest else {
            return false;
        };
        let code = u16::from_be_bytes([*c0, *c1]);
        let len = usize::from(u16::from_be_bytes([*l0, *l1]));
        if !(65001..=65534).contains(&code) || tail.len() < len {
            return false;
        }
        rest = &tail[len..];
    }
    true
}

/// Decodes `bytes` with both libraries and returns how they agreed, or the
/// documented difference that explains a disagreement. Panics on any other.
fn compare(bytes: &[u8], compare_opaque_names: bool) -> &'static str {
    let ours = Message::decode(bytes);
    let theirs = HMessage::from_vec(bytes);
    let explained = || match explain(&ours, &theirs) {
        Some(difference) => difference_name(difference),
        None => panic!(
            "unexplained disagreement on {}\n ours: {ours:?}\n hickory: {theirs:?}",
            hex(bytes)
        ),
    };
    match (&ours, &theirs) {
        (Err(_), Err(_)) => "both refuse",
        (Ok(msg), Ok(h)) => match hickory_view(h, compare_opaque_names) {
            Ok(view) if view == our_view(msg.clone(), compare_opaque_names) => "both decode, same",
            Ok(view) => match explain(&ours, &theirs) {
                Some(difference) => difference_name(difference),
                None => panic!(
                    "different messages from {}\n ours:    {:?}\n hickory: {view:?}",
                    hex(bytes),
                    our_view(msg.clone(), compare_opaque_names)
                ),
            },
            Err(_) => explained(),
        },
        _ => explained(),
    }
}

fn difference_name(difference: Difference) -> &'static str {
    match difference {
        Difference::TrailingBytes => "differ: trailing bytes",
        Difference::EmptyRdataOutsideUpdate => "differ: empty RDATA outside UPDATE",
        Difference::EmptyRdataInUpdate => "differ: empty RDATA in UPDATE, class IN",
        Difference::AddressOutsideIn => "differ: A/AAAA outside IN",
        Difference::Opt => "differ: OPT",
        Difference::TypedOnlyByHickory => "differ: type hickory reads",
        Difference::OpaqueToHickory => "differ: type hickory keeps opaque",
    }
}

/// One to four random edits: overwrite, flip a bit, cut, insert, or write a pointer.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    for _ in 0..1 + rng.below(4) {
        let i = rng.below(bytes.len().max(1));
        let value = rng.next() as u8;
        match rng.below(5) {
            0 if !bytes.is_empty() => bytes[i] = value,
            1 if !bytes.is_empty() => bytes[i] ^= 1 << (value % 8),
            2 => bytes.truncate(i),
            3 if bytes.len() > i + 1 => {
                bytes[i] = 0xc0 | (value & 0x3f);
                bytes[i + 1] = rng.next() as u8;
            }
            _ => bytes.insert(i.min(bytes.len()), value),
        }
    }
}

/// Runs `cases` generated messages, each encoded compressed and not and
/// mutated four times; returns how often each outcome happened.
fn run(cases: u32, seed: u64) -> BTreeMap<&'static str, u64> {
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    let strategy = message();
    let mut rng = Rng(seed | 1);
    let mut outcomes = BTreeMap::new();
    for _ in 0..cases {
        let msg = strategy.new_tree(&mut runner).unwrap().current();
        let compressed = msg.encode().unwrap();
        let plain = msg.encode_uncompressed().unwrap();
        for (bytes, whole_names) in [(&compressed, false), (&plain, true)] {
            *outcomes.entry(compare(bytes, whole_names)).or_insert(0) += 1;
        }
        for _ in 0..4 {
            let mut bytes = compressed.clone();
            mutate(&mut bytes, &mut rng);
            *outcomes.entry(compare(&bytes, false)).or_insert(0) += 1;
        }
    }
    outcomes
}

/// `cargo test` runs 600 messages (3,600 inputs); raise the count by hand.
#[test]
fn dns_differential() {
    let cases = super::env_or("DNS_DIFF_CASES", 600);
    let seed = super::env_or("DNS_DIFF_SEED", 1);
    let outcomes = run(cases, seed);
    println!("{cases} generated messages (seed {seed}), 6 inputs each, against hickory-proto:");
    for (outcome, count) in &outcomes {
        println!("  {outcome:<40} {count}");
    }
    assert!(outcomes["both decode, same"] > u64::from(cases));
    assert!(outcomes["both refuse"] > 0);
}

/// The comparison can fail: a message hickory reads differently is caught.
#[test]
fn the_comparison_catches_a_difference() {
    // PTR RDATA as the review found it, printed by the old decoder as opaque
    // bytes: hickory reads a name, so an opaque view must not compare equal.
    let bytes = b"\xbe\xef\x81\x00\x00\x01\x00\x01\x00\x00\x00\x00\
                  \x07example\x03com\x00\x00\x01\x00\x01\
                  \xc0\x0c\x00\x0c\x00\x01\x00\x00\x01\x2c\x00\x02\xc0\x0c";
    let h = HMessage::from_vec(bytes).unwrap();
    let mut ours = Message::decode(bytes).unwrap();
    assert_eq!(
        hickory_view(&h, true).unwrap(),
        our_view(ours.clone(), true)
    );
    ours.answers[0].data = RData::Other {
        rtype: RecordType::PTR,
        data: vec![0xc0, 0x0c],
    };
    assert_ne!(hickory_view(&h, true).unwrap(), our_view(ours, true));
}
