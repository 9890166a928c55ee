//! Property tests: the decoder never panics, and encoding round-trips.
//! `PROPTEST_CASES=100000 cargo test -p listings --lib dns::tests::props`
//! runs them longer.

use proptest::prelude::*;

use super::strategies::message;
use crate::networks::dns::*;

/// If `bytes` decode, the result re-encodes and decodes to itself.
fn decode_is_stable(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(msg) = Message::decode(bytes) {
        let again = msg
            .encode()
            .map_err(|e| TestCaseError::fail(format!("re-encode: {e}")))?;
        prop_assert_eq!(Message::decode(&again), Ok(msg));
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        decode_is_stable(&bytes)?;
    }

    /// A header that claims a few entries, then random bytes: gets past the
    /// header far more often than fully random input does.
    #[test]
    fn random_bodies_after_a_plausible_header_never_panic(
        counts in any::<[u8; 4]>(),
        body in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = vec![0, 1, 0, 0];
        for count in counts {
            bytes.extend_from_slice(&[0, count % 4]);
        }
        bytes.extend_from_slice(&body);
        decode_is_stable(&bytes)?;
    }

    #[test]
    fn compressed_encoding_round_trips(msg in message()) {
        let bytes = msg.encode().unwrap();
        prop_assert_eq!(Message::decode(&bytes), Ok(msg));
    }

    #[test]
    fn uncompressed_encoding_round_trips_and_is_never_shorter(msg in message()) {
        let plain = msg.encode_uncompressed().unwrap();
        prop_assert!(plain.len() >= msg.encode().unwrap().len());
        prop_assert_eq!(Message::decode(&plain), Ok(msg));
    }

    #[test]
    fn mutated_valid_messages_never_panic(
        msg in message(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8),
    ) {
        let mut bytes = msg.encode().unwrap();
        for (at, value, kind) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = value,                    // overwrite a byte
                1 => bytes[i] ^= 1 << (value % 8),        // flip a bit
                2 => bytes.truncate(i),                   // cut the message
                _ => bytes.insert(i, value),              // insert a byte
            }
        }
        decode_is_stable(&bytes)?;
    }
}
