//! The logic of `cargo run -p listings --example dns_decode`, as a library
//! function that tests can call.

use std::fmt::Write as _;
use std::io::Read;

use super::{DecodeError, Message};
use crate::hex::{HexError, parse_hex};

/// What can go wrong when decoding a message given as hex.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The text is not hex (the grammar of [`crate::hex`]).
    #[error(transparent)]
    Hex(#[from] HexError),
    /// No hex digits at all.
    #[error("no message: give hex digits as arguments or on standard input")]
    Empty,
    /// Standard input could not be read.
    #[error("cannot read standard input: {0}")]
    Io(#[source] std::io::Error),
    /// The bytes are not a well-formed DNS message.
    #[error("malformed DNS message: {0}")]
    Decode(#[source] DecodeError),
}

/// Runs `dns_decode`: the hex comes from `args` (joined, so spaces may split
/// it into several arguments), or from `stdin` when there are no arguments.
/// Returns the report to print.
pub fn run(args: &[String], stdin: &mut dyn Read) -> Result<String, CliError> {
    let text = if args.is_empty() {
        let mut text = String::new();
        stdin.read_to_string(&mut text).map_err(CliError::Io)?;
        text
    } else {
        args.join(" ")
    };
    let bytes = parse_hex(&text).map_err(CliError::Hex)?;
    if bytes.is_empty() {
        return Err(CliError::Empty);
    }
    let message = Message::decode(&bytes).map_err(CliError::Decode)?;
    let mut report = String::new();
    writeln!(report, "{} bytes", bytes.len()).expect("writing to a String cannot fail");
    write!(report, "{message}").expect("writing to a String cannot fail");
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUERY: &str =
        "1234 0100 0001 0000 0000 0000 03777777 076578616d706c65 0474657374 00 0001 0001";

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn hex_in_arguments_with_spaces_decodes() {
        let report = run(&args(QUERY), &mut std::io::empty()).unwrap();
        assert_eq!(
            report,
            "34 bytes\nid: 4660 (0x1234)\nflags: rd\nopcode: QUERY, rcode: NOERROR\n\
             counts: QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0\nquestion section:\n  www.example.test. IN A\n\
             answer section:\nauthority section:\nadditional section:\n"
        );
    }

    #[test]
    fn hex_on_stdin_with_newlines_decodes_the_same() {
        let stdin = QUERY.replace(' ', "\n  ");
        let from_stdin = run(&[], &mut stdin.as_bytes()).unwrap();
        assert_eq!(
            from_stdin,
            run(&[QUERY.to_owned()], &mut std::io::empty()).unwrap()
        );
    }

    #[test]
    fn bad_input_is_an_error_with_a_reason() {
        let err = |text: &str| run(&[], &mut text.as_bytes()).unwrap_err().to_string();
        assert_eq!(
            err(""),
            "no message: give hex digits as arguments or on standard input"
        );
        assert_eq!(
            err(" \n"),
            "no message: give hex digits as arguments or on standard input"
        );
        assert_eq!(
            err("12 3"),
            "bad hex: \"3\" at column 4 has an odd number of digits; a byte is two"
        );
        assert_eq!(err("0x12"), "bad hex: 'x' at column 2 is not a hex digit");
        assert_eq!(
            err("1234 0100 0001"),
            "malformed DNS message: truncated: the message ends inside the header that starts at byte 0"
        );
        assert!(matches!(
            run(&[], &mut "c0".as_bytes()),
            Err(CliError::Decode(DecodeError::Truncated { .. }))
        ));
    }

    #[test]
    fn unreadable_stdin_is_an_error() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("gone"))
            }
        }
        assert!(matches!(run(&[], &mut Broken), Err(CliError::Io(_))));
    }
}
