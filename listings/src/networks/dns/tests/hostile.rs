//! Hostile input: every way the decoder refuses a message, each built by hand.

use crate::networks::dns::*;

/// A header announcing `qd` questions and `an` answers, then `body`.
fn message(qd: u16, an: u16, body: &[u8]) -> Vec<u8> {
    let mut m = vec![0xbe, 0xef, 0x01, 0x00];
    for count in [qd, an, 0, 0] {
        m.extend_from_slice(&count.to_be_bytes());
    }
    m.extend_from_slice(body);
    m
}

fn decode_err(bytes: &[u8]) -> DecodeError {
    Message::decode(bytes).expect_err("hostile input must be refused")
}

#[test]
fn a_pointer_to_itself_is_a_loop() {
    // The question's name is a pointer at offset 12 to offset 12.
    let m = message(1, 0, &[0xc0, 12, 0, 1, 0, 1]);
    assert_eq!(
        decode_err(&m),
        DecodeError::PointerLoop {
            offset: 12,
            target: 12
        }
    );
}

#[test]
fn a_pointer_back_into_its_own_labels_is_a_loop() {
    // `a` then a pointer back to the `a`: a.a.a.a... forever.
    let m = message(1, 0, &[1, b'a', 0xc0, 12, 0, 1, 0, 1]);
    assert_eq!(
        decode_err(&m),
        DecodeError::PointerLoop {
            offset: 14,
            target: 12
        }
    );
}

#[test]
fn two_pointers_that_point_at_each_other_are_refused() {
    // Offset 12 points to 14, and 14 points to 12. The first one already
    // points forward; a decoder that allowed forward pointers would go round.
    let m = message(1, 0, &[0xc0, 14, 0xc0, 12, 0, 1, 0, 1]);
    assert_eq!(
        decode_err(&m),
        DecodeError::ForwardPointer {
            offset: 12,
            target: 14
        }
    );
}

#[test]
fn a_pointer_whose_labels_run_into_its_own_name_is_refused() {
    // Question 1 at 12 is the root (`00`, type A, class IN). Question 2 at 17
    // is `a` and a pointer at 19 to byte 16, which lies before it; but the
    // label that starts at 16 (the class's low octet, 01) takes in byte 17,
    // the first octet of question 2: not a *prior* occurrence of a name.
    let m = message(2, 0, &[0, 0, 1, 0, 1, 1, b'a', 0xc0, 16, 0, 1, 0, 1]);
    assert_eq!(
        decode_err(&m),
        DecodeError::PointerOverlap {
            offset: 19,
            target: 16
        }
    );
    // The same pointer to byte 12, the root before it, is fine.
    let m = message(2, 0, &[0, 0, 1, 0, 1, 1, b'a', 0xc0, 12, 0, 1, 0, 1]);
    assert_eq!(
        Message::decode(&m).unwrap().questions[1].name,
        Name(vec![b"a".to_vec()])
    );
}

#[test]
fn a_pointer_past_the_end_is_refused() {
    let m = message(1, 0, &[0xc0, 0xff, 0, 1, 0, 1]);
    assert_eq!(
        decode_err(&m),
        DecodeError::PointerOutOfBounds {
            offset: 12,
            target: 255
        }
    );
    let m = message(1, 0, &[0xff, 0xff, 0, 1, 0, 1]);
    assert_eq!(
        decode_err(&m),
        DecodeError::PointerOutOfBounds {
            offset: 12,
            target: 0x3fff
        }
    );
}

#[test]
fn a_forward_pointer_is_refused() {
    // The pointer at 12 points to a well-formed name at 18. RFC 1035 §4.1.4
    // speaks of a *prior* occurrence; this decoder insists on it.
    let m = message(1, 0, &[0xc0, 18, 0, 1, 0, 1, 1, b'a', 0]);
    assert_eq!(
        decode_err(&m),
        DecodeError::ForwardPointer {
            offset: 12,
            target: 18
        }
    );
}

#[test]
fn a_label_over_63_octets_cannot_even_be_written() {
    // A length octet of 64 has top bits 01: a reserved label type, not a length.
    let mut body = vec![64];
    body.extend_from_slice(&[b'a'; 64]);
    body.extend_from_slice(&[0, 0, 1, 0, 1]);
    assert_eq!(
        decode_err(&message(1, 0, &body)),
        DecodeError::BadLabelType {
            offset: 12,
            byte: 64
        }
    );
}

#[test]
fn reserved_label_types_01_and_10_are_refused() {
    for byte in [0x40, 0x7f, 0x80, 0xbf] {
        let m = message(1, 0, &[byte, 0, 0, 1, 0, 1]);
        assert_eq!(
            decode_err(&m),
            DecodeError::BadLabelType { offset: 12, byte }
        );
    }
}

