// Feeds the TCP header decoder one malformed input of each kind and prints
// the error it returns. None of them panics, and none is accepted.

use listings::hex::parse_hex;
use listings::tcp_udp::tcp_header::TcpHeader;

/// A valid 20-byte fixed header (data offset 5, SYN), in hex.
const FIXED: &str = "c605 1f48 e6a86c68 00000000 5002 faf0 0000 0000";

/// The same fixed header with a data offset of `words`, followed by `options`.
fn with_options(words: u8, options: &str) -> String {
    let fixed = FIXED.replacen("5002", &format!("{words:x}002"), 1);
    format!("{fixed} {options}")
}

// ANCHOR: cases
fn cases() -> Vec<(&'static str, String)> {
    vec![
        ("a letter that is not hex", "c6 05 1f 4g".to_owned()),
        ("half a byte", "c6 05 1f 4".to_owned()),
        ("19 bytes", FIXED[..FIXED.len() - 2].to_owned()),
        ("data offset 4", with_options(4, "")),
        ("data offset 8, 24 bytes given", with_options(8, "020405b4")),
        ("option length 0", with_options(6, "0200 0000")),
        ("option length 1", with_options(6, "0201 0000")),
        ("kind 3 in the last byte", with_options(6, "0101 0103")),
        ("option past the header", with_options(6, "0101 080a")),
        ("MSS with length 3", with_options(6, "0203 0500")),
        ("window scale with length 4", with_options(6, "0304 0800")),
        ("SACK-permitted with length 3", with_options(6, "0403 0000")),
        (
            "timestamps with length 8",
            with_options(7, "0808 0000 0000 0000"),
        ),
        (
            "SACK with length 12",
            with_options(8, "050c 0000 0000 0000 0000 0000"),
        ),
    ]
}
// ANCHOR_END: cases

fn main() {
    for (what, hex) in cases() {
        let result = parse_hex(&hex)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                TcpHeader::parse(&bytes)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            });
        match result {
            Ok(_) => println!("{what:<30} accepted (a bug!)"),
            Err(message) => println!("{what:<30} {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_is_rejected() {
        for (what, hex) in cases() {
            let bytes = parse_hex(&hex);
            let rejected = bytes.map_or(true, |b| TcpHeader::parse(&b).is_err());
            assert!(rejected, "{what} was accepted");
        }
    }

    #[test]
    fn the_base_header_is_valid() {
        assert!(TcpHeader::parse(&parse_hex(FIXED).unwrap()).is_ok());
        assert!(TcpHeader::parse(&parse_hex(&with_options(6, "0204 05b4")).unwrap()).is_ok());
    }
}
