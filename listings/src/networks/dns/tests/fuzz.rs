//! A random-mutation run; a long one by hand (stable Rust has no cargo-fuzz):
//!
//! ```text
//! DNS_FUZZ_ITERATIONS=30000000 DNS_FUZZ_SEED=20240601 cargo test -p listings --lib -- --nocapture dns_fuzz
//! ```
//!
//! `cargo test` runs the same loop with 20,000 mutations every time.

use std::collections::BTreeMap;
use std::time::Instant;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};

use super::Rng;
use super::strategies::message;
use crate::networks::dns::*;

/// Valid messages to start from: 64 random ones, made by the proptest strategy
/// with a fixed seed.
fn corpus() -> Vec<Vec<u8>> {
    let config = Config {
        rng_seed: RngSeed::Fixed(0xd15),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = message();
    (0..64)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .unwrap()
                .current()
                .encode()
                .unwrap()
        })
        .collect()
}

/// Mutates and decodes `iterations` times; returns how often each outcome
/// happened. Panics (failing the test) if a decoded message does not re-encode
/// and decode to itself.
fn fuzz(iterations: u64, seed: u64) -> BTreeMap<String, u64> {
    let corpus = corpus();
    let mut rng = Rng(seed);
    let mut outcomes = BTreeMap::new();
    for _ in 0..iterations {
        let mut bytes = corpus[rng.below(corpus.len())].clone();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(bytes.len().max(1));
            let value = rng.next() as u8;
            match rng.below(6) {
                0 if !bytes.is_empty() => bytes[i] = value,
                1 if !bytes.is_empty() => bytes[i] ^= 1 << (value % 8),
                2 => bytes.truncate(i),
                3 => bytes.insert(i.min(bytes.len()), value),
                // A pointer somewhere: the interesting case for name decoding.
                4 if bytes.len() > i + 1 => {
                    bytes[i] = 0xc0 | (value & 0x3f);
                    bytes[i + 1] = rng.next() as u8;
                }
                _ if !bytes.is_empty() => {
                    let (i, j) = (i.min(bytes.len() - 1), rng.below(bytes.len()));
                    bytes.swap(i, j);
                }
                _ => {}
            }
        }
        let outcome = match Message::decode(&bytes) {
            Ok(msg) => {
                let again = msg.encode().expect("a decoded message re-encodes");
                assert_eq!(
                    Message::decode(&again).as_ref(),
                    Ok(&msg),
                    "input {bytes:02x?}"
                );
                "decoded".to_owned()
            }
            Err(e) => format!("{e:?}")
                .split([' ', '{'])
                .next()
                .unwrap_or("?")
                .to_owned(),
        };
        *outcomes.entry(outcome).or_insert(0) += 1;
    }
    outcomes
}

/// `cargo test` runs 20,000 mutations; raise the count by hand for a long run.
#[test]
fn dns_fuzz() {
    let iterations = super::env_or("DNS_FUZZ_ITERATIONS", 20_000);
    let seed = super::env_or("DNS_FUZZ_SEED", 1);
    let started = Instant::now();
    let outcomes = fuzz(iterations, seed);
    println!(
        "{iterations} mutated messages (seed {seed}) in {:?}, no panic, no hang:",
        started.elapsed()
    );
    for (outcome, count) in &outcomes {
        println!("  {outcome:<20} {count}");
    }
    assert_eq!(outcomes.values().sum::<u64>(), iterations);
    assert!(outcomes["decoded"] > 0);
}
