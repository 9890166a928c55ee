//! Tests of the DNS codec: known bytes, hostile input, a cross-check against
//! the `simple-dns` crate in both directions, and property tests.

mod crosscheck;
mod differential;
mod findings;
mod fuzz;
mod hostile;
mod known;
mod props;
mod strategies;
