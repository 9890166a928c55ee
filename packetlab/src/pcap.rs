//! A minimal writer of classic libpcap files with linktype 101
//! (`LINKTYPE_RAW`: each record is a bare IPv4 packet), so that Wireshark or
//! `tcpdump -r` can open a lab trace.
//!
//! Format: a 24-byte global header, then for every packet a 16-byte record
//! header followed by the packet bytes. All fields little-endian here; the
//! magic number `0xa1b2c3d4` tells readers the byte order and that
//! timestamps are in microseconds.

use crate::trace::Trace;

/// `LINKTYPE_RAW`: raw IPv4 or IPv6, no link-layer header.
pub const LINKTYPE_RAW: u32 = 101;
/// The largest packet a reader should expect.
pub const SNAPLEN: u32 = 65535;

/// The whole file for a trace, lost segments included (a capture at the
/// sender sees a segment even if the wire then drops it).
pub fn to_pcap(trace: &Trace) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4_u32.to_le_bytes()); // magic, microseconds
    out.extend_from_slice(&2_u16.to_le_bytes()); // version 2.4
    out.extend_from_slice(&4_u16.to_le_bytes());
    out.extend_from_slice(&0_i32.to_le_bytes()); // thiszone: UTC
    out.extend_from_slice(&0_u32.to_le_bytes()); // sigfigs
    out.extend_from_slice(&SNAPLEN.to_le_bytes());
    out.extend_from_slice(&LINKTYPE_RAW.to_le_bytes());
    for seg in trace.segments() {
        let len = u32::try_from(seg.bytes.len())
            .unwrap_or(u32::MAX)
            .min(SNAPLEN);
        let secs = u32::try_from(seg.at_us / 1_000_000).unwrap_or(u32::MAX);
        let micros = (seg.at_us % 1_000_000) as u32;
        out.extend_from_slice(&secs.to_le_bytes());
        out.extend_from_slice(&micros.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes()); // bytes stored
        out.extend_from_slice(&len.to_le_bytes()); // bytes on the wire
        out.extend_from_slice(&seg.bytes[..len as usize]);
    }
    out
}
