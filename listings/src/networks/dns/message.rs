//! DNS messages: header, questions and resource records (RFC 1035 §4.1), and
//! the decoder and encoder for them.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::name::{Suffixes, read_name, write_name};
use super::{DecodeError, EncodeError, Name};

/// A record type (TYPE and QTYPE, RFC 1035 §3.2.2, §3.2.3).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct RecordType(pub u16);

impl RecordType {
    pub const A: RecordType = RecordType(1);
    pub const NS: RecordType = RecordType(2);
    pub const MD: RecordType = RecordType(3);
    pub const MF: RecordType = RecordType(4);
    pub const CNAME: RecordType = RecordType(5);
    pub const SOA: RecordType = RecordType(6);
    pub const MB: RecordType = RecordType(7);
    pub const MG: RecordType = RecordType(8);
    pub const MR: RecordType = RecordType(9);
    pub const NULL: RecordType = RecordType(10);
    pub const WKS: RecordType = RecordType(11);
    pub const PTR: RecordType = RecordType(12);
    pub const HINFO: RecordType = RecordType(13);
    pub const MINFO: RecordType = RecordType(14);
    pub const MX: RecordType = RecordType(15);
    pub const TXT: RecordType = RecordType(16);
    pub const RP: RecordType = RecordType(17);
    pub const AFSDB: RecordType = RecordType(18);
    pub const AAAA: RecordType = RecordType(28);
    pub const OPT: RecordType = RecordType(41);
    pub const AXFR: RecordType = RecordType(252);
    pub const MAILB: RecordType = RecordType(253);
    pub const MAILA: RecordType = RecordType(254);
    pub const ANY: RecordType = RecordType(255);

    /// The types whose RDATA this codec reads into a typed [`RData`]: every
    /// type of RFC 1035 §3.3 and §3.4 except NULL and WKS (which hold no
    /// name, and are kept opaque), RP and AFSDB (RFC 1183), and AAAA.
    pub const TYPED: [RecordType; 17] = [
        Self::A,
        Self::NS,
        Self::MD,
        Self::MF,
        Self::CNAME,
        Self::SOA,
        Self::MB,
        Self::MG,
        Self::MR,
        Self::PTR,
        Self::HINFO,
        Self::MINFO,
        Self::MX,
        Self::TXT,
        Self::RP,
        Self::AFSDB,
        Self::AAAA,
    ];
}

/// Mnemonic, or `TYPE<n>` for the rest (RFC 3597 §5).
impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mnemonic = match *self {
            Self::A => "A",
            Self::NS => "NS",
            Self::MD => "MD",
            Self::MF => "MF",
            Self::CNAME => "CNAME",
            Self::SOA => "SOA",
            Self::MB => "MB",
            Self::MG => "MG",
            Self::MR => "MR",
            Self::NULL => "NULL",
            Self::WKS => "WKS",
            Self::PTR => "PTR",
            Self::HINFO => "HINFO",
            Self::MINFO => "MINFO",
            Self::MX => "MX",
            Self::TXT => "TXT",
            Self::RP => "RP",
            Self::AFSDB => "AFSDB",
            Self::AAAA => "AAAA",
            Self::OPT => "OPT",
            Self::AXFR => "AXFR",
            Self::MAILB => "MAILB",
            Self::MAILA => "MAILA",
            Self::ANY => "ANY",
            RecordType(n) => return write!(f, "TYPE{n}"),
        };
        f.write_str(mnemonic)
    }
}

/// A class (CLASS and QCLASS, RFC 1035 §3.2.4, §3.2.5). Nearly always IN.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Class(pub u16);

impl Class {
    pub const IN: Class = Class(1);
    pub const CH: Class = Class(3);
    pub const HS: Class = Class(4);
    /// Only in dynamic updates (RFC 2136 §2.4, §2.5).
    pub const NONE: Class = Class(254);
    pub const ANY: Class = Class(255);
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::IN => f.write_str("IN"),
            Self::CH => f.write_str("CH"),
            Self::HS => f.write_str("HS"),
            Self::NONE => f.write_str("NONE"),
            Self::ANY => f.write_str("ANY"),
            Class(n) => write!(f, "CLASS{n}"),
        }
    }
}

