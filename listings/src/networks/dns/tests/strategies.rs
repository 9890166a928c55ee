//! Proptest strategies for valid DNS messages.

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

/// A type this codec does not interpret: the private-use range (RFC 6895 §3.1),
/// which `simple-dns` does not know either.
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

/// Opaque data of a type that neither library interprets.
pub fn other_rdata() -> impl Strategy<Value = RData> {
    (other_type(), prop::collection::vec(any::<u8>(), 0..40))
        .prop_map(|(rtype, data)| RData::Other { rtype, data })
}

pub fn rdata() -> impl Strategy<Value = RData> {
    prop_oneof![
        any::<u32>().prop_map(|a| RData::A(Ipv4Addr::from(a))),
        any::<u128>().prop_map(|a| RData::Aaaa(Ipv6Addr::from(a))),
        name().prop_map(RData::Ns),
        name().prop_map(RData::Cname),
        (any::<u16>(), name()).prop_map(|(preference, exchange)| RData::Mx {
            preference,
            exchange
        }),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..=255), 0..3)
            .prop_map(RData::Txt),
        soa(),
        other_rdata(),
    ]
}

pub fn record() -> impl Strategy<Value = Record> {
    (name(), any::<u16>(), any::<u32>(), rdata()).prop_map(|(name, class, ttl, data)| Record {
        name,
        class: Class(class),
        ttl,
        data,
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

pub fn message() -> impl Strategy<Value = Message> {
    let records = || prop::collection::vec(record(), 0..4);
    (
        header(),
        prop::collection::vec(question(), 0..3),
        records(),
        records(),
        records(),
    )
        .prop_map(
            |(header, questions, answers, authorities, additionals)| Message {
                header,
                questions,
                answers,
                authorities,
                additionals,
            },
        )
}
