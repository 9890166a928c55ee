//! The two ways a DNS message can be wrong: bytes that do not decode, and
//! values that cannot be encoded.

use super::RecordType;

/// Why a byte string is not a well-formed DNS message (RFC 1035 §4.1).
///
/// Every variant carries the byte offset where the problem was found, so a
/// reader can find it in a hex dump.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The message ends inside `what`, which started at `offset`.
    #[error("truncated: the message ends inside the {what} that starts at byte {offset}")]
    Truncated { what: &'static str, offset: usize },
    /// A length octet of 0x40..=0xBF: the label types 01 and 10 are reserved
    /// (RFC 1035 §4.1.4, RFC 6891 §5), so it is neither a label of at most 63
    /// octets nor a pointer.
    #[error(
        "byte {offset}: length octet 0x{byte:02x} is neither a label length (0x00-0x3f, at most 63) \
         nor a pointer (0xc0-0xff); label types 01 and 10 are reserved"
    )]
    BadLabelType { offset: usize, byte: u8 },
    /// The name that starts at `offset` is longer than 255 octets (RFC 1035 §2.3.4).
    #[error("the name at byte {offset} is longer than 255 octets")]
    NameTooLong { offset: usize },
    /// A compression pointer at `offset` points past the end of the message.
    #[error("byte {offset}: compression pointer to byte {target}, past the end of the message")]
    PointerOutOfBounds { offset: usize, target: usize },
    /// A compression pointer at `offset` points forward. RFC 1035 §4.1.4 says a
    /// pointer refers to a *prior* occurrence of a name; this decoder holds
    /// every pointer to that.
    #[error(
        "byte {offset}: compression pointer to byte {target}, which is ahead of it \
         (a pointer must refer to a prior occurrence)"
    )]
    ForwardPointer { offset: usize, target: usize },
    /// A compression pointer at `offset` points into the labels it is part of:
    /// following it would go round forever.
    #[error(
        "byte {offset}: compression pointer to byte {target} loops back into the labels it belongs to"
    )]
    PointerLoop { offset: usize, target: usize },
    /// A compression pointer at `offset` leads to labels that run into the
    /// labels the pointer belongs to: they are not a *prior* occurrence of a
    /// name (RFC 1035 §4.1.4), and the name that starts at `target` would
    /// overlap the one being read.
    #[error(
        "byte {offset}: compression pointer to byte {target} leads to labels that run into \
         the ones it belongs to (a pointer must refer to a prior occurrence)"
    )]
    PointerOverlap { offset: usize, target: usize },
    /// A name that starts at `offset` follows more than
    /// [`MAX_POINTER_JUMPS`](super::MAX_POINTER_JUMPS) pointers.
    #[error("the name at byte {offset} follows more than {max} compression pointers", max = super::MAX_POINTER_JUMPS)]
    TooManyPointers { offset: usize },
    /// The RDATA at `offset` does not match what its type requires.
    #[error("byte {offset}: bad {rtype} record data: {reason}")]
    BadRdata {
        offset: usize,
        rtype: RecordType,
        reason: &'static str,
    },
    /// Bytes are left after the last record the header announced.
    #[error("{count} byte(s) left over at byte {offset}, after the last record")]
    TrailingBytes { offset: usize, count: usize },
}

/// Why a [`Message`](super::Message) cannot be put on the wire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A name has an empty label in the middle (`a..b`); only the root is empty.
    #[error("a name has an empty label")]
    EmptyLabel,
    /// A label is longer than 63 octets (RFC 1035 §2.3.4).
    #[error("a label of {len} octets is over the limit of 63")]
    LabelTooLong { len: usize },
    /// A name is longer than 255 octets on the wire (RFC 1035 §2.3.4).
    #[error("a name of {len} octets is over the limit of 255")]
    NameTooLong { len: usize },
    /// A section holds more entries than its 16-bit count can say.
    #[error("{count} entries in the {section} section do not fit a 16-bit count")]
    TooManyEntries { section: &'static str, count: usize },
    /// The opcode or rcode does not fit in its 4-bit field.
    #[error("{field} {value} does not fit in 4 bits")]
    FieldTooWide { field: &'static str, value: u8 },
    /// A character-string is longer than 255 octets (RFC 1035 §3.3).
    #[error("a character-string of {len} octets is over the limit of 255")]
    StringTooLong { len: usize },
    /// A TXT record holds no character-string: RFC 1035 §3.3.14 asks for one or more.
    #[error("a TXT record needs at least one character-string")]
    EmptyTxt,
    /// The RDATA is longer than its 16-bit RDLENGTH can say.
    #[error("{len} octets of RDATA do not fit RDLENGTH")]
    RdataTooLong { len: usize },
}