/// The kind of query, 4 bits (RFC 1035 §4.1.1; 4 = NOTIFY, RFC 1996; 5 = UPDATE, RFC 2136).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Opcode(pub u8);

impl Opcode {
    pub const QUERY: Opcode = Opcode(0);
    pub const UPDATE: Opcode = Opcode(5);
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("QUERY"),
            1 => f.write_str("IQUERY"),
            2 => f.write_str("STATUS"),
            4 => f.write_str("NOTIFY"),
            5 => f.write_str("UPDATE"),
            n => write!(f, "OPCODE{n}"),
        }
    }
}

/// The response code, 4 bits (RFC 1035 §4.1.1).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Rcode(pub u8);

impl Rcode {
    pub const NOERROR: Rcode = Rcode(0);
    pub const FORMERR: Rcode = Rcode(1);
    pub const SERVFAIL: Rcode = Rcode(2);
    /// "Name Error": the name does not exist.
    pub const NXDOMAIN: Rcode = Rcode(3);
    pub const NOTIMP: Rcode = Rcode(4);
    pub const REFUSED: Rcode = Rcode(5);
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = [
            "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
        ];
        match name.get(usize::from(self.0)) {
            Some(name) => f.write_str(name),
            None => write!(f, "RCODE{}", self.0),
        }
    }
}

/// The fixed 12-octet header, without the four counts: the encoder takes
/// those from the sections, and the decoder reads exactly that many entries.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Header {
    /// Matches a response to its query.
    pub id: u16,
    /// QR: this message is a response.
    pub response: bool,
    pub opcode: Opcode,
    /// AA: the answer comes from an authority for the name.
    pub authoritative: bool,
    /// TC: the message was cut to fit the transport.
    pub truncated: bool,
    /// RD: the client asks for recursion.
    pub recursion_desired: bool,
    /// RA: the server offers recursion.
    pub recursion_available: bool,
    /// Z: the one bit still reserved; must be zero (RFC 1035 §4.1.1, RFC 6895 §2).
    pub z: bool,
    /// AD: authentic data (RFC 4035 §3.2.3).
    pub authentic_data: bool,
    /// CD: checking disabled (RFC 4035 §3.2.2).
    pub checking_disabled: bool,
    pub rcode: Rcode,
}

/// One entry of the question section (RFC 1035 §4.1.2).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Question {
    pub name: Name,
    pub qtype: RecordType,
    pub qclass: Class,
}

/// The data of a record, typed for the types this codec knows.
///
/// Which format RDATA has depends on the type *and* the class (RFC 1035
/// §3.2.1): `A` and `AAAA` are addresses only in class IN (RFC 1035 §3.4.1),
/// so in any other class they are kept opaque; and the records of class ANY or
/// NONE that dynamic updates use to delete or test for data carry no RDATA at
/// all (RFC 2136 §2.4, §2.5), which decodes as an empty [`RData::Other`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RData {
    /// An IPv4 address (RFC 1035 §3.4.1), class IN only.
    A(Ipv4Addr),
    /// An IPv6 address (RFC 3596 §2.2), class IN only.
    Aaaa(Ipv6Addr),
    /// An authoritative name server for the owner's zone (RFC 1035 §3.3.11).
    Ns(Name),
    /// A mail destination; obsolete, replaced by MX (RFC 1035 §3.3.4).
    Md(Name),
    /// A mail forwarder; obsolete, replaced by MX (RFC 1035 §3.3.5).
    Mf(Name),
    /// The owner is an alias; this is the canonical name (RFC 1035 §3.3.1).
    Cname(Name),
    /// The start of a zone of authority (RFC 1035 §3.3.13).
    Soa(Soa),
    /// A host that has the owner's mailbox; experimental (RFC 1035 §3.3.3).
    Mb(Name),
    /// A member of the owner's mail group; experimental (RFC 1035 §3.3.6).
    Mg(Name),
    /// The owner mailbox's new name; experimental (RFC 1035 §3.3.8).
    Mr(Name),
    /// A name the owner points to, as in reverse lookups (RFC 1035 §3.3.12).
    Ptr(Name),
    /// The host's CPU and operating system, two character-strings (RFC 1035 §3.3.2).
    Hinfo { cpu: Vec<u8>, os: Vec<u8> },
    /// The mailboxes responsible for a mailing list and for its errors;
    /// experimental (RFC 1035 §3.3.7).
    Minfo { rmailbx: Name, emailbx: Name },
    /// A mail exchanger, lower preference first (RFC 1035 §3.3.9).
    Mx { preference: u16, exchange: Name },
    /// One or more character-strings of up to 255 octets each (RFC 1035 §3.3.14).
    Txt(Vec<Vec<u8>>),
    /// The responsible person: a mailbox and a name that has TXT records about
    /// them (RFC 1183 §2.2).
    Rp { mbox: Name, txt: Name },
    /// An AFS or DCE server for the owner's cell (RFC 1183 §1).
    Afsdb { subtype: u16, hostname: Name },
    /// Any other type or class, kept as opaque octets (RFC 3597), and the
    /// empty RDATA of the update records of class ANY and NONE.
    Other { rtype: RecordType, data: Vec<u8> },
}

