//! Proptest strategies for valid DNS messages: every type the codec reads,
//! other classes, dynamic updates (RFC 2136) and EDNS OPT records (RFC 6891).
//! The one RDATA strategy, [`rdata_with`], serves the round-trip properties
//! and both cross-checks.

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;

use crate::networks::dns::*;

/// A label: usually from a tiny alphabet, so that names share suffixes and
/// compression has work to do; sometimes any octets up to the limit of 63.
pub fn label() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => "[a-c]{1,2}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 1..=MAX_LABEL_LEN),
    ]
}

pub fn name() -> impl Strategy<Value = Name> {
    prop::collection::vec(label(), 0..=5)
        .prop_map(Name)
        .prop_filter("at most 255 octets", |n| n.wire_len() <= MAX_NAME_LEN)
}

/// A character-string: any octets, at most 255.
pub fn char_string() -> BoxedStrategy<Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..=255).boxed()
}

/// A type this codec does not interpret: the private-use range (RFC 6895 §3.1),
/// which neither `simple-dns` nor `hickory-proto` interprets either.
pub fn other_type() -> impl Strategy<Value = RecordType> {
    (0xff00u16..=0xfffe).prop_map(RecordType)
}

/// An SOA record's data with arbitrary numbers.
pub fn soa() -> impl Strategy<Value = RData> {
    (name(), name(), any::<[u32; 5]>()).prop_map(
        |(mname, rname, [serial, refresh, retry, expire, minimum])| {
            RData::Soa(Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            })
        },
    )
}

/// Opaque data of a type that no library here interprets.
pub fn other_rdata() -> impl Strategy<Value = RData> {
    (other_type(), prop::collection::vec(any::<u8>(), 0..40))
        .prop_map(|(rtype, data)| RData::Other { rtype, data })
}

/// The data of class IN's address types, A and AAAA.
pub fn address_rdata() -> impl Strategy<Value = RData> {
    prop_oneof![
        any::<u32>().prop_map(|a| RData::A(Ipv4Addr::from(a))),
        any::<u128>().prop_map(|a| RData::Aaaa(Ipv6Addr::from(a))),
    ]
}

/// The data of every typed kind whose format is the same in all classes,
/// with character-strings (TXT, HINFO) drawn from `string`.
pub fn class_independent_rdata(string: BoxedStrategy<Vec<u8>>) -> BoxedStrategy<RData> {
    let strings = prop::collection::vec(string.clone(), 1..3);
    prop_oneof![
        name().prop_map(RData::Ns),
        name().prop_map(RData::Md),
        name().prop_map(RData::Mf),
        name().prop_map(RData::Cname),
        soa(),
        name().prop_map(RData::Mb),
        name().prop_map(RData::Mg),
        name().prop_map(RData::Mr),
        name().prop_map(RData::Ptr),
        (string.clone(), string).prop_map(|(cpu, os)| RData::Hinfo { cpu, os }),
        (name(), name()).prop_map(|(rmailbx, emailbx)| RData::Minfo { rmailbx, emailbx }),
        (any::<u16>(), name()).prop_map(|(preference, exchange)| RData::Mx {
            preference,
            exchange
        }),
        strings.prop_map(RData::Txt),
        (name(), name()).prop_map(|(mbox, txt)| RData::Rp { mbox, txt }),
        (any::<u16>(), name()).prop_map(|(subtype, hostname)| RData::Afsdb { subtype, hostname }),
    ]
    .boxed()
}

/// The one RDATA strategy: data of every type the codec reads, valid in
/// class IN, plus opaque data of private types; `string` makes the
/// character-strings.
pub fn rdata_with(string: BoxedStrategy<Vec<u8>>) -> impl Strategy<Value = RData> {
    prop_oneof![
        2 => address_rdata(),
        8 => class_independent_rdata(string),
        1 => other_rdata(),
    ]
}

/// A class other than IN and NONE, where A and AAAA data are opaque.
pub fn other_class() -> impl Strategy<Value = Class> {
    prop_oneof![
        Just(Class::CH),
        Just(Class::HS),
        Just(Class::ANY),
        any::<u16>().prop_map(Class)
    ]
    .prop_filter("not IN or NONE", |c| *c != Class::IN && *c != Class::NONE)
}

/// A record whose data is what the decoder reads for its class: addresses in
/// IN, opaque A and AAAA data in other classes, and class-independent and
/// private-type data in any class.
pub fn record() -> impl Strategy<Value = Record> {
    let make = |(name, class, ttl, data)| Record {
        name,
        class,
        ttl,
        data,
    };
    let opaque_address = (
        prop::sample::select(vec![RecordType::A, RecordType::AAAA]),
        prop::collection::vec(any::<u8>(), 0..20),
    )
        .prop_map(|(rtype, data)| RData::Other { rtype, data });
    prop_oneof![
        2 => (name(), Just(Class::IN), any::<u32>(), address_rdata()).prop_map(make),
        6 => (name(), any::<u16>().prop_map(Class), any::<u32>(), class_independent_rdata(char_string()))
            .prop_map(make),
        1 => (name(), other_class(), any::<u32>(), opaque_address).prop_map(make),
        1 => (name(), any::<u16>().prop_map(Class), any::<u32>(), other_rdata()).prop_map(make),
    ]
}

