// Exercise: SLIP framing (RFC 1055) of a byte stream that arrives in pieces
// of any size, as reads from a serial line or a socket do.

use listings::networks::slip::{END, ESC, ESC_END, ESC_ESC, encode};

// ANCHOR: solution
/// A SLIP receiver that is fed the line a chunk at a time.
#[derive(Default)]
pub struct SlipReader {
    // ANCHOR: hide
    frame: Vec<u8>,
    /// The last byte seen was ESC: the next one says which byte it stands for.
    escaped: bool,
    // ANCHOR_END: hide
}

impl SlipReader {
    /// Feeds one chunk; returns the datagrams it completed, in order. An
    /// escape sequence may be split across two chunks. Empty frames (two ENDs
    /// in a row) are skipped. After ESC, a byte other than ESC_END or ESC_ESC
    /// is kept as it is, as RFC 1055's sample receiver does.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Vec<u8>> {
        // ANCHOR: todo
        let mut done = Vec::new();
        for &byte in chunk {
            if std::mem::take(&mut self.escaped) {
                self.frame.push(match byte {
                    ESC_END => END,
                    ESC_ESC => ESC,
                    other => other,
                });
                continue;
            }
            match byte {
                END if self.frame.is_empty() => {}
                END => done.push(std::mem::take(&mut self.frame)),
                ESC => self.escaped = true,
                other => self.frame.push(other),
            }
        }
        done
        // ANCHOR_END: todo
    }
}
// ANCHOR_END: solution

fn main() {
    let line: Vec<u8> = [&b"hi"[..], &[END, ESC], b"!"]
        .iter()
        .flat_map(|d| encode(d))
        .collect();
    println!("on the line: {line:02x?}");
    let mut reader = SlipReader::default();
    for piece in line.chunks(3) {
        println!("{piece:02x?} -> {:02x?}", reader.feed(piece));
    }
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    /// Datagrams full of the two special bytes, and one that is only those.
    fn datagrams() -> Vec<Vec<u8>> {
        vec![
            b"plain".to_vec(),
            vec![END, ESC, ESC_END, ESC_ESC, 0x45],
            vec![ESC],
            vec![END],
            vec![0x00, END, END, 0xff, ESC],
        ]
    }

    fn line() -> Vec<u8> {
        datagrams().iter().flat_map(|d| encode(d)).collect()
    }

    #[test]
    fn one_chunk() {
        assert_eq!(SlipReader::default().feed(&line()), datagrams());
    }

    #[test]
    fn every_split_point() {
        let line = line();
        for cut in 0..=line.len() {
            let mut reader = SlipReader::default();
            let mut got = reader.feed(&line[..cut]);
            got.extend(reader.feed(&line[cut..]));
            assert_eq!(got, datagrams(), "split at byte {cut}");
        }
    }

    #[test]
    fn pieces_of_every_size() {
        let line = line();
        for size in 1..=9 {
            let mut reader = SlipReader::default();
            let got: Vec<Vec<u8>> = line.chunks(size).flat_map(|c| reader.feed(c)).collect();
            assert_eq!(got, datagrams(), "pieces of {size} bytes");
        }
    }

    #[test]
    fn a_frame_is_not_done_before_its_end() {
        let mut reader = SlipReader::default();
        assert!(reader.feed(&[END, b'a', b'b']).is_empty());
        assert_eq!(reader.feed(&[END, END, END]), [b"ab".to_vec()]);
    }
}
// ANCHOR_END: tests