/// The fields of an SOA record (RFC 1035 §3.3.13).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Soa {
    /// The primary name server of the zone.
    pub mname: Name,
    /// The mailbox of the person responsible, with the `@` written as a dot.
    pub rname: Name,
    pub serial: u32,
    pub refresh: u32,
    pub retry: u32,
    pub expire: u32,
    /// Since RFC 2308 §4: the TTL for negative answers from this zone.
    pub minimum: u32,
}

impl RData {
    /// The TYPE this data is written with.
    pub fn rtype(&self) -> RecordType {
        match self {
            RData::A(_) => RecordType::A,
            RData::Aaaa(_) => RecordType::AAAA,
            RData::Ns(_) => RecordType::NS,
            RData::Md(_) => RecordType::MD,
            RData::Mf(_) => RecordType::MF,
            RData::Cname(_) => RecordType::CNAME,
            RData::Soa(_) => RecordType::SOA,
            RData::Mb(_) => RecordType::MB,
            RData::Mg(_) => RecordType::MG,
            RData::Mr(_) => RecordType::MR,
            RData::Ptr(_) => RecordType::PTR,
            RData::Hinfo { .. } => RecordType::HINFO,
            RData::Minfo { .. } => RecordType::MINFO,
            RData::Mx { .. } => RecordType::MX,
            RData::Txt(_) => RecordType::TXT,
            RData::Rp { .. } => RecordType::RP,
            RData::Afsdb { .. } => RecordType::AFSDB,
            RData::Other { rtype, .. } => *rtype,
        }
    }

    /// The data of the types that hold exactly one name, with a constructor
    /// for each: NS, MD, MF, CNAME, MB, MG, MR and PTR.
    fn single_name(&self) -> Option<&Name> {
        match self {
            RData::Ns(n)
            | RData::Md(n)
            | RData::Mf(n)
            | RData::Cname(n)
            | RData::Mb(n)
            | RData::Mg(n)
            | RData::Mr(n)
            | RData::Ptr(n) => Some(n),
            _ => None,
        }
    }
}

/// The constructor for each type whose RDATA is one name.
fn single_name_type(rtype: RecordType) -> Option<fn(Name) -> RData> {
    Some(match rtype {
        RecordType::NS => RData::Ns,
        RecordType::MD => RData::Md,
        RecordType::MF => RData::Mf,
        RecordType::CNAME => RData::Cname,
        RecordType::MB => RData::Mb,
        RecordType::MG => RData::Mg,
        RecordType::MR => RData::Mr,
        RecordType::PTR => RData::Ptr,
        _ => return None,
    })
}