/// An EDNS OPT pseudo-record (RFC 6891 §6.1.2): owner root, CLASS the UDP
/// payload size (at least 512, §6.2.5), TTL the extended RCODE, version and
/// flags, and RDATA a list of well-formed options with codes from the range
/// for local use (RFC 6891 §9), which no library here interprets.
pub fn opt_record() -> impl Strategy<Value = Record> {
    let option = (65001u16..=65534, prop::collection::vec(any::<u8>(), 0..8));
    (
        512u16..=u16::MAX,
        any::<u8>(),
        any::<u8>(),
        any::<bool>(),
        prop::collection::vec(option, 0..3),
    )
        .prop_map(|(payload, extended_rcode, version, dnssec_ok, options)| {
            let mut data = Vec::new();
            for (code, value) in options {
                data.extend_from_slice(&code.to_be_bytes());
                data.extend_from_slice(&(value.len() as u16).to_be_bytes());
                data.extend_from_slice(&value);
            }
            Record {
                name: Name::root(),
                class: Class(payload),
                ttl: u32::from_be_bytes([extended_rcode, version, u8::from(dnssec_ok) << 7, 0]),
                data: RData::Other {
                    rtype: RecordType::OPT,
                    data,
                },
            }
        })
}

pub fn header() -> impl Strategy<Value = Header> {
    (any::<u16>(), any::<[bool; 8]>(), 0u8..16, 0u8..16).prop_map(|(id, b, opcode, rcode)| Header {
        id,
        response: b[0],
        opcode: Opcode(opcode),
        authoritative: b[1],
        truncated: b[2],
        recursion_desired: b[3],
        recursion_available: b[4],
        z: b[5],
        authentic_data: b[6],
        checking_disabled: b[7],
        rcode: Rcode(rcode),
    })
}

pub fn question() -> impl Strategy<Value = Question> {
    (name(), any::<u16>(), any::<u16>()).prop_map(|(name, t, c)| Question {
        name,
        qtype: RecordType(t),
        qclass: Class(c),
    })
}

/// A message of any opcode, with at most one OPT record in the additional section.
pub fn plain_message() -> impl Strategy<Value = Message> {
    let records = || prop::collection::vec(record(), 0..4);
    (
        header(),
        prop::collection::vec(question(), 0..3),
        records(),
        records(),
        records(),
        prop::option::of(opt_record()),
    )
        .prop_map(
            |(header, questions, answers, authorities, mut additionals, opt)| {
                additionals.extend(opt);
                Message {
                    header,
                    questions,
                    answers,
                    authorities,
                    additionals,
                }
            },
        )
}

/// A record of an update (RFC 2136 §2.4, §2.5) to a zone of class IN: data
/// in class IN (a prerequisite on a value, or an RR to add), class NONE with
/// data (an RR to delete), or class ANY or NONE without data (an RRset exists
/// or not, a name is in use or not, delete an RRset or a name).
pub fn update_record() -> impl Strategy<Value = Record> {
    let empty = (
        any::<u16>(),
        prop::sample::select(vec![Class::ANY, Class::NONE]),
    )
        .prop_map(|(rtype, class)| {
            (
                class,
                RData::Other {
                    rtype: RecordType(rtype),
                    data: Vec::new(),
                },
            )
        });
    let with_data = (
        prop::sample::select(vec![Class::IN, Class::NONE]),
        rdata_with(char_string()),
    );
    (name(), prop_oneof![with_data, empty]).prop_map(|(name, (class, data))| Record {
        name,
        class,
        ttl: 0,
        data,
    })
}

/// A dynamic update (RFC 2136 §2): opcode UPDATE, one zone in class IN
/// (ZTYPE SOA), prerequisites and updates.
pub fn update_message() -> impl Strategy<Value = Message> {
    let records = || prop::collection::vec(update_record(), 0..4);
    (any::<u16>(), name(), records(), records()).prop_map(|(id, zone, prerequisites, updates)| {
        Message {
            header: Header {
                id,
                opcode: Opcode::UPDATE,
                ..Header::default()
            },
            questions: vec![Question {
                name: zone,
                qtype: RecordType::SOA,
                qclass: Class::IN,
            }],
            answers: prerequisites,
            authorities: updates,
            additionals: vec![],
        }
    })
}

pub fn message() -> impl Strategy<Value = Message> {
    prop_oneof![4 => plain_message(), 1 => update_message()]
}
