//! The code of the book *Coroutines and Computer Networks, in Rust*.
//!
//! - Listing programs live in the part folders of this crate (`coroutines/`,
//!   `networks/`, `tcp-udp/`) and run with
//!   `cargo run -q -p listings -- <part>/<chapter>/<name>`.
//! - Code that several listings, examples and tests share lives in this library:
//!   helpers named after what they do (`hex`, `table`, `procfs`, `golden`,
//!   `cli`; `hex` and `table` are the packet lab's crate's, re-exported), and code that belongs to one part of the book in a module named
//!   after that part.
//! - Under `cfg(doctest)`, every chapter of the book is a doctest module, so
//!   `cargo test` compiles and runs every `rust` block a reader sees.

pub mod cli;
pub mod golden;
pub use packetlab::hex;
pub mod networks;
pub mod procfs;
pub use packetlab::table;
pub mod tcp_udp;

/// The chapters `build.rs` found in `SUMMARY.md` and handed to rustdoc.
pub mod book {
    include!(concat!(env!("OUT_DIR"), "/chapter_list.rs"));
}

#[cfg(doctest)]
mod chapters {
    include!(concat!(env!("OUT_DIR"), "/chapters.rs"));
}
