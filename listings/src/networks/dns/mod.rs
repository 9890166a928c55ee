//! DNS messages on the wire (RFC 1035 §4.1): a hand-written decoder and
//! encoder with name compression, built to refuse hostile input.
//!
//! - [`Message::decode`] never panics and does work bounded by the length of
//!   its input: it rejects compression-pointer loops, forward pointers,
//!   pointers past the end, reserved label types, names over 255 octets,
//!   truncated records and leftover bytes with a [`DecodeError`].
//! - [`Message::encode`] compresses names (RFC 1035 §4.1.4);
//!   [`Message::encode_uncompressed`] does not.
//! - [`cli::run`] is the `dns_decode` example.

pub mod cli;
mod error;
mod message;
mod name;

pub use error::{DecodeError, EncodeError};
pub use message::{
    Class, Header, Message, Opcode, Question, RData, Rcode, Record, RecordType, Soa,
};
pub use name::{
    MAX_LABEL_LEN, MAX_NAME_LEN, MAX_POINTER_JUMPS, Name, Suffixes, read_name, write_name,
};

#[cfg(test)]
mod tests;
