//! A TCP header decoder and encoder, written by hand for teaching.
//!
//! It follows RFC 9293 §3.1 (the header) and §3.2 (EOL, NOP, MSS), RFC 7323
//! (window scale, timestamps) and RFC 2018 (SACK-permitted, SACK). The tests
//! cross-check it against the `etherparse` crate, and property tests feed it
//! arbitrary bytes: malformed input gives a [`DecodeError`], never a panic.
//!
//! This file depends on `std` and `thiserror` only (no I/O, no other module
//! of the book), so the chapter compiles it whole as a doctest, and it can
//! move with the packet lab to a crate without an operating system. What
//! prints a header, and the command-line tool, are in `tcp_header_cli`.

/// The fixed part of every TCP header: five 32-bit words.
pub const FIXED_HEADER_LEN: usize = 20;

/// The SYN of the original note, client to server.
pub const NOTE_SYN: &str = "c6 05 1f 48 e6 a8 6c 68 00 00 00 00 80 02 fa f0 \
                            b6 ce 00 00 02 04 05 b4 01 03 03 08 01 01 04 02";

/// The SYN-ACK of the original note, server to client.
pub const NOTE_SYN_ACK: &str = "1f 48 c6 05 c4 a7 ff 74 e6 a8 6c 69 80 12 72 10 \
                                41 b3 00 00 02 04 05 78 01 01 04 02 01 03 03 07";

// ANCHOR: flags
/// The eight control bits of byte 13, named as RFC 9293 §3.1 names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags(pub u8);

impl Flags {
    pub const CWR: u8 = 0x80;
    pub const ECE: u8 = 0x40;
    pub const URG: u8 = 0x20;
    pub const ACK: u8 = 0x10;
    pub const PSH: u8 = 0x08;
    pub const RST: u8 = 0x04;
    pub const SYN: u8 = 0x02;
    pub const FIN: u8 = 0x01;

    /// Every flag, most significant bit first, as the header diagram shows them.
    pub const ALL: [(&'static str, u8); 8] = [
        ("CWR", Self::CWR),
        ("ECE", Self::ECE),
        ("URG", Self::URG),
        ("ACK", Self::ACK),
        ("PSH", Self::PSH),
        ("RST", Self::RST),
        ("SYN", Self::SYN),
        ("FIN", Self::FIN),
    ];

    /// Is this flag (one of the constants above) set?
    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }

    /// The order in which [`Flags::names`] lists them: the order of RFC 9293's
    /// examples (`<CTL=SYN,ACK>`, `<CTL=FIN,ACK>`) and of Wireshark.
    const DISPLAY_ORDER: [(&'static str, u8); 8] = [
        ("SYN", Self::SYN),
        ("FIN", Self::FIN),
        ("RST", Self::RST),
        ("PSH", Self::PSH),
        ("ACK", Self::ACK),
        ("URG", Self::URG),
        ("ECE", Self::ECE),
        ("CWR", Self::CWR),
    ];

    /// The names of the flags that are set, e.g. `"SYN,ACK"`, or `"none"`.
    pub fn names(self) -> String {
        let set: Vec<&str> = Self::DISPLAY_ORDER
            .iter()
            .filter(|(_, bit)| self.has(*bit))
            .map(|(name, _)| *name)
            .collect();
        if set.is_empty() {
            "none".to_owned()
        } else {
            set.join(",")
        }
    }
}
// ANCHOR_END: flags

impl std::fmt::Display for Flags {
    /// As [`Flags::names`]: `SYN,ACK`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.names())
    }
}