/// A resource record (RFC 1035 §4.1.3). Its TYPE comes from its data.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Record {
    /// The owner name.
    pub name: Name,
    pub class: Class,
    /// Seconds the record may be cached.
    pub ttl: u32,
    pub data: RData,
}

impl Record {
    /// The TTL a cache may use, in seconds. RFC 2181 §8: a TTL is 0 to
    /// 2<sup>31</sup>−1, and a value with the top bit set is read as 0.
    pub fn ttl_seconds(&self) -> u32 {
        if self.ttl > 0x7fff_ffff { 0 } else { self.ttl }
    }
}

/// A whole DNS message (RFC 1035 §4.1).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Message {
    pub header: Header,
    pub questions: Vec<Question>,
    pub answers: Vec<Record>,
    pub authorities: Vec<Record>,
    pub additionals: Vec<Record>,
}

/// A cursor over the message; every read is bounds-checked.
struct Reader<'a> {
    msg: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn bytes(&mut self, n: usize, what: &'static str) -> Result<&[u8], DecodeError> {
        let bytes = self
            .pos
            .checked_add(n)
            .and_then(|end| self.msg.get(self.pos..end))
            .ok_or(DecodeError::Truncated {
                what,
                offset: self.pos,
            })?;
        self.pos += n;
        Ok(bytes)
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        Ok(self.bytes(1, what)?[0])
    }

    fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        let b = self.bytes(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, DecodeError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn name(&mut self) -> Result<Name, DecodeError> {
        let (name, end) = read_name(self.msg, self.pos)?;
        self.pos = end;
        Ok(name)
    }
}

impl Message {
    /// A standard query for `name` and `qtype` in class IN, with RD set, as a
    /// stub resolver sends it (RFC 1034 §5.3.1): one question, no records.
    pub fn query(id: u16, name: Name, qtype: RecordType) -> Message {
        Message {
            header: Header {
                id,
                recursion_desired: true,
                ..Header::default()
            },
            questions: vec![Question {
                name,
                qtype,
                qclass: Class::IN,
            }],
            ..Message::default()
        }
    }

    /// Decodes a whole message. Never panics, and its work is bounded by the
    /// length of `msg`.
    pub fn decode(msg: &[u8]) -> Result<Message, DecodeError> {
        let mut r = Reader { msg, pos: 0 };
        let h = r.bytes(12, "header")?;
        let word = |i: usize| u16::from_be_bytes([h[2 * i], h[2 * i + 1]]);
        let (id, flags) = (word(0), word(1));
        let counts = [word(2), word(3), word(4), word(5)];
        let bit = |n: u16| flags & (1 << n) != 0;
        let header = Header {
            id,
            response: bit(15),
            opcode: Opcode(((flags >> 11) & 0xf) as u8),
            authoritative: bit(10),
            truncated: bit(9),
            recursion_desired: bit(8),
            recursion_available: bit(7),
            z: bit(6),
            authentic_data: bit(5),
            checking_disabled: bit(4),
            rcode: Rcode((flags & 0xf) as u8),
        };
        // No `Vec::with_capacity(count)`: a hostile count must not make us allocate.
        let mut questions = Vec::new();
        for _ in 0..counts[0] {
            let name = r.name()?;
            let qtype = RecordType(r.u16("question")?);
            let qclass = Class(r.u16("question")?);
            questions.push(Question {
                name,
                qtype,
                qclass,
            });
        }
        // In an UPDATE, the question section is the zone section, and the
        // records of class NONE to delete carry RDATA of the zone's class
        // (RFC 2136 §2.3, §2.5.4).
        let zone_class = match questions.first() {
            Some(zone) if header.opcode == Opcode::UPDATE => Some(zone.qclass),
            _ => None,
        };
        let mut sections: [Vec<Record>; 3] = Default::default();
        for (section, &count) in sections.iter_mut().zip(&counts[1..]) {
            for _ in 0..count {
                section.push(decode_record(&mut r, zone_class)?);
            }
        }
        if r.pos < msg.len() {
            return Err(DecodeError::TrailingBytes {
                offset: r.pos,
                count: msg.len() - r.pos,
            });
        }
        let [answers, authorities, additionals] = sections;
        Ok(Message {
            header,
            questions,
            answers,
            authorities,
            additionals,
        })
    }

