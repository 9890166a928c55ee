// A TCP receiver in miniature: segments arrive out of order, duplicated and
// corrupted, and the receiver still hands the application one ordered byte
// stream. After each segment it shows the acknowledgment number it would send:
// the next byte it expects (RFC 9293 §3.4). Sequence numbers here start at 1,
// the first byte after the SYN.

use std::collections::BTreeMap;

// ANCHOR: receiver
struct Segment {
    seq: u32,
    data: &'static str,
    /// The checksum failed: the receiver drops the segment unseen.
    corrupted: bool,
}

struct Receiver {
    /// RCV.NXT: the next sequence number expected, which every ACK carries.
    next: u32,
    /// Segments that arrived ahead of a gap, by sequence number.
    out_of_order: BTreeMap<u32, &'static str>,
    /// What the application has read, in order.
    delivered: String,
}

impl Receiver {
    /// Takes one segment and returns the acknowledgment number to send.
    fn receive(&mut self, segment: &Segment) -> u32 {
        if segment.corrupted {
            return self.next; // dropped; the sender's timer will resend it
        }
        if segment.seq >= self.next {
            self.out_of_order.insert(segment.seq, segment.data);
        } // else: an old duplicate, already delivered
        // Deliver every buffered segment that now continues the stream.
        while let Some(data) = self.out_of_order.remove(&self.next) {
            self.delivered.push_str(data);
            self.next += data.len() as u32;
        }
        self.next
    }
}
// ANCHOR_END: receiver

// ANCHOR: main
fn main() {
    let arrivals = [
        Segment {
            seq: 1,
            data: "The ",
            corrupted: false,
        },
        Segment {
            seq: 11,
            data: "brown ",
            corrupted: false,
        }, // overtook "quick "
        Segment {
            seq: 5,
            data: "quick ",
            corrupted: true,
        }, // bad checksum
        Segment {
            seq: 17,
            data: "fox",
            corrupted: false,
        },
        Segment {
            seq: 5,
            data: "quick ",
            corrupted: false,
        }, // retransmitted
        Segment {
            seq: 11,
            data: "brown ",
            corrupted: false,
        }, // duplicate
    ];
    let mut receiver = Receiver {
        next: 1,
        out_of_order: BTreeMap::new(),
        delivered: String::new(),
    };
    for segment in &arrivals {
        let end = segment.seq + segment.data.len() as u32;
        let note = if segment.corrupted {
            " (checksum fails)"
        } else {
            ""
        };
        let ack = receiver.receive(segment);
        println!(
            "bytes {:>2}..{:<2} {:<9}{:<17} -> ACK {ack:>2}   application has read {:?}",
            segment.seq,
            end,
            format!("{:?}", segment.data),
            note,
            receiver.delivered
        );
    }
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_comes_out_in_order_once() {
        let mut r = Receiver {
            next: 1,
            out_of_order: BTreeMap::new(),
            delivered: String::new(),
        };
        let seg = |seq, data| Segment {
            seq,
            data,
            corrupted: false,
        };
        assert_eq!(r.receive(&seg(11, "brown ")), 1);
        assert_eq!(r.receive(&seg(1, "The ")), 5);
        assert_eq!(r.receive(&seg(5, "quick ")), 17);
        assert_eq!(r.receive(&seg(5, "quick ")), 17);
        assert_eq!(r.delivered, "The quick brown ");
    }
}