// ANCHOR: option
/// One TCP option (RFC 9293 §3.1: a kind octet, then, for every kind but 0
/// and 1, a length octet that counts kind and length too, then the data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TcpOption {
    /// Kind 0: end of the option list. The rest of the header is padding,
    /// which RFC 9293 §3.1 says must be zeros (MUST-69).
    EndOfOptionList { padding: Vec<u8> },
    /// Kind 1: one byte of filler, used to align the next option.
    NoOperation,
    /// Kind 2, length 4: the largest segment the sender can receive (§3.2).
    MaximumSegmentSize(u16),
    /// Kind 3, length 3: the sender's windows are shifted left by this count
    /// (RFC 7323 §2).
    WindowScale(u8),
    /// Kind 4, length 2: the sender can receive SACK options (RFC 2018 §2).
    SackPermitted,
    /// Kind 5, length 2 + 8n: blocks of data received beyond the
    /// acknowledgment number, as (left edge, right edge) pairs (RFC 2018 §3).
    Sack(Vec<(u32, u32)>),
    /// Kind 8, length 10: TSval and TSecr (RFC 7323 §3).
    Timestamps { value: u32, echo_reply: u32 },
    /// Any other kind. RFC 9293 §3.1 (MUST-6) says to skip it, using its length.
    Unknown { kind: u8, data: Vec<u8> },
}
// ANCHOR_END: option

// ANCHOR: header
/// A decoded TCP header (RFC 9293 §3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpHeader {
    pub source_port: u16,
    pub destination_port: u16,
    pub sequence_number: u32,
    pub acknowledgment_number: u32,
    /// Header length in 32-bit words, 5 to 15.
    pub data_offset: u8,
    /// The 4 reserved bits between the data offset and the flags.
    pub reserved: u8,
    pub flags: Flags,
    pub window: u16,
    pub checksum: u16,
    pub urgent_pointer: u16,
    pub options: Vec<TcpOption>,
}

impl TcpHeader {
    /// Header length in bytes: the data offset times 4.
    pub fn header_len(&self) -> usize {
        usize::from(self.data_offset) * 4
    }
}
// ANCHOR_END: header

// ANCHOR: kinds
/// The option kinds this decoder knows (IANA "TCP Option Kind Numbers").
pub mod kind {
    pub const EOL: u8 = 0;
    pub const NOP: u8 = 1;
    pub const MSS: u8 = 2;
    pub const WINDOW_SCALE: u8 = 3;
    pub const SACK_PERMITTED: u8 = 4;
    pub const SACK: u8 = 5;
    pub const TIMESTAMPS: u8 = 8;
}

/// What the length octet of an option of some kind may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthRule {
    /// No length octet: the option is its kind octet alone (EOL, NOP).
    KindOnly,
    /// Exactly this many octets, kind and length included.
    Exactly(u8),
    /// 2 + 8n with n >= 1: a SACK option and its blocks of 8 octets.
    SackBlocks,
    /// Any length that covers the kind and length octets (a kind not known here).
    AtLeastTwo,
}

/// One row of [`OPTIONS`]: what the decoder, the encoder, the error messages
/// and the printed descriptions know about a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    pub kind: u8,
    pub length: LengthRule,
    /// The conventional name, as the chapter and the tool print it.
    pub name: &'static str,
    /// The short name the packet lab's tables and diagrams print.
    pub short: &'static str,
}

/// The one table of the option kinds this decoder knows.
pub const OPTIONS: [OptionSpec; 7] = [
    OptionSpec::new(kind::EOL, LengthRule::KindOnly, "EOL", "EOL"),
    OptionSpec::new(kind::NOP, LengthRule::KindOnly, "NOP", "NOP"),
    OptionSpec::new(kind::MSS, LengthRule::Exactly(4), "MSS", "MSS"),
    OptionSpec::new(
        kind::WINDOW_SCALE,
        LengthRule::Exactly(3),
        "window scale",
        "WS",
    ),
    OptionSpec::new(
        kind::SACK_PERMITTED,
        LengthRule::Exactly(2),
        "SACK-permitted",
        "SACK-perm",
    ),
    OptionSpec::new(kind::SACK, LengthRule::SackBlocks, "SACK", "SACK"),
    OptionSpec::new(
        kind::TIMESTAMPS,
        LengthRule::Exactly(10),
        "timestamps",
        "TS",
    ),
];

impl OptionSpec {
    const fn new(kind: u8, length: LengthRule, name: &'static str, short: &'static str) -> Self {
        OptionSpec {
            kind,
            length,
            name,
            short,
        }
    }

