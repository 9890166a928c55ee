// What `cargo run -q -p listings --example dns_decode -- <hex>` prints, made
// by the same library function, `listings::networks::dns::cli::run`: first
// for a real response of the authoritative-server listing, then for hostile
// and broken inputs, where the example prints the error to stderr and exits
// with status 1.

use listings::networks::dns::cli;

// ANCHOR: inputs
/// The server's answer to `www.example.test. IN A` (id 1), as hex: the file
/// shown above, which the server listing's test checks byte for byte.
const RESPONSE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/networks/dns/www_answer.hex"
));

/// Broken and hostile inputs, each with what is wrong with it.
const BAD: [(&str, &str); 8] = [
    (
        "pointer to itself",
        "0000 0000 0001 0000 0000 0000  c00c 0001 0001",
    ),
    (
        "label loops back",
        "0000 0000 0001 0000 0000 0000  01 61 c00c 0001 0001",
    ),
    (
        "pointer past the end",
        "0000 0000 0001 0000 0000 0000  c0ff 0001 0001",
    ),
    (
        "forward pointer",
        "0000 0000 0001 0000 0000 0000  c012 0001 0001 0161 00",
    ),
    ("length octet 64", "0000 0000 0001 0000 0000 0000  40 61"),
    (
        "truncated record",
        "0000 8000 0000 0001 0000 0000  00 0001 0001 0000012c 0004 c000",
    ),
    ("not hex", "00 01 zz"),
    ("odd digit count", "000"),
];
// ANCHOR_END: inputs

// ANCHOR: main
fn main() {
    let args: Vec<String> = RESPONSE.split_whitespace().map(String::from).collect();
    match cli::run(&args, &mut std::io::empty()) {
        Ok(report) => print!("{report}"),
        Err(e) => println!("error: {e}"),
    }
    for (what, hex) in BAD {
        let result = cli::run(&[hex.to_owned()], &mut std::io::empty());
        println!();
        println!("{what}: {hex}");
        match result {
            Ok(report) => print!("{report}"),
            Err(e) => println!("  dns_decode: {e}"),
        }
    }
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_input_is_an_error() {
        for (what, hex) in BAD {
            assert!(
                cli::run(&[hex.to_owned()], &mut std::io::empty()).is_err(),
                "{what}"
            );
        }
    }
}
