//! The error type of the Part II header decoders (Ethernet, ARP, IPv4, ICMP,
//! UDP, SLIP). The DNS codec, which reads whole messages with a cursor, has
//! its own in `dns::error`.

/// Why a header decoder of Part II refused its input. Decoders never panic on
/// input: every way a buffer can be wrong is one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The buffer ends before the `layer`'s header (or its stated length) does.
    #[error("{layer}: truncated, needed {needed} bytes, got {got}")]
    Truncated {
        layer: &'static str,
        needed: usize,
        got: usize,
    },
    /// A checksum did not verify.
    #[error("{layer}: bad checksum, found 0x{found:04x}, expected 0x{expected:04x}")]
    BadChecksum {
        layer: &'static str,
        found: u16,
        expected: u16,
    },
    /// A field holds a value this small decoder does not handle.
    #[error("{layer}: unsupported {field} {value} (0x{value:02x})")]
    Unsupported {
        layer: &'static str,
        field: &'static str,
        value: u32,
    },
}

/// Returns `buf[..n]` or a [`ParseError::Truncated`] naming the layer.
pub(crate) fn need<'a>(
    layer: &'static str,
    buf: &'a [u8],
    n: usize,
) -> Result<&'a [u8], ParseError> {
    buf.get(..n).ok_or(ParseError::Truncated {
        layer,
        needed: n,
        got: buf.len(),
    })
}