    /// The row of `kind`, or an "unknown" row that accepts any length.
    pub fn of(kind: u8) -> OptionSpec {
        OPTIONS
            .iter()
            .find(|spec| spec.kind == kind)
            .copied()
            .unwrap_or(OptionSpec::new(
                kind,
                LengthRule::AtLeastTwo,
                "unknown",
                "kind",
            ))
    }
}
// ANCHOR_END: kinds

impl LengthRule {
    /// Does a length octet of `length` obey the rule?
    pub fn allows(self, length: u8) -> bool {
        match self {
            LengthRule::KindOnly => false,
            LengthRule::Exactly(n) => length == n,
            LengthRule::SackBlocks => length >= 10 && (length - 2).is_multiple_of(8),
            LengthRule::AtLeastTwo => length >= 2,
        }
    }
}

impl std::fmt::Display for LengthRule {
    /// What the length must be, as the error messages say it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LengthRule::KindOnly => f.write_str("1, with no length octet"),
            LengthRule::Exactly(n) => write!(f, "{n}"),
            LengthRule::SackBlocks => f.write_str("2 + 8n with n >= 1 (10, 18, 26 or 34)"),
            LengthRule::AtLeastTwo => f.write_str("at least 2"),
        }
    }
}

/// The conventional name of an option kind, from [`OPTIONS`].
pub fn option_name(kind: u8) -> &'static str {
    OptionSpec::of(kind).name
}

// ANCHOR: error
/// Why a byte string is not a well-formed TCP header. Offsets count bytes
/// from the start of the header, so a reader can find them in a hex dump.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Fewer than the 20 bytes of the fixed header.
    #[error(
        "truncated header: the fixed part of a TCP header is {FIXED_HEADER_LEN} bytes, got {got}"
    )]
    Truncated { got: usize },
    /// A data offset below 5 words would end the header inside its fixed part.
    #[error("data offset {data_offset} is below the minimum of 5 words (20 bytes)")]
    DataOffsetTooSmall { data_offset: u8 },
    /// The data offset announces more header bytes than were given.
    #[error("the data offset says the header is {header_len} bytes, but only {got} were given")]
    HeaderBeyondInput { header_len: usize, got: usize },
    /// An option kind that needs a length octet is the last byte of the header.
    #[error("option kind {kind} at byte {offset} needs a length byte, but the header ends there")]
    OptionLengthMissing { offset: usize, kind: u8 },
    /// A length of 0 or 1 cannot even cover the kind and length octets.
    #[error(
        "option kind {kind} at byte {offset} has length {length}; \
         a length counts the kind and length bytes, so it is at least 2"
    )]
    OptionLengthTooSmall { offset: usize, kind: u8, length: u8 },
    /// The option's length runs past the end of the header.
    #[error(
        "option kind {kind} at byte {offset} has length {length}, \
         but only {left} bytes of header are left"
    )]
    OptionPastHeader {
        offset: usize,
        kind: u8,
        length: u8,
        left: usize,
    },
    /// The length does not fit the kind (for example an MSS option must be 4).
    #[error(
        "option {} (kind {kind}) at byte {offset} has length {length}; it must be {expected}",
        option_name(*.kind)
    )]
    OptionWrongLength {
        offset: usize,
        kind: u8,
        length: u8,
        expected: LengthRule,
    },
}
// ANCHOR_END: error

/// The big-endian `u16` at `b[at..at + 2]`.
pub fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

/// The big-endian `u32` at `b[at..at + 4]`.
pub fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