    /// Encodes the message with name compression (RFC 1035 §4.1.4).
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        self.encode_with(true)
    }

    /// Encodes the message with every name written out in full.
    pub fn encode_uncompressed(&self) -> Result<Vec<u8>, EncodeError> {
        self.encode_with(false)
    }

    fn encode_with(&self, compress: bool) -> Result<Vec<u8>, EncodeError> {
        let h = &self.header;
        for (field, value) in [("opcode", h.opcode.0), ("rcode", h.rcode.0)] {
            if value > 0xf {
                return Err(EncodeError::FieldTooWide { field, value });
            }
        }
        let flag = |set: bool, n: u16| u16::from(set) << n;
        let flags = flag(h.response, 15)
            | u16::from(h.opcode.0) << 11
            | flag(h.authoritative, 10)
            | flag(h.truncated, 9)
            | flag(h.recursion_desired, 8)
            | flag(h.recursion_available, 7)
            | flag(h.z, 6)
            | flag(h.authentic_data, 5)
            | flag(h.checking_disabled, 4)
            | u16::from(h.rcode.0);
        let mut out = Vec::with_capacity(512);
        out.extend_from_slice(&h.id.to_be_bytes());
        out.extend_from_slice(&flags.to_be_bytes());
        let sections = [
            ("question", self.questions.len()),
            ("answer", self.answers.len()),
            ("authority", self.authorities.len()),
            ("additional", self.additionals.len()),
        ];
        for (section, count) in sections {
            let count16 =
                u16::try_from(count).map_err(|_| EncodeError::TooManyEntries { section, count })?;
            out.extend_from_slice(&count16.to_be_bytes());
        }
        let mut suffixes = Suffixes::new();
        let mut table = compress.then_some(&mut suffixes);
        for q in &self.questions {
            write_name(&mut out, &q.name, table.as_deref_mut())?;
            out.extend_from_slice(&q.qtype.0.to_be_bytes());
            out.extend_from_slice(&q.qclass.0.to_be_bytes());
        }
        for record in self
            .answers
            .iter()
            .chain(&self.authorities)
            .chain(&self.additionals)
        {
            encode_record(&mut out, record, table.as_deref_mut())?;
        }
        Ok(out)
    }
}

fn decode_record(r: &mut Reader<'_>, zone_class: Option<Class>) -> Result<Record, DecodeError> {
    let name = r.name()?;
    let rtype = RecordType(r.u16("record")?);
    let class = Class(r.u16("record")?);
    let ttl = r.u32("record")?;
    let rdlength = usize::from(r.u16("record")?);
    let start = r.pos;
    let end = start + rdlength;
    if end > r.msg.len() {
        return Err(DecodeError::Truncated {
            what: "record data",
            offset: start,
        });
    }
    // Reads inside the RDATA see the whole message (for pointers), but must
    // not run past RDLENGTH.
    let mut rd = Reader {
        msg: &r.msg[..end],
        pos: start,
    };
    let data = if rdlength == 0 && (class == Class::ANY || class == Class::NONE) {
        // An update's "delete" or "exists" record: no RDATA (RFC 2136 §2.4, §2.5).
        RData::Other {
            rtype,
            data: Vec::new(),
        }
    } else {
        let data_class = match zone_class {
            Some(zone_class) if class == Class::NONE => zone_class,
            _ => class,
        };
        decode_rdata(&mut rd, rtype, data_class)?
    };
    if rd.pos != end {
        return Err(DecodeError::BadRdata {
            offset: start,
            rtype,
            reason: "RDLENGTH is longer than the data",
        });
    }
    r.pos = end;
    Ok(Record {
        name,
        class,
        ttl,
        data,
    })
}

