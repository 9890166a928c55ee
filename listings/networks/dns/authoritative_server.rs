// A tiny authoritative DNS server for the zone `example.test`, on 127.0.0.1
// UDP, and a client in the same program that asks it five questions and one
// malformed query. Both sides use the book's own codec,
// `listings::networks::dns`. Names under `.test` are reserved for testing
// (RFC 2606 §2, RFC 6761 §6.2); the addresses are documentation ranges
// (192.0.2.0/24, RFC 5737; 2001:db8::/32, RFC 3849).

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use listings::networks::dns::{
    Class, Header, Message, Name, Question, RData, Rcode, Record, RecordType, Soa,
};
use tokio::net::UdpSocket;
use tokio::sync::oneshot;
use tokio::time::timeout;

/// Every wait in this program is bounded by this.
const WAIT: Duration = Duration::from_secs(2);
/// The server stops after this many datagrams even if nobody stops it.
const MAX_REQUESTS: usize = 100;

// ANCHOR: zone
fn name(text: &str) -> Name {
    Name::parse(text).expect("the zone's names are valid")
}

fn record(owner: &str, ttl: u32, data: RData) -> Record {
    Record {
        name: name(owner),
        class: Class::IN,
        ttl,
        data,
    }
}

/// The zone `example.test`, as a list of records.
fn zone() -> Vec<Record> {
    let soa = Soa {
        mname: name("ns1.example.test"),
        rname: name("hostmaster.example.test"),
        serial: 2024060101,
        refresh: 7200,
        retry: 900,
        expire: 1209600,
        minimum: 300, // the TTL of negative answers (RFC 2308 §4)
    };
    vec![
        record("example.test", 3600, RData::Soa(soa)),
        record("example.test", 3600, RData::Ns(name("ns1.example.test"))),
        record(
            "ns1.example.test",
            3600,
            RData::A(Ipv4Addr::new(192, 0, 2, 53)),
        ),
        record(
            "www.example.test",
            300,
            RData::Cname(name("web.example.test")),
        ),
        record(
            "web.example.test",
            300,
            RData::A(Ipv4Addr::new(192, 0, 2, 10)),
        ),
        record(
            "web.example.test",
            300,
            RData::A(Ipv4Addr::new(192, 0, 2, 11)),
        ),
        record(
            "web.example.test",
            300,
            RData::Aaaa("2001:db8::10".parse().unwrap()),
        ),
    ]
}
// ANCHOR_END: zone

// ANCHOR: lookup
/// What an authority says about one question (a simplified RFC 1034 §4.3.2):
/// the rcode, the answer section and the authority section.
fn lookup(zone: &[Record], question: &Question) -> (Rcode, Vec<Record>, Vec<Record>) {
    let apex = &zone[0]; // the SOA record; its owner is the zone's name
    if !question.name.is_at_or_under(&apex.name) || question.qclass != Class::IN {
        return (Rcode::REFUSED, vec![], vec![]); // not our zone
    }
    // A negative answer carries the SOA, with the TTL RFC 2308 §3 asks for.
    let negative = || {
        let RData::Soa(soa) = &apex.data else {
            unreachable!("the zone starts with its SOA")
        };
        vec![Record {
            ttl: apex.ttl.min(soa.minimum),
            ..apex.clone()
        }]
    };
    let mut answers = Vec::new();
    let mut current = question.name.clone();
    for _ in 0..8 {
        // at most 8 CNAMEs in a row
        let here: Vec<&Record> = zone
            .iter()
            .filter(|r| r.name.eq_ignore_case(&current))
            .collect();
        if here.is_empty() {
            return (Rcode::NXDOMAIN, answers, negative()); // the name does not exist
        }
        let wanted =
            |r: &&&Record| r.data.rtype() == question.qtype || question.qtype == RecordType::ANY;
        let matching: Vec<Record> = here.iter().filter(wanted).map(|r| (*r).clone()).collect();
        if !matching.is_empty() {
            answers.extend(matching);
            return (Rcode::NOERROR, answers, vec![]);
        }
        match here.iter().find(|r| r.data.rtype() == RecordType::CNAME) {
            Some(alias) => {
                // Answer with the alias, then go on with its target (RFC 1034 §3.6.2).
                let RData::Cname(target) = &alias.data else {
                    unreachable!()
                };
                answers.push((*alias).clone());
                current = target.clone();
                if !current.is_at_or_under(&apex.name) {
                    return (Rcode::NOERROR, answers, vec![]); // the rest is someone else's
                }
            }
            None => return (Rcode::NOERROR, answers, negative()), // NODATA: name exists, type does not
        }
    }
    (Rcode::SERVFAIL, answers, vec![])
}
// ANCHOR_END: lookup

