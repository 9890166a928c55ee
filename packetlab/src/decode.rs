//! One IPv4 packet carrying TCP, decoded: the IPv4 header and both checksums
//! with smoltcp's wire parsers, the TCP header with the book's own decoder
//! ([`crate::tcp_header`]), so that flags and options are the types
//! the TCP header chapter defines.

use smoltcp::wire::{IpAddress, Ipv4Address, Ipv4Packet, TcpPacket};

use crate::tcp_header::{Flags, OptionSpec, TcpHeader, TcpOption};
use crate::trace::{Event, Segment, Side, Trace, preview};

/// A packet the decoder cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not a well-formed IPv4 packet.
    #[error("not a well-formed IPv4 packet")]
    Ipv4,
    /// IPv4, but the payload is not TCP (the protocol number is given).
    #[error("IPv4 protocol {0} is not TCP")]
    NotTcp(u8),
    /// The TCP header is truncated, its data offset is wrong, or an option is malformed.
    #[error("truncated or malformed TCP header")]
    Tcp,
}

/// The fields of one segment that the book's tables show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub at_us: u64,
    pub from: Side,
    pub lost: bool,
    pub src: Ipv4Address,
    pub dst: Ipv4Address,
    pub src_port: u16,
    pub dst_port: u16,
    /// IPv4 identification field and the don't-fragment bit.
    pub ip_id: u16,
    pub dont_frag: bool,
    pub ttl: u8,
    /// Lengths of the IPv4 and TCP headers, in bytes.
    pub ip_header_len: usize,
    pub tcp_header_len: usize,
    /// The control bits; they print as `SYN,ACK`.
    pub flags: Flags,
    pub seq: u32,
    /// The acknowledgment number, if the ACK flag is set.
    pub ack: Option<u32>,
    pub window: u16,
    /// Payload length in bytes (SYN and FIN not counted).
    pub len: usize,
    /// Options, in the order they appear; they print as `MSS=1460 WS=0 SACK-perm`.
    pub options: Options,
    pub payload: Vec<u8>,
    /// The IPv4 header checksum verified.
    pub ip_checksum_ok: bool,
    /// The TCP checksum, over the IPv4 pseudo-header and the segment, verified.
    pub tcp_checksum_ok: bool,
    /// Both of them.
    pub checksum_ok: bool,
}

impl Row {
    /// The payload in quotes, escaped and cut short, or empty.
    pub fn payload_preview(&self) -> String {
        if self.payload.is_empty() {
            String::new()
        } else {
            preview(&self.payload)
        }
    }
}

/// A segment's TCP options, printed the short way of the lab's tables and
/// diagrams: `MSS=1460 SACK-perm TS=val/ecr NOP WS=7`, names from the TCP
/// decoder's option table. An end-of-list option and its padding say nothing
/// and are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options(pub Vec<TcpOption>);

impl Options {
    fn shown(&self) -> impl Iterator<Item = &TcpOption> {
        self.0
            .iter()
            .filter(|o| !matches!(o, TcpOption::EndOfOptionList { .. }))
    }

    /// True when nothing would be printed.
    pub fn is_empty(&self) -> bool {
        self.shown().next().is_none()
    }
}

impl std::fmt::Display for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, option) in self.shown().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            let name = OptionSpec::of(option.kind()).short;
            match option {
                TcpOption::MaximumSegmentSize(mss) => write!(f, "{name}={mss}")?,
                TcpOption::WindowScale(shift) => write!(f, "{name}={shift}")?,
                TcpOption::Timestamps { value, echo_reply } => {
                    write!(f, "{name}={value}/{echo_reply}")?
                }
                TcpOption::Unknown { kind, .. } => write!(f, "{name}{kind}")?,
                _ => f.write_str(name)?,
            }
        }
        Ok(())
    }
}

/// Decodes one segment, verifying both checksums.
pub fn decode(seg: &Segment) -> Result<Row, DecodeError> {
    let ip = Ipv4Packet::new_checked(&seg.bytes[..]).map_err(|_| DecodeError::Ipv4)?;
    let protocol = u8::from(ip.next_header());
    if protocol != 6 {
        return Err(DecodeError::NotTcp(protocol));
    }
    let (src, dst) = (ip.src_addr(), ip.dst_addr());
    let tcp = TcpPacket::new_checked(ip.payload()).map_err(|_| DecodeError::Tcp)?;
    let ip_checksum_ok = ip.verify_checksum();
    let tcp_checksum_ok = tcp.verify_checksum(&IpAddress::Ipv4(src), &IpAddress::Ipv4(dst));
    let (h, payload) = TcpHeader::parse(ip.payload()).map_err(|_| DecodeError::Tcp)?;

    Ok(Row {
        at_us: seg.at_us,
        from: seg.from,
        lost: seg.lost,
        src,
        dst,
        src_port: h.source_port,
        dst_port: h.destination_port,
        ip_id: ip.ident(),
        dont_frag: ip.dont_frag(),
        ttl: ip.hop_limit(),
        ip_header_len: usize::from(ip.header_len()),
        tcp_header_len: h.header_len(),
        flags: h.flags,
        seq: h.sequence_number,
        ack: h.flags.has(Flags::ACK).then_some(h.acknowledgment_number),
        window: h.window,
        len: payload.len(),
        options: Options(h.options),
        payload: payload.to_vec(),
        ip_checksum_ok,
        tcp_checksum_ok,
        checksum_ok: ip_checksum_ok && tcp_checksum_ok,
    })
}

/// Builds a [`Trace`] from packets captured elsewhere (for example by
/// `tcpdump` on Linux), given as (microseconds, IPv4 packet). The sender of
/// the first packet is the client; times become relative to that packet.
pub fn trace_from_capture(packets: &[(u64, Vec<u8>)]) -> Result<Trace, DecodeError> {
    let endpoint = |bytes: &[u8]| -> Result<(Ipv4Address, u16), DecodeError> {
        let ip = Ipv4Packet::new_checked(bytes).map_err(|_| DecodeError::Ipv4)?;
        let tcp = TcpPacket::new_checked(ip.payload()).map_err(|_| DecodeError::Tcp)?;
        Ok((ip.src_addr(), tcp.src_port()))
    };
    let Some((start, first)) = packets.first() else {
        return Ok(Trace { events: Vec::new() });
    };
    let client = endpoint(first)?;
    let mut events = Vec::new();
    for (at_us, bytes) in packets {
        let from = if endpoint(bytes)? == client {
            Side::Client
        } else {
            Side::Server
        };
        let at_us = at_us.saturating_sub(*start);
        events.push(Event::Segment(Segment {
            at_us,
            from,
            bytes: bytes.clone(),
            lost: false,
        }));
    }
    Ok(Trace { events })
}
