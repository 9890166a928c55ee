//! The two ways a DNS message can be wrong: bytes that do not decode, and
//! values that cannot be encoded.

use std::fmt;

use super::RecordType;

/// Why a byte string is not a well-formed DNS message (RFC 1035 §4.1).
///
/// Every variant carries the byte offset where the problem was found, so a
/// reader can find it in a hex dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The message ends inside `what`, which started at `offset`.
    Truncated { what: &'static str, offset: usize },
    /// A length octet of 0x40..=0xBF: the label types 01 and 10 are reserved
    /// (RFC 1035 §4.1.4, RFC 6891 §5), so it is neither a label of at most 63
    /// octets nor a pointer.
    BadLabelType { offset: usize, byte: u8 },
    /// The name that starts at `offset` is longer than 255 octets (RFC 1035 §2.3.4).
    NameTooLong { offset: usize },
    /// A compression pointer at `offset` points past the end of the message.
    PointerOutOfBounds { offset: usize, target: usize },
    /// A compression pointer at `offset` points forward. RFC 1035 §4.1.4 says a
    /// pointer refers to a *prior* occurrence of a name; this decoder holds
    /// every pointer to that.
    ForwardPointer { offset: usize, target: usize },
    /// A compression pointer at `offset` points into the labels it is part of:
    /// following it would go round forever.
    PointerLoop { offset: usize, target: usize },
    /// A name that starts at `offset` follows more than
    /// [`MAX_POINTER_JUMPS`](super::MAX_POINTER_JUMPS) pointers.
    TooManyPointers { offset: usize },
    /// The RDATA at `offset` does not match what its type requires.
    BadRdata {
        offset: usize,
        rtype: RecordType,
        reason: &'static str,
    },
    /// Bytes are left after the last record the header announced.
    TrailingBytes { offset: usize, count: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated { what, offset } => {
                write!(
                    f,
                    "truncated: the message ends inside the {what} that starts at byte {offset}"
                )
            }
            DecodeError::BadLabelType { offset, byte } => write!(
                f,
                "byte {offset}: length octet 0x{byte:02x} is neither a label length (0x00-0x3f, at most 63) \
                 nor a pointer (0xc0-0xff); label types 01 and 10 are reserved"
            ),
            DecodeError::NameTooLong { offset } => {
                write!(f, "the name at byte {offset} is longer than 255 octets")
            }
            DecodeError::PointerOutOfBounds { offset, target } => {
                write!(
                    f,
                    "byte {offset}: compression pointer to byte {target}, past the end of the message"
                )
            }
            DecodeError::ForwardPointer { offset, target } => write!(
                f,
                "byte {offset}: compression pointer to byte {target}, which is ahead of it \
                 (a pointer must refer to a prior occurrence)"
            ),
            DecodeError::PointerLoop { offset, target } => write!(
                f,
                "byte {offset}: compression pointer to byte {target} loops back into the labels it belongs to"
            ),
            DecodeError::TooManyPointers { offset } => write!(
                f,
                "the name at byte {offset} follows more than {} compression pointers",
                super::MAX_POINTER_JUMPS
            ),
            DecodeError::BadRdata {
                offset,
                rtype,
                reason,
            } => {
                write!(f, "byte {offset}: bad {rtype} record data: {reason}")
            }
            DecodeError::TrailingBytes { offset, count } => {
                write!(
                    f,
                    "{count} byte(s) left over at byte {offset}, after the last record"
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why a [`Message`](super::Message) cannot be put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// A name has an empty label in the middle (`a..b`); only the root is empty.
    EmptyLabel,
    /// A label is longer than 63 octets (RFC 1035 §2.3.4).
    LabelTooLong { len: usize },
    /// A name is longer than 255 octets on the wire (RFC 1035 §2.3.4).
    NameTooLong { len: usize },
    /// A section holds more entries than its 16-bit count can say.
    TooManyEntries { section: &'static str, count: usize },
    /// The opcode or rcode does not fit in its 4-bit field.
    FieldTooWide { field: &'static str, value: u8 },
    /// A TXT string is longer than 255 octets (RFC 1035 §3.3).
    StringTooLong { len: usize },
    /// The RDATA is longer than its 16-bit RDLENGTH can say.
    RdataTooLong { len: usize },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::EmptyLabel => write!(f, "a name has an empty label"),
            EncodeError::LabelTooLong { len } => {
                write!(f, "a label of {len} octets is over the limit of 63")
            }
            EncodeError::NameTooLong { len } => {
                write!(f, "a name of {len} octets is over the limit of 255")
            }
            EncodeError::TooManyEntries { section, count } => {
                write!(
                    f,
                    "{count} entries in the {section} section do not fit a 16-bit count"
                )
            }
            EncodeError::FieldTooWide { field, value } => {
                write!(f, "{field} {value} does not fit in 4 bits")
            }
            EncodeError::StringTooLong { len } => {
                write!(
                    f,
                    "a character-string of {len} octets is over the limit of 255"
                )
            }
            EncodeError::RdataTooLong { len } => {
                write!(f, "{len} octets of RDATA do not fit RDLENGTH")
            }
        }
    }
}

impl std::error::Error for EncodeError {}