// ANCHOR: respond
/// The response to one datagram, or `None` to stay silent.
fn respond(zone: &[Record], datagram: &[u8]) -> Option<Vec<u8>> {
    let query = match Message::decode(datagram) {
        Ok(query) => query,
        Err(_) if datagram.len() >= 12 => {
            // Malformed: answer FORMERR with the query's ID (RFC 1035 §4.1.1).
            let header = Header {
                id: u16::from_be_bytes([datagram[0], datagram[1]]),
                response: true,
                rcode: Rcode::FORMERR,
                ..Header::default()
            };
            return Message {
                header,
                ..Message::default()
            }
            .encode()
            .ok();
        }
        Err(_) => return None, // not even a header
    };
    if query.header.response {
        return None; // never answer a response
    }
    let mut header = Header {
        id: query.header.id,
        response: true,
        opcode: query.header.opcode,
        authoritative: true,
        recursion_desired: query.header.recursion_desired,
        ..Header::default()
    };
    let mut reply = Message {
        questions: query.questions.clone(),
        ..Message::default()
    };
    match query.questions.as_slice() {
        [question] if query.header.opcode.0 == 0 => {
            let (rcode, answers, authorities) = lookup(zone, question);
            header.authoritative = rcode != Rcode::REFUSED;
            header.rcode = rcode;
            reply.answers = answers;
            reply.authorities = authorities;
        }
        [_] => header.rcode = Rcode::NOTIMP,
        _ => header.rcode = Rcode::FORMERR, // exactly one question, in practice
    }
    reply.header = header;
    reply.encode().ok()
}
// ANCHOR_END: respond

/// Serves until told to stop, idle for longer than `WAIT`, or `MAX_REQUESTS` datagrams.
async fn serve(socket: UdpSocket, mut stop: oneshot::Receiver<()>) -> std::io::Result<usize> {
    let zone = zone();
    let mut buf = [0u8; 512]; // the classic UDP limit (RFC 1035 §4.2.1)
    let mut answered = 0;
    for _ in 0..MAX_REQUESTS {
        let (len, peer) = tokio::select! {
            _ = &mut stop => break,
            received = timeout(WAIT, socket.recv_from(&mut buf)) => match received {
                Ok(received) => received?,
                Err(_) => break, // idle too long
            },
        };
        if let Some(reply) = respond(&zone, &buf[..len]) {
            socket.send_to(&reply, peer).await?;
            answered += 1;
        }
    }
    Ok(answered)
}

// ANCHOR: client
/// Sends `query` from a fresh socket and waits (bounded) for the response.
/// Returns it decoded, with its size in bytes.
async fn exchange(server: SocketAddr, query: &[u8]) -> std::io::Result<(Message, usize)> {
    let socket = UdpSocket::bind("127.0.0.1:0").await?;
    socket.connect(server).await?; // only datagrams from `server` are received
    socket.send(query).await?;
    let mut buf = [0u8; 512];
    let len = timeout(WAIT, socket.recv(&mut buf))
        .await
        .map_err(|_| std::io::ErrorKind::TimedOut)??;
    let reply = Message::decode(&buf[..len])
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    Ok((reply, len))
}