// ANCHOR: parse
impl TcpHeader {
    /// Parses the TCP header at the start of `segment` and returns it with
    /// the bytes that follow it (the payload).
    pub fn parse(segment: &[u8]) -> Result<(TcpHeader, &[u8]), DecodeError> {
        if segment.len() < FIXED_HEADER_LEN {
            return Err(DecodeError::Truncated { got: segment.len() });
        }
        let data_offset = segment[12] >> 4;
        if data_offset < 5 {
            return Err(DecodeError::DataOffsetTooSmall { data_offset });
        }
        let header_len = usize::from(data_offset) * 4;
        if header_len > segment.len() {
            return Err(DecodeError::HeaderBeyondInput {
                header_len,
                got: segment.len(),
            });
        }
        let header = TcpHeader {
            source_port: be16(segment, 0),
            destination_port: be16(segment, 2),
            sequence_number: be32(segment, 4),
            acknowledgment_number: be32(segment, 8),
            data_offset,
            reserved: segment[12] & 0x0f,
            flags: Flags(segment[13]),
            window: be16(segment, 14),
            checksum: be16(segment, 16),
            urgent_pointer: be16(segment, 18),
            options: parse_options(&segment[..header_len])?,
        };
        Ok((header, &segment[header_len..]))
    }
}

/// Parses the options area, bytes 20 up to the data offset of `header`.
fn parse_options(header: &[u8]) -> Result<Vec<TcpOption>, DecodeError> {
    let mut options = Vec::new();
    let mut at = FIXED_HEADER_LEN;
    // Every turn consumes at least one byte, so the loop ends.
    while at < header.len() {
        let kind = header[at];
        match kind {
            kind::EOL => {
                let padding = header[at + 1..].to_vec();
                options.push(TcpOption::EndOfOptionList { padding });
                break;
            }
            kind::NOP => {
                options.push(TcpOption::NoOperation);
                at += 1;
                continue;
            }
            _ => {}
        }
        let Some(&length) = header.get(at + 1) else {
            return Err(DecodeError::OptionLengthMissing { offset: at, kind });
        };
        if length < 2 {
            return Err(DecodeError::OptionLengthTooSmall {
                offset: at,
                kind,
                length,
            });
        }
        let expected = OptionSpec::of(kind).length;
        if !expected.allows(length) {
            return Err(DecodeError::OptionWrongLength {
                offset: at,
                kind,
                length,
                expected,
            });
        }
        let left = header.len() - at;
        if usize::from(length) > left {
            return Err(DecodeError::OptionPastHeader {
                offset: at,
                kind,
                length,
                left,
            });
        }
        let data = &header[at + 2..at + usize::from(length)];
        options.push(match kind {
            kind::MSS => TcpOption::MaximumSegmentSize(be16(data, 0)),
            kind::WINDOW_SCALE => TcpOption::WindowScale(data[0]),
            kind::SACK_PERMITTED => TcpOption::SackPermitted,
            kind::SACK => TcpOption::Sack(
                data.chunks_exact(8)
                    .map(|b| (be32(b, 0), be32(b, 4)))
                    .collect(),
            ),
            kind::TIMESTAMPS => TcpOption::Timestamps {
                value: be32(data, 0),
                echo_reply: be32(data, 4),
            },
            _ => TcpOption::Unknown {
                kind,
                data: data.to_vec(),
            },
        });
        at += usize::from(length);
    }
    Ok(options)
}
// ANCHOR_END: parse

impl TcpOption {
    /// The option's kind octet.
    pub fn kind(&self) -> u8 {
        match self {
            TcpOption::EndOfOptionList { .. } => kind::EOL,
            TcpOption::NoOperation => kind::NOP,
            TcpOption::MaximumSegmentSize(_) => kind::MSS,
            TcpOption::WindowScale(_) => kind::WINDOW_SCALE,
            TcpOption::SackPermitted => kind::SACK_PERMITTED,
            TcpOption::Sack(_) => kind::SACK,
            TcpOption::Timestamps { .. } => kind::TIMESTAMPS,
            TcpOption::Unknown { kind, .. } => *kind,
        }
    }

