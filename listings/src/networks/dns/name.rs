//! Domain names: labels, the limits on them, and name compression on the wire
//! (RFC 1035 §2.3.4, §3.1, §4.1.4).

use std::collections::HashMap;
use std::fmt;

use super::{DecodeError, EncodeError};

/// A label is at most 63 octets (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;
/// A name is at most 255 octets on the wire, length octets and the final zero
/// octet included (RFC 1035 §2.3.4, §3.1).
pub const MAX_NAME_LEN: usize = 255;
/// The most compression pointers one name may follow. A legal name has at most
/// 127 labels, and a sane encoder never needs more than one pointer per label.
pub const MAX_POINTER_JUMPS: usize = 127;

/// A domain name as a list of labels, most specific first:
/// `www.example.test.` is `["www", "example", "test"]`, and the root is `[]`.
///
/// Labels are raw octets: DNS itself allows any byte in a label (RFC 2181 §11).
/// The value is not checked when it is built; [`Name::check`] (called by the
/// encoder) enforces the limits.
#[derive(Clone, Default, PartialEq, Eq, Hash, Debug)]
pub struct Name(pub Vec<Vec<u8>>);

impl Name {
    /// The root, `.`, the name with no labels.
    pub fn root() -> Name {
        Name(Vec::new())
    }

    /// Parses dotted text such as `www.example.test` or `www.example.test.`
    /// (no escapes), and checks the limits.
    pub fn parse(text: &str) -> Result<Name, EncodeError> {
        let text = text.strip_suffix('.').unwrap_or(text);
        let name = if text.is_empty() {
            Name::root()
        } else {
            Name(
                text.split('.')
                    .map(|label| label.as_bytes().to_vec())
                    .collect(),
            )
        };
        name.check()?;
        Ok(name)
    }

    /// The length on the wire without compression: one length octet per label,
    /// the label octets, and the root's zero octet.
    pub fn wire_len(&self) -> usize {
        self.0.iter().map(|label| 1 + label.len()).sum::<usize>() + 1
    }

    /// Checks the limits of RFC 1035 §2.3.4.
    pub fn check(&self) -> Result<(), EncodeError> {
        for label in &self.0 {
            if label.is_empty() {
                return Err(EncodeError::EmptyLabel);
            }
            if label.len() > MAX_LABEL_LEN {
                return Err(EncodeError::LabelTooLong { len: label.len() });
            }
        }
        let len = self.wire_len();
        if len > MAX_NAME_LEN {
            return Err(EncodeError::NameTooLong { len });
        }
        Ok(())
    }

    /// Compares names as DNS does: ASCII letters without regard to case
    /// (RFC 1035 §2.3.3, RFC 4343).
    pub fn eq_ignore_case(&self, other: &Name) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }

    /// Whether `self` is `zone` or a name below it (`www.example.test` is under `example.test`).
    pub fn is_at_or_under(&self, zone: &Name) -> bool {
        self.0.len() >= zone.0.len()
            && self.0[self.0.len() - zone.0.len()..]
                .iter()
                .zip(&zone.0)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }
}

/// Presentation format (RFC 1035 §5.1, RFC 4343 §2.1): labels joined by dots
/// and a final dot. Inside a label, every octet a zone file would read as
/// syntax is escaped with a backslash: `.` (the label separator), `;` (a
/// comment), `"` (a quoted string), `(` and `)` (line grouping), `\` itself,
/// and `@` and `$` (the origin and directives), as BIND does. Space and every
/// other octet that is not printable ASCII is written `\DDD`, in decimal.
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for label in &self.0 {
            for &byte in label {
                match byte {
                    b'.' | b';' | b'"' | b'(' | b')' | b'\\' | b'@' | b'$' => {
                        write!(f, "\\{}", byte as char)?
                    }
                    0x21..=0x7e => write!(f, "{}", byte as char)?,
                    _ => write!(f, "\\{byte:03}")?,
                }
            }
            f.write_str(".")?;
        }
        Ok(())
    }
}

