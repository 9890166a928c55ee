// Exercise: build DNS messages byte by byte (RFC 1035 §4.1), a query and an
// answer holding MX and TXT records, and let the book's decoder judge them.

use listings::networks::dns::{Message, RData, RecordType};

/// One record of an answer, for the name that was asked about.
pub enum Answer<'a> {
    /// RFC 1035 §3.3.9: a 16-bit preference, then the exchange's name.
    Mx { preference: u16, exchange: &'a str },
    /// RFC 1035 §3.3.14: one character-string, a length octet then the text.
    Txt(&'a str),
}

/// Every record of an answer lives this long, in seconds.
pub const TTL: u32 = 300;

// ANCHOR: solution
/// A name in wire format (RFC 1035 §3.1): each label as a length octet and
/// its bytes, then the zero-length root label. `"example.com"` becomes
/// `7 example 3 com 0`. Names here have no trailing dot and no escapes.
pub fn encode_name(name: &str) -> Vec<u8> {
    // ANCHOR: todo
    let mut out = Vec::with_capacity(name.len() + 2);
    for label in name.split('.').filter(|l| !l.is_empty()) {
        assert!(label.len() <= 63, "label {label:?} is over 63 octets");
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out
    // ANCHOR_END: todo
}

/// The header (RFC 1035 §4.1.1): ID, the flags word, then four counts.
fn header(id: u16, flags: u16, questions: u16, answers: u16) -> Vec<u8> {
    // ANCHOR: todo
    [id, flags, questions, answers, 0, 0]
        .iter()
        .flat_map(|field| field.to_be_bytes())
        .collect()
    // ANCHOR_END: todo
}

/// A recursive query (RD set) for `name`, type `qtype`, class IN.
pub fn query(id: u16, name: &str, qtype: RecordType) -> Vec<u8> {
    // ANCHOR: todo
    const RD: u16 = 1 << 8;
    let mut msg = header(id, RD, 1, 0);
    msg.extend(encode_name(name));
    msg.extend(qtype.0.to_be_bytes());
    msg.extend(1u16.to_be_bytes()); // QCLASS IN
    msg
    // ANCHOR_END: todo
}

/// The response to `query(id, name, ...)`: QR, RD and RA set, the question
/// repeated, then one record per `answers` entry, owned by `name`, with TTL
/// [`TTL`]. No name compression is needed.
pub fn response(id: u16, name: &str, qtype: RecordType, answers: &[Answer<'_>]) -> Vec<u8> {
    // ANCHOR: todo
    const QR: u16 = 1 << 15;
    const RD: u16 = 1 << 8;
    const RA: u16 = 1 << 7;
    let mut msg = header(id, QR | RD | RA, 1, answers.len() as u16);
    msg.extend(encode_name(name));
    msg.extend(qtype.0.to_be_bytes());
    msg.extend(1u16.to_be_bytes());
    for answer in answers {
        let (rtype, rdata) = match answer {
            Answer::Mx {
                preference,
                exchange,
            } => {
                let mut rdata = preference.to_be_bytes().to_vec();
                rdata.extend(encode_name(exchange));
                (RecordType::MX, rdata)
            }
            Answer::Txt(text) => {
                assert!(text.len() <= 255, "a character-string holds 255 octets");
                let mut rdata = vec![text.len() as u8];
                rdata.extend_from_slice(text.as_bytes());
                (RecordType::TXT, rdata)
            }
        };
        msg.extend(encode_name(name));
        msg.extend(rtype.0.to_be_bytes());
        msg.extend(1u16.to_be_bytes());
        msg.extend(TTL.to_be_bytes());
        msg.extend((rdata.len() as u16).to_be_bytes());
        msg.extend(rdata);
    }
    msg
    // ANCHOR_END: todo
}
// ANCHOR_END: solution

fn main() {
    let q = query(0x1234, "example.com", RecordType::MX);
    println!("query, {} bytes: {q:02x?}", q.len());
    let r = response(
        0x1234,
        "example.com",
        RecordType::MX,
        &[
            Answer::Mx {
                preference: 10,
                exchange: "mail.example.com",
            },
            Answer::Txt("v=spf1 -all"),
        ],
    );
    match Message::decode(&r) {
        Ok(message) => {
            for record in &message.answers {
                match &record.data {
                    RData::Mx {
                        preference,
                        exchange,
                    } => println!("{} MX {preference} {exchange}", record.name),
                    RData::Txt(strings) => {
                        for text in strings {
                            println!("{} TXT {:?}", record.name, String::from_utf8_lossy(text));
                        }
                    }
                    other => println!("{} {other:?}", record.name),
                }
            }
        }
        Err(e) => println!("the book's decoder refuses it: {e}"),
    }
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(data: &RData) -> String {
        match data {
            RData::Mx { exchange, .. } => exchange.to_string(),
            other => panic!("not an MX record: {other:?}"),
        }
    }

    #[test]
    fn names_are_length_prefixed_labels() {
        assert_eq!(encode_name("example.com"), b"\x07example\x03com\x00");
        assert_eq!(encode_name(""), [0]);
    }

    #[test]
    fn the_decoder_reads_the_query() {
        let bytes = query(0xbeef, "example.com", RecordType::TXT);
        assert_eq!(bytes.len(), 12 + 13 + 4);
        let m = Message::decode(&bytes).expect("the book's decoder accepts it");
        assert_eq!(m.header.id, 0xbeef);
        assert!(!m.header.response && m.header.recursion_desired);
        assert_eq!(m.questions.len(), 1);
        assert_eq!(m.questions[0].name.to_string(), "example.com.");
        assert_eq!(m.questions[0].qtype, RecordType::TXT);
        assert!(m.answers.is_empty());
    }

    #[test]
    fn the_decoder_reads_mx_and_txt_answers() {
        let bytes = response(
            7,
            "example.com",
            RecordType::MX,
            &[
                Answer::Mx {
                    preference: 10,
                    exchange: "mail.example.com",
                },
                Answer::Txt("v=spf1 -all"),
            ],
        );
        let m = Message::decode(&bytes).expect("the book's decoder accepts it");
        assert_eq!(m.header.id, 7);
        assert!(m.header.response && m.header.recursion_available);
        assert_eq!(m.answers.len(), 2);
        assert!(matches!(
            m.answers[0].data,
            RData::Mx { preference: 10, .. }
        ));
        assert_eq!(name_of(&m.answers[0].data), "mail.example.com.");
        assert_eq!(m.answers[0].name.to_string(), "example.com.");
        assert_eq!(m.answers[1].data, RData::Txt(vec![b"v=spf1 -all".to_vec()]));
    }

    #[test]
    fn an_empty_answer_is_still_a_response() {
        let m = Message::decode(&response(1, "example.org", RecordType::MX, &[])).unwrap();
        assert!(m.header.response);
        assert_eq!(m.questions[0].name.to_string(), "example.org.");
        assert!(m.answers.is_empty());
    }
}
// ANCHOR_END: tests
