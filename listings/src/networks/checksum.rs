//! The Internet checksum of RFC 1071, used by IPv4, ICMP, UDP and TCP.
//!
//! The data is read as a sequence of 16-bit big-endian words (an odd final
//! byte is padded with a zero byte). The words are added with one's-complement
//! addition: a carry out of bit 15 is added back into bit 0. The checksum is
//! the one's complement (bitwise NOT) of that sum.

// ANCHOR: sum
/// The one's-complement sum of `parts`, read as one contiguous byte string.
///
/// Several parts let a caller add a pseudo-header and a segment without
/// copying them together. A part of odd length continues into the next part,
/// exactly as if the parts had been concatenated.
pub fn ones_complement_sum(parts: &[&[u8]]) -> u16 {
    let mut sum: u32 = 0;
    let mut high: Option<u8> = None;
    for &byte in parts.iter().flat_map(|p| p.iter()) {
        match high.take() {
            None => high = Some(byte),
            Some(h) => sum += u32::from(u16::from_be_bytes([h, byte])),
        }
        // Fold early so the sum can never overflow, however long the input.
        if sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
    }
    if let Some(h) = high {
        sum += u32::from(u16::from_be_bytes([h, 0]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// The Internet checksum of `parts`: the one's complement of their
/// one's-complement sum. Compute it with the checksum field set to zero.
pub fn internet_checksum(parts: &[&[u8]]) -> u16 {
    !ones_complement_sum(parts)
}

/// True when data that already holds its checksum verifies: the
/// one's-complement sum of everything, checksum included, is `0xffff`.
pub fn verifies(parts: &[&[u8]]) -> bool {
    ones_complement_sum(parts) == 0xffff
}
// ANCHOR_END: sum

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// RFC 1071 §3 works through the sum of these eight bytes.
    #[test]
    fn rfc1071_example() {
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(ones_complement_sum(&[&data]), 0xddf2);
        assert_eq!(internet_checksum(&[&data]), 0x220d);
    }

    #[test]
    fn odd_length_is_padded_with_zero() {
        assert_eq!(ones_complement_sum(&[&[0xab]]), 0xab00);
        assert_eq!(ones_complement_sum(&[&[0x12, 0x34, 0x56]]), 0x1234 + 0x5600);
    }

    proptest! {
        #[test]
        fn split_points_do_not_matter(data in proptest::collection::vec(any::<u8>(), 0..200), cut in 0usize..200) {
            let cut = cut.min(data.len());
            let (a, b) = data.split_at(cut);
            prop_assert_eq!(ones_complement_sum(&[a, b]), ones_complement_sum(&[&data]));
        }

        #[test]
        fn appending_the_checksum_verifies(mut data in proptest::collection::vec(any::<u8>(), 0..200)) {
            if !data.len().is_multiple_of(2) { data.push(0); }
            let c = internet_checksum(&[&data]);
            data.extend_from_slice(&c.to_be_bytes());
            prop_assert!(verifies(&[&data]));
        }

        #[test]
        fn agrees_with_etherparse(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            // etherparse sums native-endian (here little-endian) words, which
            // RFC 1071 §2(B) shows gives the byte-swapped result: its value's
            // native bytes are the bytes on the wire.
            let theirs = etherparse::checksum::Sum16BitWords::new().add_slice(&data).ones_complement();
            prop_assert_eq!(internet_checksum(&[&data]).to_be_bytes(), theirs.to_ne_bytes());
        }
    }
}
