//! Decodes TCP headers given in hex.
//!
//! ```text
//! cargo run -q -p listings --example tcp_header                  # the note's two headers
//! cargo run -q -p listings --example tcp_header -- c6 05 1f 48 ...
//! printf '%s\n' "$SYN" "$SYN_ACK" | cargo run -q -p listings --example tcp_header
//! ```
//!
//! The logic lives in `listings::tcp_udp::tcp_header_cli`, where it is tested.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use listings::tcp_udp::tcp_header_cli as cli;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdin = std::io::stdin();
    let input = cli::choose_input(&args, stdin.is_terminal(), || {
        let mut text = String::new();
        stdin.lock().read_to_string(&mut text).map(|_| text)
    });
    match input {
        Ok(input) => cli::run(input).emit(),
        Err(e) => {
            eprintln!("error: cannot read standard input: {e}");
            ExitCode::from(1)
        }
    }
}
