//! The book's one rule for output that changes from run to run.
//!
//! Golden files (`*.out` next to a listing) hold a listing's real output after
//! [`normalize`]. They are written by `UPDATE_EXPECT=1 cargo test` and compared
//! by `cargo test` (see `tests/golden.rs`).

use std::sync::LazyLock;

use regex::Regex;

/// `127.0.0.1:43817` → `127.0.0.1:<port>`, the same for `[::1]` and `localhost`.
static ADDRESS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(127\.0\.0\.1|\[::1\]|localhost):\d{1,5}\b").unwrap());

/// `port 43817` or `port=43817` → `port <port>`. Only five-digit numbers:
/// ephemeral ports (Linux: 32768–60999, IANA: 49152–65535), never a
/// well-known port such as `port 53`, which a listing may print on purpose.
static BARE_PORT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bport[ =]\d{5}\b").unwrap());

/// A measured wall-clock duration as `Duration`'s `Debug` prints it with a
/// fraction (`1.234567ms`, `0.5s`) → `<elapsed>`. Whole values such as `1s`
/// are left alone: listings print virtual (paused-clock) times that way.
static ELAPSED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d+\.\d+(ns|µs|us|ms|s)\b").unwrap());

/// Normalises one run's output so that it can be compared with a golden file.
pub fn normalize(output: &str) -> String {
    let s = ADDRESS.replace_all(output, "$1:<port>");
    let s = BARE_PORT.replace_all(&s, "port <port>");
    let s = ELAPSED.replace_all(&s, "<elapsed>");
    s.into_owned()
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn ports_and_timings_are_normalised() {
        let raw = "listening on 127.0.0.1:40213, peer [::1]:5 port 48080 took 1.25ms\n";
        assert_eq!(
            normalize(raw),
            "listening on 127.0.0.1:<port>, peer [::1]:<port> port <port> took <elapsed>\n"
        );
        assert_eq!(normalize("DNS uses port 53\n"), "DNS uses port 53\n");
    }

    #[test]
    fn whole_virtual_durations_are_kept() {
        assert_eq!(normalize("virtual time: 1s\n"), "virtual time: 1s\n");
    }
}