/// Reads the RDATA that fills `rd` up to its end, by type and class.
fn decode_rdata(
    rd: &mut Reader<'_>,
    rtype: RecordType,
    class: Class,
) -> Result<RData, DecodeError> {
    let start = rd.pos;
    let bad = |reason| DecodeError::BadRdata {
        offset: start,
        rtype,
        reason,
    };
    if let Some(make) = single_name_type(rtype) {
        return Ok(make(rdata_name(rd, bad)?));
    }
    let data = match (rtype, class) {
        (RecordType::A, Class::IN) => RData::A(Ipv4Addr::from(
            rd.u32("A address").map_err(|_| bad("not 4 octets"))?,
        )),
        (RecordType::AAAA, Class::IN) => {
            let b = rd
                .bytes(16, "AAAA address")
                .map_err(|_| bad("not 16 octets"))?;
            let mut octets = [0; 16];
            octets.copy_from_slice(b);
            RData::Aaaa(Ipv6Addr::from(octets))
        }
        (RecordType::SOA, _) => {
            let mname = rdata_name(rd, bad)?;
            let rname = rdata_name(rd, bad)?;
            let mut field = || {
                rd.u32("SOA")
                    .map_err(|_| bad("the five 32-bit fields are cut short"))
            };
            RData::Soa(Soa {
                mname,
                rname,
                serial: field()?,
                refresh: field()?,
                retry: field()?,
                expire: field()?,
                minimum: field()?,
            })
        }
        (RecordType::HINFO, _) => RData::Hinfo {
            cpu: rdata_string(rd, bad)?,
            os: rdata_string(rd, bad)?,
        },
        (RecordType::MINFO, _) => RData::Minfo {
            rmailbx: rdata_name(rd, bad)?,
            emailbx: rdata_name(rd, bad)?,
        },
        (RecordType::MX, _) => RData::Mx {
            preference: rd.u16("MX").map_err(|_| bad("no preference"))?,
            exchange: rdata_name(rd, bad)?,
        },
        (RecordType::TXT, _) => {
            if rd.pos == rd.msg.len() {
                return Err(bad(
                    "no character-string (RFC 1035 §3.3.14 asks for one or more)",
                ));
            }
            let mut strings = Vec::new();
            while rd.pos < rd.msg.len() {
                strings.push(rdata_string(rd, bad)?);
            }
            RData::Txt(strings)
        }
        (RecordType::RP, _) => RData::Rp {
            mbox: rdata_name(rd, bad)?,
            txt: rdata_name(rd, bad)?,
        },
        (RecordType::AFSDB, _) => RData::Afsdb {
            subtype: rd.u16("AFSDB").map_err(|_| bad("no subtype"))?,
            hostname: rdata_name(rd, bad)?,
        },
        // Every other type, and A and AAAA outside class IN (RFC 3597 §5).
        _ => RData::Other {
            rtype,
            data: rd.bytes(rd.msg.len() - start, "record data")?.to_vec(),
        },
    };
    Ok(data)
}

