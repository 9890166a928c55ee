// Decodes the note's two 32-byte TCP headers with the book's decoder, exactly
// as `cargo run -q -p listings --example tcp_header` does with no input, and
// checks the handshake relation between them.

use std::process::ExitCode;

use listings::tcp_udp::tcp_header_cli as cli;

// ANCHOR: main
fn main() -> ExitCode {
    cli::decode_all(&cli::note_headers()).emit()
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use listings::tcp_udp::tcp_header_cli as cli;

    #[test]
    fn the_note_dumps_decode_without_errors() {
        let outcome = cli::decode_all(&cli::note_headers());
        assert_eq!((outcome.exit_code, outcome.stderr.as_str()), (0, ""));
        assert!(
            outcome
                .stdout
                .contains("SYN-ACK ack           3869797481 (0xe6a86c69): matches")
        );
    }
}
