//! SLIP framing (RFC 1055): IP datagrams over a serial line.
//!
//! A frame ends with `END`. `END` and `ESC` bytes inside the datagram are
//! replaced by two-byte escape sequences, so `END` can only mean "end".

use super::error::ParseError;

pub const END: u8 = 0xc0;
pub const ESC: u8 = 0xdb;
pub const ESC_END: u8 = 0xdc;
pub const ESC_ESC: u8 = 0xdd;

/// Frames one datagram. Like RFC 1055's sample code, it also sends `END`
/// first, which flushes any line noise the receiver has collected.
pub fn encode(datagram: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(datagram.len() + 2);
    out.push(END);
    for &b in datagram {
        match b {
            END => out.extend_from_slice(&[ESC, ESC_END]),
            ESC => out.extend_from_slice(&[ESC, ESC_ESC]),
            other => out.push(other),
        }
    }
    out.push(END);
    out
}

/// A receiver that is fed the line byte by byte. `max_len` bounds the memory a
/// garbled line can make it use (RFC 1055 suggests 1006-byte datagrams).
#[derive(Debug)]
pub struct Decoder {
    buf: Vec<u8>,
    escaped: bool,
    error: Option<ParseError>,
    max_len: usize,
}

impl Decoder {
    pub fn new(max_len: usize) -> Decoder {
        Decoder {
            buf: Vec::new(),
            escaped: false,
            error: None,
            max_len,
        }
    }

    /// Feeds one byte; at an `END` that closes a non-empty frame, returns the
    /// datagram, or the first error seen in it. Empty frames are skipped.
    pub fn push(&mut self, byte: u8) -> Option<Result<Vec<u8>, ParseError>> {
        if byte == END {
            let had_escape_pending = std::mem::take(&mut self.escaped);
            let datagram = std::mem::take(&mut self.buf);
            if let Some(e) = self.error.take() {
                return Some(Err(e));
            }
            if had_escape_pending {
                return Some(Err(ParseError::Truncated {
                    layer: "SLIP",
                    needed: datagram.len() + 1,
                    got: datagram.len(),
                }));
            }
            return (!datagram.is_empty()).then_some(Ok(datagram));
        }
        if self.error.is_some() {
            return None; // discard the rest of a bad frame
        }
        let decoded = if std::mem::take(&mut self.escaped) {
            match byte {
                ESC_END => END,
                ESC_ESC => ESC,
                other => {
                    self.error = Some(ParseError::Unsupported {
                        layer: "SLIP",
                        field: "byte after ESC",
                        value: other.into(),
                    });
                    return None;
                }
            }
        } else if byte == ESC {
            self.escaped = true;
            return None;
        } else {
            byte
        };
        if self.buf.len() == self.max_len {
            self.error = Some(ParseError::Truncated {
                layer: "SLIP (frame longer than the limit)",
                needed: self.max_len + 1,
                got: self.max_len,
            });
            return None;
        }
        self.buf.push(decoded);
        None
    }
}

/// Decodes every complete frame in `line`.
pub fn decode_all(line: &[u8], max_len: usize) -> Vec<Result<Vec<u8>, ParseError>> {
    let mut d = Decoder::new(max_len);
    line.iter().filter_map(|&b| d.push(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes() {
        assert_eq!(
            encode(&[1, END, 2, ESC, 3]),
            [END, 1, ESC, ESC_END, 2, ESC, ESC_ESC, 3, END]
        );
    }

    #[test]
    fn bad_input_is_an_error_and_the_next_frame_survives() {
        let line = [ESC, 0x41, 1, END, 7, 8, END, 9, ESC, END];
        let got = decode_all(&line, 1006);
        assert!(matches!(
            got[0],
            Err(ParseError::Unsupported { value: 0x41, .. })
        ));
        assert_eq!(got[1], Ok(vec![7, 8]));
        assert!(matches!(got[2], Err(ParseError::Truncated { .. })));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn length_is_bounded() {
        let got = decode_all(&encode(&[5; 11]), 10);
        assert!(matches!(got[..], [Err(ParseError::Truncated { .. })]));
    }

    proptest! {
        #[test]
        fn round_trip(datagram in proptest::collection::vec(any::<u8>(), 1..300)) {
            prop_assert_eq!(decode_all(&encode(&datagram), 1006), vec![Ok(datagram)]);
        }

        #[test]
        fn back_to_back_round_trip(frames in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..50), 0..8)) {
            let line: Vec<u8> = frames.iter().flat_map(|f| encode(f)).collect();
            let decoded: Vec<Vec<u8>> = decode_all(&line, 1006).into_iter().map(|r| r.unwrap()).collect();
            prop_assert_eq!(decoded, frames);
        }

        #[test]
        fn encoded_body_never_holds_end(datagram in proptest::collection::vec(any::<u8>(), 0..300)) {
            let e = encode(&datagram);
            prop_assert!(!e[1..e.len() - 1].contains(&END));
        }

        #[test]
        fn arbitrary_lines_never_panic(line in proptest::collection::vec(any::<u8>(), 0..400)) {
            for d in decode_all(&line, 64).into_iter().flatten() {
                prop_assert!(!d.is_empty() && d.len() <= 64);
            }
        }
    }
}