/// A name inside RDATA: a truncation here means it ran past RDLENGTH.
fn rdata_name(
    rd: &mut Reader<'_>,
    bad: impl Fn(&'static str) -> DecodeError,
) -> Result<Name, DecodeError> {
    rd.name().map_err(|e| match e {
        DecodeError::Truncated { .. } => bad("a name runs past RDLENGTH"),
        other => other,
    })
}

/// A character-string inside RDATA: a length octet and that many octets (RFC 1035 §3.3).
fn rdata_string(
    rd: &mut Reader<'_>,
    bad: impl Fn(&'static str) -> DecodeError,
) -> Result<Vec<u8>, DecodeError> {
    let len = rd
        .u8("string")
        .map_err(|_| bad("a character-string is missing"))?;
    Ok(rd
        .bytes(usize::from(len), "string")
        .map_err(|_| bad("a string runs past RDLENGTH"))?
        .to_vec())
}

fn write_string(out: &mut Vec<u8>, s: &[u8]) -> Result<(), EncodeError> {
    let len = u8::try_from(s.len()).map_err(|_| EncodeError::StringTooLong { len: s.len() })?;
    out.push(len);
    out.extend_from_slice(s);
    Ok(())
}

fn encode_record(
    out: &mut Vec<u8>,
    record: &Record,
    mut table: Option<&mut Suffixes>,
) -> Result<(), EncodeError> {
    write_name(out, &record.name, table.as_deref_mut())?;
    out.extend_from_slice(&record.data.rtype().0.to_be_bytes());
    out.extend_from_slice(&record.class.0.to_be_bytes());
    out.extend_from_slice(&record.ttl.to_be_bytes());
    let length_at = out.len();
    out.extend_from_slice(&[0, 0]); // RDLENGTH, filled in below
    // RFC 3597 §4: compression inside RDATA only for the types of RFC 1035;
    // the names of RP and AFSDB (RFC 1183) are written in full.
    match &record.data {
        RData::A(addr) => out.extend_from_slice(&addr.octets()),
        RData::Aaaa(addr) => out.extend_from_slice(&addr.octets()),
        RData::Mx {
            preference,
            exchange,
        } => {
            out.extend_from_slice(&preference.to_be_bytes());
            write_name(out, exchange, table)?;
        }
        RData::Txt(strings) => {
            if strings.is_empty() {
                return Err(EncodeError::EmptyTxt);
            }
            for s in strings {
                write_string(out, s)?;
            }
        }
        RData::Hinfo { cpu, os } => {
            write_string(out, cpu)?;
            write_string(out, os)?;
        }
        RData::Minfo { rmailbx, emailbx } => {
            write_name(out, rmailbx, table.as_deref_mut())?;
            write_name(out, emailbx, table)?;
        }
        RData::Soa(soa) => {
            write_name(out, &soa.mname, table.as_deref_mut())?;
            write_name(out, &soa.rname, table)?;
            for field in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] {
                out.extend_from_slice(&field.to_be_bytes());
            }
        }
        RData::Rp { mbox, txt } => {
            write_name(out, mbox, None)?;
            write_name(out, txt, None)?;
        }
        RData::Afsdb { subtype, hostname } => {
            out.extend_from_slice(&subtype.to_be_bytes());
            write_name(out, hostname, None)?;
        }
        RData::Other { data, .. } => out.extend_from_slice(data),
        single => {
            let name = single
                .single_name()
                .expect("every other variant holds one name");
            write_name(out, name, table)?;
        }
    }
    let len = out.len() - length_at - 2;
    let len16 = u16::try_from(len).map_err(|_| EncodeError::RdataTooLong { len })?;
    out[length_at..length_at + 2].copy_from_slice(&len16.to_be_bytes());
    Ok(())
}

/// Writes `text` as a quoted character-string (RFC 1035 §5.1).
fn quoted(f: &mut fmt::Formatter<'_>, text: &[u8]) -> fmt::Result {
    f.write_str("\"")?;
    for &byte in text {
        match byte {
            b'"' | b'\\' => write!(f, "\\{}", byte as char)?,
            0x20..=0x7e => write!(f, "{}", byte as char)?,
            _ => write!(f, "\\{byte:03}")?,
        }
    }
    f.write_str("\"")
}

/// RDATA in presentation format (RFC 1035 §5.1; unknown types as RFC 3597 §5).
impl fmt::Display for RData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = self.single_name() {
            return write!(f, "{name}");
        }
        match self {
            RData::A(addr) => write!(f, "{addr}"),
            RData::Aaaa(addr) => write!(f, "{addr}"),
            RData::Mx {
                preference,
                exchange,
            } => write!(f, "{preference} {exchange}"),
            RData::Txt(strings) => {
                for (i, s) in strings.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    quoted(f, s)?;
                }
                Ok(())
            }
            RData::Hinfo { cpu, os } => {
                quoted(f, cpu)?;
                f.write_str(" ")?;
                quoted(f, os)
            }
            RData::Minfo { rmailbx, emailbx } => write!(f, "{rmailbx} {emailbx}"),
            RData::Rp { mbox, txt } => write!(f, "{mbox} {txt}"),
            RData::Afsdb { subtype, hostname } => write!(f, "{subtype} {hostname}"),
            RData::Soa(s) => write!(
                f,
                "{} {} {} {} {} {} {}",
                s.mname, s.rname, s.serial, s.refresh, s.retry, s.expire, s.minimum
            ),
            RData::Other { data, .. } => {
                write!(f, "\\# {}", data.len())?;
                if !data.is_empty() {
                    f.write_str(" ")?;
                }
                data.iter().try_for_each(|b| write!(f, "{b:02x}"))
            }
            _ => unreachable!("the single-name types are written above"),
        }
    }
}

