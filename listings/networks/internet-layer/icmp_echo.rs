// An ICMP Echo Request built by hand, its Internet checksum worked through
// word by word (RFC 1071), and the Echo Reply a host would send back, parsed.

use listings::hex::hex;
use listings::networks::checksum::{internet_checksum, ones_complement_sum, verifies};
use listings::networks::icmp::{Echo, EchoKind};

// ANCHOR: sum
/// Prints the one's-complement sum the way the chapter's formula writes it.
fn show_checksum(message_with_zero_checksum: &[u8]) -> u16 {
    let words: Vec<u16> = message_with_zero_checksum
        .chunks(2)
        .map(|w| u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)]))
        .collect();
    let plain: u32 = words.iter().map(|&w| u32::from(w)).sum();
    let terms: Vec<String> = words.iter().map(|w| format!("{w:04x}")).collect();
    println!("  words: {}", terms.join(" + "));
    println!(
        "  plain sum 0x{plain:x}: carry 0x{:x} added back gives 0x{:04x}",
        plain >> 16,
        ones_complement_sum(&[message_with_zero_checksum])
    );
    let checksum = internet_checksum(&[message_with_zero_checksum]);
    println!("  checksum = NOT 0x{:04x} = 0x{checksum:04x}", !checksum);
    checksum
}
// ANCHOR_END: sum

fn main() {
    // ANCHOR: request
    let request = Echo {
        kind: EchoKind::Request,
        identifier: 0x1234,
        sequence: 1,
        data: b"ping!".to_vec(),
    };
    let bytes = request.to_bytes();
    let mut zeroed = bytes.clone();
    zeroed[2..4].fill(0);
    println!("Echo Request, type 8 code 0, identifier 0x1234, sequence 1, data \"ping!\"");
    println!("  with the checksum field zero: {}", hex(&zeroed));
    let checksum = show_checksum(&zeroed);
    assert_eq!(bytes[2..4], checksum.to_be_bytes());
    println!("  sent: {}", hex(&bytes));
    println!(
        "  receiver's check, sum over everything = 0x{:04x}: valid = {}",
        ones_complement_sum(&[&bytes]),
        verifies(&[&bytes])
    );
    // ANCHOR_END: request

    // ANCHOR: reply
    // The replying host swaps the addresses, sets type 0, and keeps the
    // identifier, sequence number and data (RFC 792, "Echo or Echo Reply").
    let reply = Echo {
        kind: EchoKind::Reply,
        ..request.clone()
    }
    .to_bytes();
    println!("\nEcho Reply as it comes back: {}", hex(&reply));
    match Echo::parse(&reply) {
        Ok(e) => println!(
            "  parsed: {:?}, identifier 0x{:04x}, sequence {}, data {:?}, matches request: {}",
            e.kind,
            e.identifier,
            e.sequence,
            String::from_utf8_lossy(&e.data),
            (e.identifier, e.sequence, &e.data)
                == (request.identifier, request.sequence, &request.data)
        ),
        Err(e) => println!("  rejected: {e}"),
    }
    let mut damaged = reply.clone();
    damaged[9] ^= 0x20; // one bit flipped in transit: 'i' becomes 'I'
    match Echo::parse(&damaged) {
        Ok(e) => println!("  damaged copy accepted?! {e:?}"),
        Err(e) => println!("  a copy with one bit flipped is rejected: {e}"),
    }
    // ANCHOR_END: reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_shown_is_the_one_sent() {
        let e = Echo {
            kind: EchoKind::Request,
            identifier: 0x1234,
            sequence: 1,
            data: b"ping!".to_vec(),
        };
        let bytes = e.to_bytes();
        let mut zeroed = bytes.clone();
        zeroed[2..4].fill(0);
        assert_eq!(show_checksum(&zeroed).to_be_bytes(), bytes[2..4]);
        // etherparse computes the same checksum for the same message.
        let theirs = etherparse::Icmpv4Header::with_checksum(
            etherparse::Icmpv4Type::EchoRequest(etherparse::IcmpEchoHeader { id: 0x1234, seq: 1 }),
            b"ping!",
        );
        assert_eq!(theirs.checksum.to_be_bytes(), bytes[2..4]);
    }
}
