// The note's handshake, completed: decodes its SYN and SYN-ACK, computes the
// third segment (the ACK the note leaves out), and prints all three in the
// notation of RFC 9293 §3.5 with each side's state after each segment.
// Its test also writes the chapter's sequence diagram, `note_handshake.mmd`.

use listings::hex::parse_hex;
use listings::tcp_udp::tcp_header::{NOTE_SYN, NOTE_SYN_ACK, TcpHeader};

fn header(hex: &str) -> TcpHeader {
    let bytes = parse_hex(hex).expect("the note's hex is valid");
    TcpHeader::parse(&bytes)
        .expect("the note's headers are valid")
        .0
}

/// The three segments as (seq, ack), with the ACK computed.
struct Handshake {
    client_port: u16,
    server_port: u16,
    syn: u32,
    syn_ack: (u32, u32),
    ack: (u32, u32),
}

// ANCHOR: compute
fn complete(syn: &TcpHeader, syn_ack: &TcpHeader) -> Handshake {
    // The SYN occupies one sequence number, so the server acknowledges the
    // client's ISN + 1, and the client then does the same for the server.
    let client_next = syn.sequence_number.wrapping_add(1);
    assert_eq!(
        syn_ack.acknowledgment_number, client_next,
        "SYN-ACK answers the SYN"
    );
    let server_next = syn_ack.sequence_number.wrapping_add(1);
    Handshake {
        client_port: syn.source_port,
        server_port: syn.destination_port,
        syn: syn.sequence_number,
        syn_ack: (syn_ack.sequence_number, syn_ack.acknowledgment_number),
        ack: (client_next, server_next),
    }
}
// ANCHOR_END: compute

fn main() {
    let h = complete(&header(NOTE_SYN), &header(NOTE_SYN_ACK));
    let (client_isn, server_isn) = (h.syn, h.syn_ack.0);
    println!("ports: client {}, server {}", h.client_port, h.server_port);
    println!("{:<74}server", "    client");
    println!("{:<74}LISTEN", "1.  CLOSED");
    let rows = [
        (
            "2.  SYN-SENT    -->",
            format!("<SEQ={}><CTL=SYN>", h.syn),
            "-->  SYN-RECEIVED",
        ),
        (
            "3.  ESTABLISHED <--",
            format!("<SEQ={}><ACK={}><CTL=SYN,ACK>", h.syn_ack.0, h.syn_ack.1),
            "<--  SYN-RECEIVED",
        ),
        (
            "4.  ESTABLISHED -->",
            format!("<SEQ={}><ACK={}><CTL=ACK>", h.ack.0, h.ack.1),
            "-->  ESTABLISHED",
        ),
    ];
    for (left, segment, right) in rows {
        println!("{left} {segment:<48} {right}");
    }
    println!();
    println!("relative to each side's ISN, as Wireshark shows them:");
    let rel = |n: u32, isn: u32| n.wrapping_sub(isn);
    println!("2.  SYN      seq {}", rel(h.syn, client_isn));
    println!(
        "3.  SYN,ACK  seq {} ack {}",
        rel(h.syn_ack.0, server_isn),
        rel(h.syn_ack.1, client_isn)
    );
    println!(
        "4.  ACK      seq {} ack {}",
        rel(h.ack.0, client_isn),
        rel(h.ack.1, server_isn)
    );
}

/// The chapter's sequence diagram, with the real numbers.
#[cfg(test)]
fn mermaid(h: &Handshake) -> String {
    let mut m = String::from("sequenceDiagram\n");
    m += "    accTitle: The note's three-way handshake, with the real numbers\n";
    m += &format!(
        "    accDescr: The client sends SYN with sequence number {}. The server answers SYN,ACK with sequence number {} and acknowledgment {}. The client completes the handshake with ACK, sequence {} and acknowledgment {}, computed from the first two. Both ends are then ESTABLISHED.\n",
        h.syn, h.syn_ack.0, h.syn_ack.1, h.ack.0, h.ack.1
    );
    m += &format!("    participant C as Client, port {}\n", h.client_port);
    m += &format!("    participant S as Server, port {}\n", h.server_port);
    m += "    Note over C: CLOSED\n    Note over S: LISTEN\n";
    m += &format!("    C->>S: SYN seq={} (0x{:08x})\n", h.syn, h.syn);
    m += "    Note over C: SYN-SENT\n    Note over S: SYN-RECEIVED\n";
    let (s, a) = h.syn_ack;
    m += &format!("    S->>C: SYN,ACK seq={s} (0x{s:08x}) ack={a} (0x{a:08x})\n");
    m += "    Note over C: ESTABLISHED\n";
    let (s, a) = h.ack;
    m += &format!("    C->>S: ACK seq={s} (0x{s:08x}) ack={a} (0x{a:08x}), computed\n");
    m += "    Note over S: ESTABLISHED\n";
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_third_segment_acknowledges_the_server_isn_plus_one() {
        let h = complete(&header(NOTE_SYN), &header(NOTE_SYN_ACK));
        assert_eq!(h.ack, (0xe6a8_6c69, 0xc4a7_ff75));
    }

    #[test]
    fn the_chapter_diagram_is_generated() {
        let h = complete(&header(NOTE_SYN), &header(NOTE_SYN_ACK));
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tcp-udp/handshake/note_handshake.mmd"
        );
        expect_test::expect_file![path].assert_eq(&mermaid(&h));
    }
}
