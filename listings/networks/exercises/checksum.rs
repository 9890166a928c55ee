// Exercise: the Internet checksum (RFC 1071), odd lengths included.

// ANCHOR: solution
/// The Internet checksum of `data`: read it as 16-bit big-endian words (an
/// odd last byte is padded with a zero byte), add them with end-around carry,
/// and return the one's complement of the sum.
pub fn internet_checksum(data: &[u8]) -> u16 {
    // ANCHOR: todo
    let mut sum: u32 = 0;
    for word in data.chunks(2) {
        let high = word[0];
        let low = word.get(1).copied().unwrap_or(0);
        sum += u32::from(u16::from_be_bytes([high, low]));
        // Fold the carry back in at once, so the sum never overflows.
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
    // ANCHOR_END: todo
}
// ANCHOR_END: solution

fn main() {
    let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
    println!("RFC 1071 example: {:#06x}", internet_checksum(&data));
    println!("odd length [0xab]: {:#06x}", internet_checksum(&[0xab]));
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1071_worked_example() {
        // RFC 1071 §3: these bytes sum to 0xddf2, so the checksum is !0xddf2.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(internet_checksum(&data), 0x220d);
    }

    #[test]
    fn an_odd_last_byte_is_the_high_half_of_a_word() {
        assert_eq!(internet_checksum(&[0xab]), !0xab00);
        assert_eq!(internet_checksum(&[0x00, 0x01, 0xab]), !(0x0001 + 0xab00));
    }

    #[test]
    fn carries_wrap_around() {
        // 0xffff + 0x0001 = 0x1_0000, which folds to 0x0001.
        assert_eq!(internet_checksum(&[0xff, 0xff, 0x00, 0x01]), !0x0001);
    }

    #[test]
    fn a_message_with_its_checksum_sums_to_zero() {
        // RFC 1071 §1: the receiver's sum over data and checksum is all ones,
        // so the checksum of both together is zero.
        let mut message = b"an even message!".to_vec();
        let sum = internet_checksum(&message);
        message.extend_from_slice(&sum.to_be_bytes());
        assert_eq!(internet_checksum(&message), 0);
    }

    #[test]
    fn agrees_with_the_books_checksum() {
        // A fixed pseudo-random sequence of inputs of every length up to 300.
        let mut x: u32 = 12345;
        for len in 0..300 {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (x >> 16) as u8
                })
                .collect();
            let expected = listings::networks::checksum::internet_checksum(&[&data]);
            assert_eq!(internet_checksum(&data), expected, "input {data:02x?}");
        }
    }
}
// ANCHOR_END: tests
