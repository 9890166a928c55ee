//! Ethernet II frames and MAC addresses (IEEE 802.3, the "DIX" framing).

use std::fmt;

use super::error::{ParseError, need};

/// A 48-bit MAC address. It names one network interface, not one host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// `ff:ff:ff:ff:ff:ff`: every interface on the link accepts it.
    pub const BROADCAST: MacAddr = MacAddr([0xff; 6]);
    /// `00:00:00:00:00:00`: "unknown", as in an ARP request's target field.
    pub const ZERO: MacAddr = MacAddr([0; 6]);

    /// Bit 0 of the first byte: set for group (multicast, broadcast) addresses.
    pub fn is_group(&self) -> bool {
        self.0[0] & 0x01 != 0
    }

    /// Bit 1 of the first byte: set when the address was assigned locally
    /// (by software) rather than burned in by the manufacturer.
    pub fn is_locally_administered(&self) -> bool {
        self.0[0] & 0x02 != 0
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

/// EtherType values used in this book.
pub mod ethertype {
    pub const IPV4: u16 = 0x0800;
    pub const ARP: u16 = 0x0806;
    pub const IPV6: u16 = 0x86dd;
}

/// The 14-byte Ethernet II header. (The preamble before it and the 4-byte
/// frame check sequence after the payload are added and removed by the
/// network card; software never sees them.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EthernetHeader {
    pub destination: MacAddr,
    pub source: MacAddr,
    pub ethertype: u16,
}

impl EthernetHeader {
    pub const LEN: usize = 14;
    /// The smallest payload Ethernet carries; shorter ones are padded.
    pub const MIN_PAYLOAD: usize = 46;

    pub fn to_bytes(&self) -> [u8; Self::LEN] {
        let mut out = [0u8; Self::LEN];
        out[0..6].copy_from_slice(&self.destination.0);
        out[6..12].copy_from_slice(&self.source.0);
        out[12..14].copy_from_slice(&self.ethertype.to_be_bytes());
        out
    }

    /// Splits a frame into its header and payload.
    pub fn parse(frame: &[u8]) -> Result<(EthernetHeader, &[u8]), ParseError> {
        let h = need("Ethernet", frame, Self::LEN)?;
        let mac = |at: usize| MacAddr(h[at..at + 6].try_into().expect("6 bytes"));
        let header = EthernetHeader {
            destination: mac(0),
            source: mac(6),
            ethertype: u16::from_be_bytes([h[12], h[13]]),
        };
        if header.ethertype < 0x0600 {
            // Values up to 1500 are an IEEE 802.3 length, not a type.
            return Err(ParseError::Unsupported {
                layer: "Ethernet",
                field: "802.3 length field",
                value: header.ethertype.into(),
            });
        }
        Ok((header, &frame[Self::LEN..]))
    }
}

/// A whole frame: header, then the payload padded to 46 bytes if shorter.
pub fn frame(header: &EthernetHeader, payload: &[u8]) -> Vec<u8> {
    let mut out = header.to_bytes().to_vec();
    out.extend_from_slice(payload);
    let min = EthernetHeader::LEN + EthernetHeader::MIN_PAYLOAD;
    if out.len() < min {
        out.resize(min, 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_bits() {
        let m = MacAddr([0x02, 0xfc, 0, 0, 0, 1]);
        assert_eq!(m.to_string(), "02:fc:00:00:00:01");
        assert!(m.is_locally_administered());
        assert!(!m.is_group());
        assert!(MacAddr::BROADCAST.is_group());
    }

    #[test]
    fn short_and_length_frames_are_errors() {
        assert!(matches!(
            EthernetHeader::parse(&[0; 13]),
            Err(ParseError::Truncated { .. })
        ));
        let mut f = [0u8; 14];
        f[12..14].copy_from_slice(&100u16.to_be_bytes());
        assert!(matches!(
            EthernetHeader::parse(&f),
            Err(ParseError::Unsupported { .. })
        ));
    }

    #[test]
    fn padding_to_minimum() {
        let h = EthernetHeader {
            destination: MacAddr::BROADCAST,
            source: MacAddr::ZERO,
            ethertype: ethertype::ARP,
        };
        assert_eq!(frame(&h, &[1; 28]).len(), 60);
        assert_eq!(frame(&h, &[1; 100]).len(), 114);
    }
}