    /// Appends the option's bytes to `out`, the inverse of the parser: kind,
    /// length (for every kind but EOL and NOP), data. EOL is followed by its
    /// padding.
    pub fn write(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.push(self.kind());
        match self {
            TcpOption::EndOfOptionList { padding } => {
                out.extend(padding);
                return;
            }
            TcpOption::NoOperation => return,
            _ => out.push(0), // the length octet, filled in below
        }
        match self {
            TcpOption::MaximumSegmentSize(v) => out.extend(v.to_be_bytes()),
            TcpOption::WindowScale(v) => out.push(*v),
            TcpOption::Sack(blocks) => {
                for (left, right) in blocks {
                    out.extend(left.to_be_bytes());
                    out.extend(right.to_be_bytes());
                }
            }
            TcpOption::Timestamps { value, echo_reply } => {
                out.extend(value.to_be_bytes());
                out.extend(echo_reply.to_be_bytes());
            }
            TcpOption::Unknown { data, .. } => out.extend(data),
            _ => {}
        }
        out[start + 1] = u8::try_from(out.len() - start).expect("an option is at most 40 bytes");
    }

    /// How many bytes [`TcpOption::write`] appends.
    pub fn encoded_len(&self) -> usize {
        let mut bytes = Vec::new();
        self.write(&mut bytes);
        bytes.len()
    }
}

impl TcpHeader {
    /// The header's bytes, the inverse of [`TcpHeader::parse`]: the fields as
    /// they are (the data offset and checksum are not recomputed), then the
    /// options.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(self.header_len());
        b.extend(self.source_port.to_be_bytes());
        b.extend(self.destination_port.to_be_bytes());
        b.extend(self.sequence_number.to_be_bytes());
        b.extend(self.acknowledgment_number.to_be_bytes());
        b.push(self.data_offset << 4 | self.reserved);
        b.push(self.flags.0);
        b.extend(self.window.to_be_bytes());
        b.extend(self.checksum.to_be_bytes());
        b.extend(self.urgent_pointer.to_be_bytes());
        for option in &self.options {
            option.write(&mut b);
        }
        b
    }
}

/// Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4, RFC 1982).
pub mod seq {
    /// `a + n` in the sequence space.
    pub fn add(a: u32, n: u32) -> u32 {
        a.wrapping_add(n)
    }

    /// Is `a` before `b`? True when going forward from `a` to `b` takes
    /// fewer than 2^31 steps.
    pub fn lt(a: u32, b: u32) -> bool {
        (b.wrapping_sub(a) as i32) > 0
    }
}

/// The handshake relation between a SYN and the SYN-ACK that answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeCheck {
    /// The SYN-ACK's ports are the SYN's, swapped.
    pub ports_match: bool,
    /// SYN's sequence number + 1, modulo 2^32.
    pub expected_ack: u32,
    /// The SYN-ACK's acknowledgment number.
    pub actual_ack: u32,
    /// The third segment the SYN's sender answers with: (seq, ack).
    pub third_segment: (u32, u32),
}

impl HandshakeCheck {
    pub fn holds(&self) -> bool {
        self.ports_match && self.expected_ack == self.actual_ack
    }
}

/// Is `h` a SYN without ACK (the first segment of a handshake)?
pub fn is_syn(h: &TcpHeader) -> bool {
    h.flags.has(Flags::SYN) && !h.flags.has(Flags::ACK)
}

/// Is `h` a SYN-ACK (the second segment of a handshake)?
pub fn is_syn_ack(h: &TcpHeader) -> bool {
    h.flags.has(Flags::SYN) && h.flags.has(Flags::ACK)
}

// ANCHOR: handshake
/// Checks that `syn_ack` answers `syn` (RFC 9293 §3.5) and computes the third
/// segment: the SYN occupies one sequence number, so the SYN-ACK acknowledges
/// ISN + 1, and the final ACK does the same for the server's SYN.
pub fn check_handshake(syn: &TcpHeader, syn_ack: &TcpHeader) -> HandshakeCheck {
    HandshakeCheck {
        ports_match: syn.source_port == syn_ack.destination_port
            && syn.destination_port == syn_ack.source_port,
        expected_ack: seq::add(syn.sequence_number, 1),
        actual_ack: syn_ack.acknowledgment_number,
        third_segment: (
            syn_ack.acknowledgment_number,
            seq::add(syn_ack.sequence_number, 1),
        ),
    }
}
// ANCHOR_END: handshake
