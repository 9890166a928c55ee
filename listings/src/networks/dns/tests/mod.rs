//! Tests of the DNS codec: known bytes, hostile input, a cross-check against
//! the `simple-dns` crate in both directions, a differential test against
//! `hickory-proto`, and property tests.

mod crosscheck;
mod differential;
mod findings;
mod fuzz;
mod hostile;
mod known;
mod props;
mod strategies;

/// A count or seed for a long run, from the environment (`DNS_FUZZ_ITERATIONS=...`),
/// or `default` when the variable is unset or not a number.
fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*: a tiny deterministic generator for the fuzz loop and the
/// differential test, so a run can be repeated from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
