//! The one error type of the Part II decoders.

use std::fmt;

/// Why a decoder of Part II refused its input. Decoders never panic on input:
/// every way a buffer can be wrong is one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The buffer ends before the `layer`'s header (or its stated length) does.
    Truncated {
        layer: &'static str,
        needed: usize,
        got: usize,
    },
    /// A checksum did not verify.
    BadChecksum {
        layer: &'static str,
        found: u16,
        expected: u16,
    },
    /// A field holds a value this small decoder does not handle.
    Unsupported {
        layer: &'static str,
        field: &'static str,
        value: u32,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Truncated { layer, needed, got } => {
                write!(f, "{layer}: truncated, needed {needed} bytes, got {got}")
            }
            ParseError::BadChecksum {
                layer,
                found,
                expected,
            } => write!(
                f,
                "{layer}: bad checksum, found 0x{found:04x}, expected 0x{expected:04x}"
            ),
            ParseError::Unsupported {
                layer,
                field,
                value,
            } => write!(f, "{layer}: unsupported {field} {value} (0x{value:02x})"),
        }
    }
}

impl std::error::Error for ParseError {}

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
