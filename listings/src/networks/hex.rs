//! Hex dumps for printing bytes in the listings.

/// `[0x45, 0x00, 0x1c]` → `"45 00 1c"`.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A dump with `width` bytes a line, each line indented by `indent`.
pub fn hex_lines(bytes: &[u8], width: usize, indent: &str) -> String {
    bytes
        .chunks(width.max(1))
        .map(|line| format!("{indent}{}", hex(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses `"45 00 1c"` or `"45001c"` back into bytes; `None` on bad input.
pub fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let bytes = [0x45, 0x00, 0xff, 0x01];
        assert_eq!(hex(&bytes), "45 00 ff 01");
        assert_eq!(parse_hex(&hex(&bytes)).unwrap(), bytes);
        assert_eq!(parse_hex("4"), None);
        assert_eq!(parse_hex("zz"), None);
        assert_eq!(hex_lines(&bytes, 2, "  "), "  45 00\n  ff 01");
    }
}
