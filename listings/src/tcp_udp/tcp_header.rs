//! A TCP header decoder, written by hand for teaching.
//!
//! It follows RFC 9293 §3.1 (the header) and §3.2 (EOL, NOP, MSS), RFC 7323
//! (window scale, timestamps) and RFC 2018 (SACK-permitted, SACK). The tests
//! cross-check it against the `etherparse` crate, and property tests feed it
//! arbitrary bytes: malformed input gives a [`DecodeError`] or a [`HexError`],
//! never a panic.
//!
//! [`cli`] holds the logic of `cargo run -q -p listings --example tcp_header`.

use std::fmt;

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

// ANCHOR: error
/// Why a byte string is not a well-formed TCP header. Offsets count bytes
/// from the start of the header, so a reader can find them in a hex dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer than the 20 bytes of the fixed header.
    Truncated { got: usize },
    /// A data offset below 5 words would end the header inside its fixed part.
    DataOffsetTooSmall { data_offset: u8 },
    /// The data offset announces more header bytes than were given.
    HeaderBeyondInput { header_len: usize, got: usize },
    /// An option kind that needs a length octet is the last byte of the header.
    OptionLengthMissing { offset: usize, kind: u8 },
    /// A length of 0 or 1 cannot even cover the kind and length octets.
    OptionLengthTooSmall { offset: usize, kind: u8, length: u8 },
    /// The option's length runs past the end of the header.
    OptionPastHeader {
        offset: usize,
        kind: u8,
        length: u8,
        left: usize,
    },
    /// The length does not fit the kind (for example an MSS option must be 4).
    OptionWrongLength {
        offset: usize,
        kind: u8,
        length: u8,
        expected: &'static str,
    },
}
// ANCHOR_END: error

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DecodeError::Truncated { got } => write!(
                f,
                "truncated header: the fixed part of a TCP header is {FIXED_HEADER_LEN} bytes, got {got}"
            ),
            DecodeError::DataOffsetTooSmall { data_offset } => write!(
                f,
                "data offset {data_offset} is below the minimum of 5 words (20 bytes)"
            ),
            DecodeError::HeaderBeyondInput { header_len, got } => write!(
                f,
                "the data offset says the header is {header_len} bytes, but only {got} were given"
            ),
            DecodeError::OptionLengthMissing { offset, kind } => write!(
                f,
                "option kind {kind} at byte {offset} needs a length byte, but the header ends there"
            ),
            DecodeError::OptionLengthTooSmall {
                offset,
                kind,
                length,
            } => write!(
                f,
                "option kind {kind} at byte {offset} has length {length}; \
                 a length counts the kind and length bytes, so it is at least 2"
            ),
            DecodeError::OptionPastHeader {
                offset,
                kind,
                length,
                left,
            } => write!(
                f,
                "option kind {kind} at byte {offset} has length {length}, \
                 but only {left} bytes of header are left"
            ),
            DecodeError::OptionWrongLength {
                offset,
                kind,
                length,
                expected,
            } => write!(
                f,
                "option {} (kind {kind}) at byte {offset} has length {length}; it must be {expected}",
                option_name(kind)
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// The conventional name of an option kind.
pub fn option_name(kind: u8) -> &'static str {
    match kind {
        0 => "EOL",
        1 => "NOP",
        2 => "MSS",
        3 => "window scale",
        4 => "SACK-permitted",
        5 => "SACK",
        8 => "timestamps",
        _ => "unknown",
    }
}

/// Checks the length of an option whose kind fixes it (RFC 9293 §3.2,
/// RFC 7323, RFC 2018); on a mismatch, says what it must be.
pub fn check_option_length(kind: u8, length: u8) -> Result<(), &'static str> {
    let ok = match kind {
        2 => length == 4,
        3 => length == 3,
        4 => length == 2,
        5 => length >= 10 && (length - 2).is_multiple_of(8),
        8 => length == 10,
        _ => return Ok(()),
    };
    if ok {
        return Ok(());
    }
    Err(match kind {
        2 => "4",
        3 => "3",
        4 => "2",
        5 => "2 + 8n with n >= 1 (10, 18, 26 or 34)",
        _ => "10",
    })
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

// ANCHOR: decode
/// Decodes the TCP header at the start of `segment` and returns it with the
/// bytes that follow it (the payload).
pub fn decode(segment: &[u8]) -> Result<(TcpHeader, &[u8]), DecodeError> {
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
        options: decode_options(&segment[..header_len])?,
    };
    Ok((header, &segment[header_len..]))
}
// ANCHOR_END: decode