#[test]
fn a_name_over_255_octets_is_refused() {
    // Five labels of 63 octets: 5 × 64 + 1 = 321 octets.
    let mut body = Vec::new();
    for _ in 0..5 {
        body.push(63);
        body.extend_from_slice(&[b'a'; 63]);
    }
    body.extend_from_slice(&[0, 0, 1, 0, 1]);
    assert_eq!(
        decode_err(&message(1, 0, &body)),
        DecodeError::NameTooLong { offset: 12 }
    );
}

#[test]
fn a_name_made_long_by_pointers_is_refused() {
    // Name 1 at 12: 63 × 'a' and the root (65 octets). Each later name adds a
    // 63-octet label and points at the one before: 65, 129, 193, 257 octets.
    let mut body = vec![63];
    body.extend_from_slice(&[b'a'; 63]);
    body.push(0);
    body.extend_from_slice(&[0, 1, 0, 1]);
    let mut previous = 12u16;
    for _ in 0..3 {
        let here = 12 + body.len() as u16;
        body.push(63);
        body.extend_from_slice(&[b'b'; 63]);
        body.extend_from_slice(&(0xc000 | previous).to_be_bytes());
        body.extend_from_slice(&[0, 1, 0, 1]);
        previous = here;
    }
    let err = decode_err(&message(4, 0, &body));
    assert_eq!(
        err,
        DecodeError::NameTooLong {
            offset: usize::from(previous)
        }
    );
}

#[test]
fn every_truncation_of_a_valid_message_is_refused() {
    let valid = b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\
                  \x03www\x07example\x04test\x00\x00\x01\x00\x01\
                  \xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\xc0\x00\x02\x0a";
    assert!(Message::decode(valid).is_ok());
    for len in 0..valid.len() {
        let err = decode_err(&valid[..len]);
        assert!(
            matches!(err, DecodeError::Truncated { .. }),
            "cut at {len}: {err}"
        );
    }
}

#[test]
fn rdata_that_does_not_match_its_type_is_refused() {
    // An A record with RDLENGTH 5.
    let m = message(0, 1, &[0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5]);
    assert_eq!(
        decode_err(&m),
        DecodeError::BadRdata {
            offset: 23,
            rtype: RecordType::A,
            reason: "RDLENGTH is longer than the data"
        }
    );
    // A CNAME whose name runs past its RDLENGTH of 2.
    let m = message(0, 1, &[0, 0, 5, 0, 1, 0, 0, 0, 0, 0, 2, 1, b'a', 0]);
    assert_eq!(
        decode_err(&m),
        DecodeError::BadRdata {
            offset: 23,
            rtype: RecordType::CNAME,
            reason: "a name runs past RDLENGTH"
        }
    );
}

#[test]
fn leftover_bytes_are_refused() {
    let m = message(0, 0, &[0]);
    assert_eq!(
        decode_err(&m),
        DecodeError::TrailingBytes {
            offset: 12,
            count: 1
        }
    );
}

#[test]
fn huge_counts_with_no_data_fail_fast() {
    let m = message(u16::MAX, u16::MAX, &[]);
    assert_eq!(
        decode_err(&m),
        DecodeError::Truncated {
            what: "name",
            offset: 12
        }
    );
}

#[test]
fn a_long_chain_of_backward_pointers_is_cut_off() {
    // 1000 pointers, each pointing at the one before it, ending at a root.
    // Every jump is legal on its own; the jump bound stops the chain.
    let mut body = vec![0u8];
    for i in 0..1000u16 {
        let previous = if i == 0 { 12 } else { 13 + 2 * (i - 1) };
        body.extend_from_slice(&(0xc000 | previous).to_be_bytes());
    }
    let mut m = message(0, 0, &[]);
    m.extend_from_slice(&body);
    let last = m.len() - 2;
    let err = read_name(&m, last).unwrap_err();
    assert_eq!(err, DecodeError::TooManyPointers { offset: last });
}

#[test]
fn the_worst_message_of_64_kib_decodes() {
    // A 64 KiB message of ~10 900 questions, each a 2-octet pointer to one
    // 255-octet name: the decoder copies each name, so the work is bounded
    // by the message size × 255, not by anything the sender controls.
    let mut body = Vec::new();
    for _ in 0..3 {
        body.push(63);
        body.extend_from_slice(&[b'x'; 63]);
    }
    body.push(61);
    body.extend_from_slice(&[b'y'; 61]);
    body.push(0);
    body.extend_from_slice(&[0, 1, 0, 1]);
    let mut count = 1u16;
    while 12 + body.len() + 6 <= usize::from(u16::MAX) {
        body.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]);
        count += 1;
    }
    let m = message(count, 0, &body);
    let msg = Message::decode(&m).unwrap();
    assert_eq!(msg.questions.len(), usize::from(count));
    assert_eq!(msg.questions[count as usize - 1].name.wire_len(), 255);
}
