//! One IPv4 packet carrying TCP, decoded with smoltcp's wire parsers.

use std::fmt;

use smoltcp::wire::{IpAddress, Ipv4Address, Ipv4Packet, TcpOption, TcpPacket};

use super::lab::{Event, Segment, Side, Trace, preview};

/// A packet the decoder cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not a well-formed IPv4 packet.
    Ipv4,
    /// IPv4, but the payload is not TCP (the protocol number is given).
    NotTcp(u8),
    /// The TCP header is truncated or its data offset is wrong.
    Tcp,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Ipv4 => write!(f, "not a well-formed IPv4 packet"),
            DecodeError::NotTcp(p) => write!(f, "IPv4 protocol {p} is not TCP"),
            DecodeError::Tcp => write!(f, "truncated or malformed TCP header"),
        }
    }
}

impl std::error::Error for DecodeError {}

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
    /// Flags in RFC 9293 order, joined by commas: `SYN,ACK`.
    pub flags: String,
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
    pub seq: u32,
    /// The acknowledgment number, if the ACK flag is set.
    pub ack: Option<u32>,
    pub window: u16,
    /// Payload length in bytes (SYN and FIN not counted).
    pub len: usize,
    /// Options, in the order they appear: `MSS=1460 WS=0 SACK-perm`.
    pub options: String,
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

    /// How much sequence space the segment uses: payload plus one for each of SYN and FIN.
    pub fn seq_len(&self) -> u32 {
        u32::try_from(self.len).unwrap_or(u32::MAX) + u32::from(self.syn) + u32::from(self.fin)
    }
}

/// Decodes one segment with smoltcp's wire parsers, verifying both checksums.
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

    let named = [
        (tcp.cwr(), "CWR"),
        (tcp.ece(), "ECE"),
        (tcp.urg(), "URG"),
        (tcp.ack(), "ACK"),
        (tcp.psh(), "PSH"),
        (tcp.rst(), "RST"),
        (tcp.syn(), "SYN"),
        (tcp.fin(), "FIN"),
    ];
    // RFC 9293 names the handshake's second segment "SYN,ACK": list the
    // flags that start or end things first.
    let order = ["SYN", "FIN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"];
    let flags: Vec<&str> = order
        .iter()
        .copied()
        .filter(|n| named.iter().any(|(set, name)| *set && name == n))
        .collect();

    Ok(Row {
        at_us: seg.at_us,
        from: seg.from,
        lost: seg.lost,
        src,
        dst,
        src_port: tcp.src_port(),
        dst_port: tcp.dst_port(),
        ip_id: ip.ident(),
        dont_frag: ip.dont_frag(),
        ttl: ip.hop_limit(),
        ip_header_len: usize::from(ip.header_len()),
        tcp_header_len: usize::from(tcp.header_len()),
        flags: flags.join(","),
        syn: tcp.syn(),
        fin: tcp.fin(),
        rst: tcp.rst(),
        seq: tcp.seq_number().0 as u32,
        ack: tcp.ack().then(|| tcp.ack_number().0 as u32),
        window: tcp.window_len(),
        len: tcp.payload().len(),
        options: options(tcp.options()),
        payload: tcp.payload().to_vec(),
        ip_checksum_ok,
        tcp_checksum_ok,
        checksum_ok: ip_checksum_ok && tcp_checksum_ok,
    })
}

/// Renders the option bytes as `MSS=1460 SACK-perm TS=val/ecr NOP WS=7`.
fn options(mut bytes: &[u8]) -> String {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let Ok((rest, option)) = TcpOption::parse(bytes) else {
            out.push("(malformed)".to_owned());
            break;
        };
        out.push(match option {
            TcpOption::EndOfList => "EOL".to_owned(),
            TcpOption::NoOperation => "NOP".to_owned(),
            TcpOption::MaxSegmentSize(mss) => format!("MSS={mss}"),
            TcpOption::WindowScale(shift) => format!("WS={shift}"),
            TcpOption::SackPermitted => "SACK-perm".to_owned(),
            TcpOption::SackRange(_) => "SACK".to_owned(),
            TcpOption::TimeStamp { tsval, tsecr } => format!("TS={tsval}/{tsecr}"),
            TcpOption::Unknown { kind, .. } => format!("kind{kind}"),
        });
        if matches!(option, TcpOption::EndOfList) {
            break;
        }
        bytes = rest;
    }
    // Trailing padding after the last option says nothing: keep it out.
    while out.last().is_some_and(|o| o == "EOL") {
        out.pop();
    }
    out.join(" ")
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