// ANCHOR: options
/// Decodes the options area, bytes 20 up to the data offset of `header`.
fn decode_options(header: &[u8]) -> Result<Vec<TcpOption>, DecodeError> {
    let mut options = Vec::new();
    let mut at = FIXED_HEADER_LEN;
    // Every turn consumes at least one byte, so the loop ends.
    while at < header.len() {
        let kind = header[at];
        match kind {
            0 => {
                let padding = header[at + 1..].to_vec();
                options.push(TcpOption::EndOfOptionList { padding });
                break;
            }
            1 => {
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
        if let Err(expected) = check_option_length(kind, length) {
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
            2 => TcpOption::MaximumSegmentSize(be16(data, 0)),
            3 => TcpOption::WindowScale(data[0]),
            4 => TcpOption::SackPermitted,
            5 => TcpOption::Sack(
                data.chunks_exact(8)
                    .map(|b| (be32(b, 0), be32(b, 4)))
                    .collect(),
            ),
            8 => TcpOption::Timestamps {
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
// ANCHOR_END: options

/// Why a line of text is not a hex dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HexError {
    /// A character that is neither a hex digit nor white space.
    NotHex { column: usize, character: char },
    /// A group of digits between spaces with an odd count: half a byte.
    OddDigits { column: usize, group: String },
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HexError::NotHex { column, character } => {
                write!(
                    f,
                    "bad hex: {character:?} at column {column} is not a hex digit"
                )
            }
            HexError::OddDigits { column, group } => write!(
                f,
                "bad hex: {group:?} at column {column} has an odd number of digits; a byte is two"
            ),
        }
    }
}

impl std::error::Error for HexError {}

/// Parses hex such as `"c6 05 1f48"`: white space may separate groups, and
/// each group holds whole bytes (an even number of digits).
pub fn parse_hex(text: &str) -> Result<Vec<u8>, HexError> {
    let mut bytes = Vec::new();
    let mut group = String::new();
    let mut group_column = 0;
    let chars = text.chars().chain(std::iter::once(' '));
    for (index, c) in chars.enumerate() {
        let column = index + 1;
        if c.is_whitespace() {
            if !group.len().is_multiple_of(2) {
                return Err(HexError::OddDigits {
                    column: group_column,
                    group,
                });
            }
            for pair in group.as_bytes().chunks_exact(2) {
                let digits = std::str::from_utf8(pair).expect("hex digits are ASCII");
                bytes.push(u8::from_str_radix(digits, 16).expect("two hex digits"));
            }
            group.clear();
        } else if c.is_ascii_hexdigit() {
            if group.is_empty() {
                group_column = column;
            }
            group.push(c);
        } else {
            return Err(HexError::NotHex {
                column,
                character: c,
            });
        }
    }
    Ok(bytes)
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

fn describe_option(option: &TcpOption) -> String {
    match option {
        TcpOption::EndOfOptionList { padding } => {
            let zero = if padding.iter().all(|&b| b == 0) {
                "all zero"
            } else {
                "NOT all zero, against RFC 9293 MUST-69"
            };
            format!(
                "EOL (kind 0): end of list, {} bytes of padding follow, {zero}",
                padding.len()
            )
        }
        TcpOption::NoOperation => "NOP (kind 1): padding".to_owned(),
        TcpOption::MaximumSegmentSize(mss) => {
            format!("MSS (kind 2, length 4): {mss} bytes (0x{mss:04x})")
        }
        TcpOption::WindowScale(shift) if *shift > 14 => format!(
            "window scale (kind 3, length 3): shift {shift}, above the maximum 14, \
             so it is used as 14 (RFC 7323 §2.3)"
        ),
        TcpOption::WindowScale(shift) => format!(
            "window scale (kind 3, length 3): shift {shift}, windows are multiplied by 2^{shift} = {}",
            1u32 << shift
        ),
        TcpOption::SackPermitted => "SACK-permitted (kind 4, length 2)".to_owned(),
        TcpOption::Sack(blocks) => {
            let list: Vec<String> = blocks.iter().map(|(l, r)| format!("{l}..{r}")).collect();
            format!(
                "SACK (kind 5, length {}): {} block(s) {}",
                2 + 8 * blocks.len(),
                blocks.len(),
                list.join(" ")
            )
        }
        TcpOption::Timestamps { value, echo_reply } => format!(
            "timestamps (kind 8, length 10): TSval {value} (0x{value:08x}), TSecr {echo_reply} (0x{echo_reply:08x})"
        ),
        TcpOption::Unknown { kind, data } => {
            let hex: Vec<String> = data.iter().map(|b| format!("{b:02x}")).collect();
            format!(
                "unknown kind {kind} (length {}): data {}",
                data.len() + 2,
                hex.join(" ")
            )
        }
    }
}

// ANCHOR: describe
/// One field per line, numbers in decimal with hex where it helps.
pub fn describe(h: &TcpHeader, payload_len: usize) -> String {
    let mut out = String::new();
    let mut line = |name: &str, value: String| out.push_str(&format!("{name:<24}{value}\n"));
    line(
        "source port",
        format!("{} (0x{:04x})", h.source_port, h.source_port),
    );
    line(
        "destination port",
        format!("{} (0x{:04x})", h.destination_port, h.destination_port),
    );
    line(
        "sequence number",
        format!("{} (0x{:08x})", h.sequence_number, h.sequence_number),
    );
    let ack_note = if h.flags.has(Flags::ACK) {
        ""
    } else {
        ", ignored: ACK is not set"
    };
    line(
        "acknowledgment number",
        format!(
            "{} (0x{:08x}){ack_note}",
            h.acknowledgment_number, h.acknowledgment_number
        ),
    );
    line(
        "data offset",
        format!(
            "{} words = {} bytes ({} fixed + {} of options)",
            h.data_offset,
            h.header_len(),
            FIXED_HEADER_LEN,
            h.header_len() - FIXED_HEADER_LEN
        ),
    );
    line("reserved", format!("{:04b}", h.reserved));
    line(
        "flags",
        format!("0x{:02x} = {}", h.flags.0, h.flags.names()),
    );
    for (name, bit) in Flags::ALL {
        line(&format!("  {name}"), u8::from(h.flags.has(bit)).to_string());
    }
    line("window", format!("{} (0x{:04x})", h.window, h.window));
    line(
        "checksum",
        format!(
            "0x{:04x}, not verified: it covers the IP pseudo-header",
            h.checksum
        ),
    );
    let urg_note = if h.flags.has(Flags::URG) {
        ""
    } else {
        ", ignored: URG is not set"
    };
    line("urgent pointer", format!("{}{urg_note}", h.urgent_pointer));
    line(
        "options",
        format!("{} bytes", h.header_len() - FIXED_HEADER_LEN),
    );
    for option in &h.options {
        line("", describe_option(option));
    }
    line("payload", format!("{payload_len} bytes"));
    out
}
// ANCHOR_END: describe

/// The command-line tool `cargo run -q -p listings --example tcp_header`.
///
/// - Arguments, joined with spaces, are one header in hex:
///   `-- c6 05 1f 48 ...` and `-- c6051f48...` are the same.
/// - With no arguments, standard input is read to its end when it is not a
///   terminal: one header per line; blank lines and lines starting with `#`
///   are skipped.
/// - "No input" means no arguments and either a terminal on standard input or
///   an input with no header in it (empty, blank lines, comments). The tool
///   then decodes the note's two headers ([`NOTE_SYN`], [`NOTE_SYN_ACK`]).
///
/// Whenever a SYN is followed by a SYN-ACK on the same ports, the tool checks
/// the handshake relation between them. Every malformed line is reported on
/// standard error with its line number, the other lines are still decoded, and
/// the exit code is 1.
pub mod cli {
    use super::{NOTE_SYN, NOTE_SYN_ACK, TcpHeader};
    use super::{check_handshake, decode, describe, is_syn, is_syn_ack, parse_hex};

    pub const USAGE: &str = "\
usage: tcp_header [HEX...]
  Decodes TCP headers given in hex (spaces allowed).
  HEX...      one header; the arguments are joined with spaces
  no HEX      read standard input, one header per line ('#' starts a comment)
  no input    (a terminal, or nothing but blank lines) decode the note's SYN and SYN-ACK
";

    /// What the tool prints and how it exits.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Outcome {
        pub stdout: String,
        pub stderr: String,
        pub exit_code: u8,
    }

    impl Outcome {
        /// Prints the outcome and returns the exit status, for a `main`.
        pub fn emit(self) -> std::process::ExitCode {
            print!("{}", self.stdout);
            eprint!("{}", self.stderr);
            std::process::ExitCode::from(self.exit_code)
        }
    }

    /// Where the headers come from.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Input {
        /// Headers in hex, each with a label for messages (`"line 3"`).
        Headers(Vec<(String, String)>),
        /// No input: decode the note's two headers.
        NoteDemo,
        /// `--help`.
        Help,
        /// An option the tool does not know.
        BadFlag(String),
    }

    /// Decides what to decode. `read_stdin` is only called when there are no
    /// arguments and standard input is not a terminal.
    pub fn choose_input(
        args: &[String],
        stdin_is_terminal: bool,
        read_stdin: impl FnOnce() -> std::io::Result<String>,
    ) -> std::io::Result<Input> {
        if let Some(first) = args.first() {
            if first == "-h" || first == "--help" {
                return Ok(Input::Help);
            }
            if first.starts_with('-') {
                return Ok(Input::BadFlag(first.clone()));
            }
            return Ok(Input::Headers(vec![(
                "arguments".to_owned(),
                args.join(" "),
            )]));
        }
        if stdin_is_terminal {
            return Ok(Input::NoteDemo);
        }
        let text = read_stdin()?;
        let headers: Vec<(String, String)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (format!("line {}", i + 1), l.trim().to_owned()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .collect();
        Ok(if headers.is_empty() {
            Input::NoteDemo
        } else {
            Input::Headers(headers)
        })
    }

    /// The note's two headers, labelled.
    pub fn note_headers() -> Vec<(String, String)> {
        vec![
            ("the note's SYN".to_owned(), NOTE_SYN.to_owned()),
            ("the note's SYN-ACK".to_owned(), NOTE_SYN_ACK.to_owned()),
        ]
    }

    /// Runs the tool on the chosen input.
    pub fn run(input: Input) -> Outcome {
        match input {
            Input::Help => Outcome {
                stdout: USAGE.to_owned(),
                stderr: String::new(),
                exit_code: 0,
            },
            Input::BadFlag(flag) => Outcome {
                stdout: String::new(),
                stderr: format!("error: unknown option {flag:?}\n{USAGE}"),
                exit_code: 2,
            },
            Input::NoteDemo => {
                let mut outcome = decode_all(&note_headers());
                outcome
                    .stdout
                    .insert_str(0, "no input: decoding the note's SYN and SYN-ACK\n\n");
                outcome
            }
            Input::Headers(headers) => decode_all(&headers),
        }
    }

    // ANCHOR: decode_all
    /// Decodes each header, then checks every SYN that a SYN-ACK follows.
    pub fn decode_all(headers: &[(String, String)]) -> Outcome {
        let (mut stdout, mut stderr) = (String::new(), String::new());
        let mut previous: Option<(&str, TcpHeader)> = None;
        for (label, text) in headers {
            let decoded = parse_hex(text)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    decode(&bytes)
                        .map(|(h, payload)| (h, payload.len()))
                        .map_err(|e| e.to_string())
                });
            let (header, payload_len) = match decoded {
                Ok(ok) => ok,
                Err(message) => {
                    stderr.push_str(&format!("{label}: error: {message}\n"));
                    previous = None;
                    continue;
                }
            };
            if !stdout.is_empty() {
                stdout.push('\n');
            }
            stdout.push_str(&format!(
                "{label}: TCP header, {} bytes\n",
                header.header_len()
            ));
            stdout.push_str(&describe(&header, payload_len));
            if let Some((syn_label, syn)) = &previous
                && is_syn(syn)
                && is_syn_ack(&header)
            {
                stdout.push_str(&describe_check(syn_label, syn, label, &header));
            }
            previous = Some((label, header));
        }
        let exit_code = if stderr.is_empty() { 0 } else { 1 };
        Outcome {
            stdout,
            stderr,
            exit_code,
        }
    }
    // ANCHOR_END: decode_all

    fn describe_check(
        syn_label: &str,
        syn: &TcpHeader,
        label: &str,
        syn_ack: &TcpHeader,
    ) -> String {
        let check = check_handshake(syn, syn_ack);
        let (seq, ack) = check.third_segment;
        let mut out = format!("\nhandshake check ({syn_label}, then {label}):\n");
        let mut line = |name: &str, value: String| out.push_str(&format!("  {name:<22}{value}\n"));
        let ports = if check.ports_match { "yes" } else { "NO" };
        line("ports swapped", ports.to_owned());
        line(
            "SYN seq + 1",
            format!(
                "{} + 1 = {} (0x{:08x}), modulo 2^32",
                syn.sequence_number, check.expected_ack, check.expected_ack
            ),
        );
        let verdict = if check.expected_ack == check.actual_ack {
            "matches"
        } else {
            "does NOT match"
        };
        line(
            "SYN-ACK ack",
            format!(
                "{} (0x{:08x}): {verdict}",
                check.actual_ack, check.actual_ack
            ),
        );
        line(
            "third segment (ACK)",
            format!("seq {seq} (0x{seq:08x}), ack {ack} (0x{ack:08x})"),
        );
        out
    }
}

#[cfg(test)]
mod tests;