// ANCHOR: read_name
/// Reads the name that starts at byte `start` of `msg`. Returns the name and
/// the offset just after it *in place* (after its first pointer, if any).
pub fn read_name(msg: &[u8], start: usize) -> Result<(Name, usize), DecodeError> {
    let mut labels = Vec::new();
    let mut wire_len = 1; // the zero octet that ends every name
    let mut pos = start; // the length octet being read
    let mut run_start = start; // where the labels being read now begin
    let mut limit = msg.len(); // every octet of this run lies before this
    let mut last_jump = None; // the last pointer followed: (offset, target)
    let mut end_in_place = None; // known once the first pointer is met
    let mut jumps = 0;
    // An octet at or past `limit`: the end of the message, or, after a
    // pointer, the labels it leads to running into the ones that hold it.
    let past_limit = |last_jump| match last_jump {
        None => DecodeError::Truncated {
            what: "name",
            offset: start,
        },
        Some((offset, target)) => DecodeError::PointerOverlap { offset, target },
    };
    loop {
        if pos >= limit {
            return Err(past_limit(last_jump));
        }
        let octet = msg[pos];
        match octet >> 6 {
            0b00 if octet == 0 => {
                let end = end_in_place.unwrap_or(pos + 1);
                return Ok((Name(labels), end));
            }
            0b00 => {
                let len = usize::from(octet); // at most 63: the top bits are 00
                wire_len += 1 + len;
                if wire_len > MAX_NAME_LEN {
                    return Err(DecodeError::NameTooLong { offset: start });
                }
                if pos + 1 + len >= limit {
                    return Err(past_limit(last_jump)); // no room for the label and what follows
                }
                labels.push(msg[pos + 1..pos + 1 + len].to_vec());
                pos += 1 + len;
            }
            0b11 => {
                if pos + 1 >= limit {
                    return Err(past_limit(last_jump));
                }
                let target = usize::from(u16::from_be_bytes([octet & 0x3f, msg[pos + 1]]));
                if target >= msg.len() {
                    return Err(DecodeError::PointerOutOfBounds {
                        offset: pos,
                        target,
                    });
                }
                if target > pos {
                    return Err(DecodeError::ForwardPointer {
                        offset: pos,
                        target,
                    });
                }
                if target >= run_start {
                    return Err(DecodeError::PointerLoop {
                        offset: pos,
                        target,
                    });
                }
                jumps += 1;
                if jumps > MAX_POINTER_JUMPS {
                    return Err(DecodeError::TooManyPointers { offset: start });
                }
                end_in_place.get_or_insert(pos + 2);
                last_jump = Some((pos, target));
                limit = run_start; // what the pointer leads to must end before its own labels
                pos = target;
                run_start = target;
            }
            _ => {
                return Err(DecodeError::BadLabelType {
                    offset: pos,
                    byte: octet,
                });
            }
        }
    }
}
// ANCHOR_END: read_name

/// Where each name suffix already written starts, for name compression.
pub type Suffixes = HashMap<Vec<Vec<u8>>, u16>;

// ANCHOR: write_name
/// Appends `name` to the message being built in `out`. With `suffixes`, it
/// compresses (RFC 1035 §4.1.4): the longest suffix already in the message is
/// replaced by a two-octet pointer `11` + 14-bit offset, and every suffix
/// written here is remembered for later names.
pub fn write_name(
    out: &mut Vec<u8>,
    name: &Name,
    suffixes: Option<&mut Suffixes>,
) -> Result<(), EncodeError> {
    name.check()?;
    let Some(suffixes) = suffixes else {
        for label in &name.0 {
            out.push(label.len() as u8); // at most 63, checked above
            out.extend_from_slice(label);
        }
        out.push(0);
        return Ok(());
    };
    for i in 0..name.0.len() {
        let suffix = &name.0[i..];
        if let Some(&offset) = suffixes.get(suffix) {
            out.extend_from_slice(&(0xc000 | offset).to_be_bytes());
            return Ok(());
        }
        // A pointer has 14 bits: names written past 0x3fff cannot be targets.
        if let Ok(offset @ 0..=0x3fff) = u16::try_from(out.len()) {
            suffixes.insert(suffix.to_vec(), offset);
        }
        out.push(suffix[0].len() as u8);
        out.extend_from_slice(&suffix[0]);
    }
    out.push(0);
    Ok(())
}
// ANCHOR_END: write_name
