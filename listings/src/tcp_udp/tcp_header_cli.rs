//! The command-line tool `cargo run -q -p listings --example tcp_header`.
//!
//! - Arguments, joined with spaces, are one header in hex:
//!   `-- c6 05 1f 48 ...` and `-- c6051f48...` are the same.
//! - With no arguments, standard input is read to its end when it is not a
//!   terminal: one header per line; blank lines and lines starting with `#`
//!   are skipped.
//! - "No input" means no arguments and either a terminal on standard input or
//!   an input with no header in it (empty, blank lines, comments). The tool
//!   then decodes the note's two headers ([`NOTE_SYN`], [`NOTE_SYN_ACK`]).
//!
//! Whenever a SYN is followed by a SYN-ACK on the same ports, the tool checks
//! the handshake relation between them. Every malformed line is reported on
//! standard error with its line number, the other lines are still decoded, and
//! the exit code is 1.
//!
//! Also here: [`describe`], the field-by-field description that the tool and
//! the chapter's listings print, laid out by the shared table writer.

use crate::hex::parse_hex;
use crate::table::{Align, Column, Table};
use crate::tcp_udp::tcp_header::{
    FIXED_HEADER_LEN, Flags, NOTE_SYN, NOTE_SYN_ACK, OptionSpec, TcpHeader, TcpOption,
    check_handshake, is_syn, is_syn_ack, kind,
};

/// `MSS (kind 2, length 4)`: the name from the option table, kind and length.
fn named(option: &TcpOption) -> String {
    let spec = OptionSpec::of(option.kind());
    format!(
        "{} (kind {}, length {})",
        spec.name,
        spec.kind,
        option.encoded_len()
    )
}

fn describe_option(option: &TcpOption) -> String {
    let name = named(option);
    match option {
        TcpOption::EndOfOptionList { padding } => {
            let zero = if padding.iter().all(|&b| b == 0) {
                "all zero"
            } else {
                "NOT all zero, against RFC 9293 MUST-69"
            };
            format!(
                "{} (kind {}): end of list, {} bytes of padding follow, {zero}",
                OptionSpec::of(kind::EOL).name,
                kind::EOL,
                padding.len()
            )
        }
        TcpOption::NoOperation => format!(
            "{} (kind {}): padding",
            OptionSpec::of(kind::NOP).name,
            kind::NOP
        ),
        TcpOption::MaximumSegmentSize(mss) => format!("{name}: {mss} bytes (0x{mss:04x})"),
        TcpOption::WindowScale(shift) if *shift > 14 => format!(
            "{name}: shift {shift}, above the maximum 14, so it is used as 14 (RFC 7323 §2.3)"
        ),
        TcpOption::WindowScale(shift) => format!(
            "{name}: shift {shift}, windows are multiplied by 2^{shift} = {}",
            1u32 << shift
        ),
        TcpOption::SackPermitted => name,
        TcpOption::Sack(blocks) => {
            let list: Vec<String> = blocks.iter().map(|(l, r)| format!("{l}..{r}")).collect();
            format!("{name}: {} block(s) {}", blocks.len(), list.join(" "))
        }
        TcpOption::Timestamps { value, echo_reply } => format!(
            "{name}: TSval {value} (0x{value:08x}), TSecr {echo_reply} (0x{echo_reply:08x})"
        ),
        TcpOption::Unknown { kind, data } => format!(
            "unknown kind {kind} (length {}): data {}",
            option.encoded_len(),
            crate::hex::hex(data)
        ),
    }
}

/// The two columns of [`describe`]: a field's name, padded to 22 characters,
/// and its value.
const FIELD_LIST: [Column<(String, String)>; 2] = [
    Column {
        title: "",
        align: Align::Left,
        min_width: 22,
        cell: |(name, _)| name.clone(),
    },
    Column::new("", Align::Left, |(_, value)| value.clone()),
];

// ANCHOR: describe
/// One field per line, numbers in decimal with hex where it helps.
pub fn describe(h: &TcpHeader, payload_len: usize) -> String {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut line = |name: &str, value: String| fields.push((name.to_owned(), value));
    line(
        "source port",
        format!("{} (0x{:04x})", h.source_port, h.source_port),
    );
    line(
        "destination port",
        format!("{} (0x{:04x})", h.destination_port, h.destination_port),
    );
    line(
        "sequence number",
        format!("{} (0x{:08x})", h.sequence_number, h.sequence_number),
    );
    let ack_note = if h.flags.has(Flags::ACK) {
        ""
    } else {
        ", ignored: ACK is not set"
    };
    line(
        "acknowledgment number",
        format!(
            "{} (0x{:08x}){ack_note}",
            h.acknowledgment_number, h.acknowledgment_number
        ),
    );
    line(
        "data offset",
        format!(
            "{} words = {} bytes ({} fixed + {} of options)",
            h.data_offset,
            h.header_len(),
            FIXED_HEADER_LEN,
            h.header_len() - FIXED_HEADER_LEN
        ),
    );
    line("reserved", format!("{:04b}", h.reserved));
    line("flags", format!("0x{:02x} = {}", h.flags.0, h.flags));
    for (name, bit) in Flags::ALL {
        line(&format!("  {name}"), u8::from(h.flags.has(bit)).to_string());
    }
    line("window", format!("{} (0x{:04x})", h.window, h.window));
    line(
        "checksum",
        format!(
            "0x{:04x}, not verified: it covers the IP pseudo-header",
            h.checksum
        ),
    );
    let urg_note = if h.flags.has(Flags::URG) {
        ""
    } else {
        ", ignored: URG is not set"
    };
    line("urgent pointer", format!("{}{urg_note}", h.urgent_pointer));
    line(
        "options",
        format!("{} bytes", h.header_len() - FIXED_HEADER_LEN),
    );
    for option in &h.options {
        line("", describe_option(option));
    }
    line("payload", format!("{payload_len} bytes"));
    Table::new(&FIELD_LIST, &fields).body()
}
// ANCHOR_END: describe