/// One record as a line of a zone file: `name TTL class type data` (RFC 1035
/// §5.1). A TTL with the top bit set is written as 0, the value RFC 2181 §8
/// gives it, followed by a comment with the raw field. An OPT pseudo-record
/// (RFC 6891 §6.1) has no zone-file form: its fields are named instead.
impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rtype = self.data.rtype();
        if rtype == RecordType::OPT {
            let [extended_rcode, version, flags @ ..] = self.ttl.to_be_bytes();
            let dnssec_ok = if flags[0] & 0x80 != 0 { "do" } else { "(none)" };
            return write!(
                f,
                "{} OPT udp payload {}, extended rcode {extended_rcode}, version {version}, flags {dnssec_ok}, options {}",
                self.name, self.class.0, self.data
            );
        }
        write!(
            f,
            "{} {} {} {rtype} {}",
            self.name,
            self.ttl_seconds(),
            self.class,
            self.data
        )?;
        if self.ttl_seconds() != self.ttl {
            write!(
                f,
                " ; TTL field {} has its top bit set, read as 0 (RFC 2181 §8)",
                self.ttl
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.name, self.qclass, self.qtype)
    }
}

impl Header {
    /// The set one-bit flags, lower case, as `dig` prints them: `qr aa rd`.
    pub fn flag_names(&self) -> String {
        let flags = [
            (self.response, "qr"),
            (self.authoritative, "aa"),
            (self.truncated, "tc"),
            (self.recursion_desired, "rd"),
            (self.recursion_available, "ra"),
            (self.z, "z"),
            (self.authentic_data, "ad"),
            (self.checking_disabled, "cd"),
        ];
        let set: Vec<&str> = flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| *name)
            .collect();
        if set.is_empty() {
            "(none)".to_owned()
        } else {
            set.join(" ")
        }
    }
}

/// Everything in the message, one line per entry.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = &self.header;
        // An UPDATE reuses the four sections with other names (RFC 2136 §2).
        let (counts, titles) = if h.opcode == Opcode::UPDATE {
            (
                ["ZOCOUNT", "PRCOUNT", "UPCOUNT", "ADCOUNT"],
                ["zone", "prerequisite", "update", "additional"],
            )
        } else {
            (
                ["QDCOUNT", "ANCOUNT", "NSCOUNT", "ARCOUNT"],
                ["question", "answer", "authority", "additional"],
            )
        };
        writeln!(f, "id: {} (0x{:04x})", h.id, h.id)?;
        writeln!(f, "flags: {}", h.flag_names())?;
        writeln!(f, "opcode: {}, rcode: {}", h.opcode, h.rcode)?;
        writeln!(
            f,
            "counts: {} {}, {} {}, {} {}, {} {}",
            counts[0],
            self.questions.len(),
            counts[1],
            self.answers.len(),
            counts[2],
            self.authorities.len(),
            counts[3],
            self.additionals.len()
        )?;
        writeln!(f, "{} section:", titles[0])?;
        for q in &self.questions {
            writeln!(f, "  {q}")?;
        }
        let sections = [
            (titles[1], &self.answers),
            (titles[2], &self.authorities),
            (titles[3], &self.additionals),
        ];
        for (title, records) in sections {
            writeln!(f, "{title} section:")?;
            for record in records {
                writeln!(f, "  {record}")?;
            }
        }
        Ok(())
    }
}