// ANCHOR_END: client

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let socket = UdpSocket::bind("127.0.0.1:0").await?;
    let server = socket.local_addr()?;
    println!("server: authoritative for example.test. on udp {server}");
    let (stop, stopped) = oneshot::channel();
    let server_task = tokio::spawn(serve(socket, stopped));

    // ANCHOR: questions
    let questions = [
        ("www.example.test", RecordType::A),
        ("web.example.test", RecordType::AAAA),
        ("WWW.Example.TEST", RecordType::CNAME),
        ("web.example.test", RecordType::MX),
        ("nope.example.test", RecordType::A),
    ];
    // ANCHOR_END: questions
    for (id, (qname, qtype)) in (1..).zip(questions) {
        let query = Message::query(id, name(qname), qtype).encode()?;
        let (reply, size) = exchange(server, &query).await?;
        assert_eq!(reply.header.id, id, "the response answers our query");
        let h = &reply.header;
        println!();
        println!(
            "? {} {} {} (id {id}, {} bytes)",
            name(qname),
            Class::IN,
            qtype,
            query.len()
        );
        let plain = reply.encode_uncompressed()?.len();
        println!(
            "  {} [{}], {size} bytes ({plain} without compression)",
            h.rcode,
            h.flag_names()
        );
        for record in &reply.answers {
            println!("  answer:    {record}");
        }
        for record in &reply.authorities {
            println!("  authority: {record}");
        }
    }

    // A header that promises one question and brings none.
    let broken = [0x00, 0x63, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    let (reply, _) = exchange(server, &broken).await?;
    println!();
    println!("? a 12-byte query that promises a question and has none (id 99)");
    println!(
        "  {} [{}], id {}",
        reply.header.rcode,
        reply.header.flag_names(),
        reply.header.id
    );

    let _ = stop.send(());
    let answered = timeout(WAIT, server_task).await???;
    println!();
    println!("server: answered {answered} datagrams");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(qname: &str, qtype: RecordType) -> Message {
        let reply = respond(&zone(), &Message::query(7, name(qname), qtype).encode().unwrap()).unwrap();
        Message::decode(&reply).unwrap()
    }

    #[test]
    fn a_cname_is_followed_inside_the_zone() {
        let reply = ask("www.example.test", RecordType::A);
        assert_eq!(reply.header.rcode, Rcode::NOERROR);
        let types: Vec<_> = reply.answers.iter().map(|r| r.data.rtype()).collect();
        assert_eq!(types, [RecordType::CNAME, RecordType::A, RecordType::A]);
    }

    #[test]
    fn unknown_names_get_nxdomain_with_the_soa() {
        let reply = ask("nope.example.test", RecordType::A);
        assert_eq!(reply.header.rcode, Rcode::NXDOMAIN);
        assert!(reply.header.authoritative);
        assert_eq!(reply.authorities.len(), 1);
        assert_eq!(
            reply.authorities[0].ttl, 300,
            "min(SOA TTL, MINIMUM), RFC 2308 §3"
        );
    }

    #[test]
    fn other_zones_are_refused() {
        let reply = ask("example.com", RecordType::A);
        assert_eq!(reply.header.rcode, Rcode::REFUSED);
        assert!(!reply.header.authoritative);
    }

    #[test]
    fn responses_and_scraps_get_no_answer() {
        let mut response = Message::query(1, name("www.example.test"), RecordType::A);
        response.header.response = true;
        assert_eq!(respond(&zone(), &response.encode().unwrap()), None);
        assert_eq!(respond(&zone(), &[1, 2, 3]), None);
    }

    /// The message that the `decode_message` listing decodes, `www_answer.hex`,
    /// is this server's real answer.
    #[test]
    fn the_decode_message_listing_shows_a_real_answer() {
        let reply = respond(
            &zone(),
            &Message::query(1, name("www.example.test"), RecordType::A)
                .encode()
                .unwrap(),
        )
        .unwrap();
        let hex: String = reply.iter().map(|b| format!("{b:02x}")).collect();
        let shown = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/networks/dns/www_answer.hex"
        ));
        assert_eq!(hex, shown.split_whitespace().collect::<String>());
    }
}