pub const USAGE: &str = "\
usage: tcp_header [HEX...]
  Decodes TCP headers given in hex (spaces allowed).
  HEX...      one header; the arguments are joined with spaces
  no HEX      read standard input, one header per line ('#' starts a comment)
  no input    (a terminal, or nothing but blank lines) decode the note's SYN and SYN-ACK
";

/// What the tool prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: u8,
}

impl Outcome {
    /// Prints the outcome and returns the exit status, for a `main`.
    pub fn emit(self) -> std::process::ExitCode {
        print!("{}", self.stdout);
        eprint!("{}", self.stderr);
        std::process::ExitCode::from(self.exit_code)
    }
}

/// Where the headers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Headers in hex, each with a label for messages (`"line 3"`).
    Headers(Vec<(String, String)>),
    /// No input: decode the note's two headers.
    NoteDemo,
    /// `--help`.
    Help,
    /// An option the tool does not know.
    BadFlag(String),
}

/// Decides what to decode. `read_stdin` is only called when there are no
/// arguments and standard input is not a terminal.
pub fn choose_input(
    args: &[String],
    stdin_is_terminal: bool,
    read_stdin: impl FnOnce() -> std::io::Result<String>,
) -> std::io::Result<Input> {
    if let Some(first) = args.first() {
        if first == "-h" || first == "--help" {
            return Ok(Input::Help);
        }
        if first.starts_with('-') {
            return Ok(Input::BadFlag(first.clone()));
        }
        return Ok(Input::Headers(vec![(
            "arguments".to_owned(),
            args.join(" "),
        )]));
    }
    if stdin_is_terminal {
        return Ok(Input::NoteDemo);
    }
    let text = read_stdin()?;
    let headers: Vec<(String, String)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (format!("line {}", i + 1), l.trim().to_owned()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    Ok(if headers.is_empty() {
        Input::NoteDemo
    } else {
        Input::Headers(headers)
    })
}

/// The note's two headers, labelled.
pub fn note_headers() -> Vec<(String, String)> {
    vec![
        ("the note's SYN".to_owned(), NOTE_SYN.to_owned()),
        ("the note's SYN-ACK".to_owned(), NOTE_SYN_ACK.to_owned()),
    ]
}

/// Runs the tool on the chosen input.
pub fn run(input: Input) -> Outcome {
    match input {
        Input::Help => Outcome {
            stdout: USAGE.to_owned(),
            stderr: String::new(),
            exit_code: 0,
        },
        Input::BadFlag(flag) => Outcome {
            stdout: String::new(),
            stderr: format!("error: unknown option {flag:?}\n{USAGE}"),
            exit_code: 2,
        },
        Input::NoteDemo => {
            let mut outcome = decode_all(&note_headers());
            outcome
                .stdout
                .insert_str(0, "no input: decoding the note's SYN and SYN-ACK\n\n");
            outcome
        }
        Input::Headers(headers) => decode_all(&headers),
    }
}

// ANCHOR: decode_all
/// Decodes each header, then checks every SYN that a SYN-ACK follows.
pub fn decode_all(headers: &[(String, String)]) -> Outcome {
    let (mut stdout, mut stderr) = (String::new(), String::new());
    let mut previous: Option<(&str, TcpHeader)> = None;
    for (label, text) in headers {
        let decoded = parse_hex(text)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                TcpHeader::parse(&bytes)
                    .map(|(h, payload)| (h, payload.len()))
                    .map_err(|e| e.to_string())
            });
        let (header, payload_len) = match decoded {
            Ok(ok) => ok,
            Err(message) => {
                stderr.push_str(&format!("{label}: error: {message}\n"));
                previous = None;
                continue;
            }
        };
        if !stdout.is_empty() {
            stdout.push('\n');
        }
        stdout.push_str(&format!(
            "{label}: TCP header, {} bytes\n",
            header.header_len()
        ));
        stdout.push_str(&describe(&header, payload_len));
        if let Some((syn_label, syn)) = &previous
            && is_syn(syn)
            && is_syn_ack(&header)
        {
            stdout.push_str(&describe_check(syn_label, syn, label, &header));
        }
        previous = Some((label, header));
    }
    let exit_code = if stderr.is_empty() { 0 } else { 1 };
    Outcome {
        stdout,
        stderr,
        exit_code,
    }
}
// ANCHOR_END: decode_all

fn describe_check(syn_label: &str, syn: &TcpHeader, label: &str, syn_ack: &TcpHeader) -> String {
    let check = check_handshake(syn, syn_ack);
    let (seq, ack) = check.third_segment;
    let mut out = format!("\nhandshake check ({syn_label}, then {label}):\n");
    let mut line = |name: &str, value: String| out.push_str(&format!("  {name:<22}{value}\n"));
    let ports = if check.ports_match { "yes" } else { "NO" };
    line("ports swapped", ports.to_owned());
    line(
        "SYN seq + 1",
        format!(
            "{} + 1 = {} (0x{:08x}), modulo 2^32",
            syn.sequence_number, check.expected_ack, check.expected_ack
        ),
    );
    let verdict = if check.expected_ack == check.actual_ack {
        "matches"
    } else {
        "does NOT match"
    };
    line(
        "SYN-ACK ack",
        format!(
            "{} (0x{:08x}): {verdict}",
            check.actual_ack, check.actual_ack
        ),
    );
    line(
        "third segment (ACK)",
        format!("seq {seq} (0x{seq:08x}), ack {ack} (0x{ack:08x})"),
    );
    out
}
