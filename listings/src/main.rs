//! Runs one listing program of the book by name.
//!
//! ```text
//! cargo run -q -p listings -- --list
//! cargo run -q -p listings -- coroutines/generators/round_robin
//! cargo run -q --release -p listings -- coroutines/measured/spawn_cost --tasks 100000
//! cargo run -q -p listings -- exercise checksum
//! ```
//!
//! `exercise` is described in [`exercise`].

use std::process::ExitCode;

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// Runs one listing and reports its exit status.
type Runner = fn() -> ExitCode;

/// Runs a listing's `main`, whatever it returns (`()`, `Result`, `ExitCode`).
fn report<T: std::process::Termination>(main: fn() -> T) -> ExitCode {
    main().report()
}

mod exercise;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        None | Some("--list") => {
            for (name, _) in LISTINGS {
                println!("{name}");
            }
            ExitCode::SUCCESS
        }
        Some("exercise") => exercise::command(&args.collect::<Vec<_>>()),
        Some("--list-compile-fail") => {
            for name in COMPILE_FAIL {
                println!("{name}");
            }
            ExitCode::SUCCESS
        }
        Some(name) => match LISTINGS.iter().find(|(n, _)| *n == name) {
            Some((_, run)) => {
                listings::cli::set_listing_args(args.collect());
                run()
            }
            None => {
                eprintln!(
                    "no listing named {name:?}; `cargo run -q -p listings -- --list` shows them all"
                );
                ExitCode::from(2)
            }
        },
    }
}
