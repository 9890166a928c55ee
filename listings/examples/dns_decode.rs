//! Decodes any DNS message given as hex and prints every field.
//!
//! ```text
//! cargo run -q -p listings --example dns_decode -- 0001 8500 0001 ...
//! echo "0001 8500 ..." | cargo run -q -p listings --example dns_decode
//! ```
//!
//! White space in the hex is ignored. On bad hex or a malformed message it
//! prints the reason to stderr and exits with status 1. The logic lives in
//! `listings::networks::dns::cli::run`, where it is tested.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match listings::networks::dns::cli::run(&args, &mut std::io::stdin().lock()) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dns_decode: {e}");
            ExitCode::FAILURE
        }
    }
}
