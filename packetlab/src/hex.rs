//! Hex text to bytes and bytes to hex text: the one hex module of the book.
//!
//! One grammar, used by both command-line tools (`tcp_header`, `dns_decode`),
//! the listings and the packet lab: white space (spaces, tabs, newlines)
//! separates groups of digits, and each group holds whole bytes, an even
//! number of digits. So `"c6 05 1f48"` is four bytes, and `"c6 0 5"` is an
//! error: the group `0` is half a byte. A digit lost while typing is caught
//! where it happened instead of shifting every later byte by half.
//!
//! It does no I/O and needs no operating system, so it can move with the
//! packet lab to its own crate (one that also compiles to WebAssembly).

use std::fmt::Write as _;

/// Where a bad character or group starts: line and column, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Place {
    /// `column 7` on a one-line input, `line 2, column 7` below the first line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 1 {
            write!(f, "column {}", self.column)
        } else {
            write!(f, "line {}, column {}", self.line, self.column)
        }
    }
}

/// Why a text is not hex.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    /// A character that is neither a hex digit nor white space.
    #[error("bad hex: {character:?} at {at} is not a hex digit")]
    NotHex { at: Place, character: char },
    /// A group of digits between white space with an odd count: half a byte.
    #[error("bad hex: {group:?} at {at} has an odd number of digits; a byte is two")]
    OddDigits { at: Place, group: String },
}

/// Parses hex such as `"c6 05 1f48"`: white space separates groups, and each
/// group holds whole bytes. Upper and lower case digits are both accepted; an
/// empty or all-blank text is no bytes.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, HexError> {
    let mut bytes = Vec::new();
    let mut group = String::new();
    let mut group_at = Place { line: 1, column: 1 };
    let mut here = Place { line: 1, column: 0 };
    // A trailing blank ends the last group.
    for c in text.chars().chain(std::iter::once(' ')) {
        here.column += 1;
        if c.is_whitespace() {
            if !group.len().is_multiple_of(2) {
                return Err(HexError::OddDigits {
                    at: group_at,
                    group,
                });
            }
            bytes.extend(group.as_bytes().chunks_exact(2).map(|pair| {
                let digit = |d: u8| (d as char).to_digit(16).expect("checked hex digit") as u8;
                digit(pair[0]) << 4 | digit(pair[1])
            }));
            group.clear();
            if c == '\n' {
                here = Place {
                    line: here.line + 1,
                    column: 0,
                };
            }
        } else if c.is_ascii_hexdigit() {
            if group.is_empty() {
                group_at = here;
            }
            group.push(c);
        } else {
            return Err(HexError::NotHex {
                at: here,
                character: c,
            });
        }
    }
    Ok(bytes)
}

/// `[0x45, 0x00, 0x1c]` → `"45 00 1c"`.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A dump with `width` bytes a line, each line indented by `indent`.
pub fn hex_lines(bytes: &[u8], width: usize, indent: &str) -> String {
    bytes
        .chunks(width.max(1))
        .map(|line| format!("{indent}{}", hex(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The classic dump, as `tcpdump -X` and `xxd` print it: per line of 16
/// bytes, the offset, the bytes in hex and the printable ASCII ones (`.` for
/// the others). Every line, the last included, ends with a newline.
pub fn dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let ascii: String = chunk
            .iter()
            .map(|&b| {
                if (0x20..0x7f).contains(&b) {
                    b as char
                } else {
                    '.'
                }
            })
            .collect();
        let _ = writeln!(out, "  {:04x}  {:<47}  {ascii}", i * 16, hex(chunk));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(line: usize, column: usize) -> Place {
        Place { line, column }
    }

    #[test]
    fn groups_of_whole_bytes_parse() {
        assert_eq!(
            parse_hex("  c6\t05  1f48 "),
            Ok(vec![0xc6, 0x05, 0x1f, 0x48])
        );
        assert_eq!(parse_hex("C605\n1F48\n"), Ok(vec![0xc6, 0x05, 0x1f, 0x48]));
        assert_eq!(parse_hex(""), Ok(vec![]));
        assert_eq!(parse_hex(" \n "), Ok(vec![]));
    }

    #[test]
    fn a_group_of_odd_length_is_half_a_byte() {
        // The same rule in both tools: `c6 0 5` is not `c6 05`.
        assert_eq!(
            parse_hex("c6 0 5"),
            Err(HexError::OddDigits {
                at: at(1, 4),
                group: "0".into()
            })
        );
        assert_eq!(
            parse_hex("c6 051 f4"),
            Err(HexError::OddDigits {
                at: at(1, 4),
                group: "051".into()
            })
        );
        assert_eq!(
            parse_hex("4"),
            Err(HexError::OddDigits {
                at: at(1, 1),
                group: "4".into()
            })
        );
    }

    #[test]
    fn a_character_that_is_not_hex_is_named_with_its_place() {
        assert_eq!(
            parse_hex("c6 0g"),
            Err(HexError::NotHex {
                at: at(1, 5),
                character: 'g'
            })
        );
        assert_eq!(
            parse_hex("0x12"),
            Err(HexError::NotHex {
                at: at(1, 2),
                character: 'x'
            })
        );
        assert_eq!(
            parse_hex("1234\n56 z7"),
            Err(HexError::NotHex {
                at: at(2, 4),
                character: 'z'
            })
        );
        // A non-ASCII character is one column, whatever its UTF-8 length.
        assert_eq!(
            parse_hex("é1"),
            Err(HexError::NotHex {
                at: at(1, 1),
                character: 'é'
            })
        );
    }

    #[test]
    fn errors_read_as_the_chapters_show_them() {
        assert_eq!(
            parse_hex("c6 05 zz").unwrap_err().to_string(),
            "bad hex: 'z' at column 7 is not a hex digit"
        );
        assert_eq!(
            parse_hex("12\n3").unwrap_err().to_string(),
            "bad hex: \"3\" at line 2, column 1 has an odd number of digits; a byte is two"
        );
    }

    #[test]
    fn dumps() {
        let bytes = [0x45, 0x00, 0xff, 0x01];
        assert_eq!(hex(&bytes), "45 00 ff 01");
        assert_eq!(hex(&[]), "");
        assert_eq!(hex_lines(&bytes, 2, "  "), "  45 00\n  ff 01");
        let text = b"GET / HTTP/1.1\r\nHost: x\r\n";
        assert_eq!(
            dump(text),
            "  0000  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..\n  \
             0010  48 6f 73 74 3a 20 78 0d 0a                       Host: x..\n"
        );
        assert_eq!(dump(&[]), "");
    }

    proptest! {
        #[test]
        fn parse_hex_never_panics(text in "\\PC*") {
            let _ = parse_hex(&text);
        }

        #[test]
        fn hex_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(parse_hex(&hex(&bytes)).unwrap(), bytes.clone());
            let joined = hex(&bytes).replace(' ', "").to_uppercase();
            prop_assert_eq!(parse_hex(&joined).unwrap(), bytes);
        }
    }
}
