// SLIP framing (RFC 1055): END ends a frame, and END or ESC inside the data
// travel as two-byte escapes. Encode two datagrams, then decode the line.

use listings::hex::hex;
use listings::networks::slip::{self, END, ESC};

// ANCHOR: main
fn main() {
    // Two tiny "datagrams"; the first holds both special bytes.
    let datagrams: [&[u8]; 2] = [&[0x45, END, 0x01, ESC, 0x02], &[0x45, 0x00]];
    let mut line = Vec::new();
    for d in datagrams {
        let framed = slip::encode(d);
        println!("datagram {:<16} -> framed {}", hex(d), hex(&framed));
        line.extend_from_slice(&framed);
    }
    println!("on the line: {}", hex(&line));

    // The receiver sees one byte stream; END bytes split it into datagrams.
    // Back-to-back ENDs make empty frames, which the decoder skips.
    for (i, result) in slip::decode_all(&line, 1006).into_iter().enumerate() {
        match result {
            Ok(d) => println!("received datagram {}: {}", i + 1, hex(&d)),
            Err(e) => println!("received garbage: {e}"),
        }
    }

    // A bad escape: ESC must be followed by ESC_END or ESC_ESC.
    for result in slip::decode_all(&[ESC, 0x41, 0x42, END], 1006) {
        println!(
            "line {}: {}",
            hex(&[ESC, 0x41, 0x42, END]),
            result.unwrap_err()
        );
    }
}
// ANCHOR_END: main
