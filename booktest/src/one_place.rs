//! The README says some things live in one place: the hex parser, the
//! Internet checksum, the `/proc` reader, the table writer. [`Rule`]s name
//! each such thing by a pattern that only its definition (or its use of the
//! OS) matches, and the one file allowed to hold it; [`violations`] lists
//! every other Rust file of the book that matches.

use regex::Regex;

/// One thing that has one home.
pub struct Rule {
    /// What it is, for messages.
    pub what: &'static str,
    /// A regex that matches its definition.
    pub pattern: &'static str,
    /// The one file (path relative to the book root) that may match.
    pub home: &'static str,
    /// The files the rule covers: paths that start with this.
    pub scope: &'static str,
}

/// The README's "one place" claims about code.
pub const RULES: [Rule; 4] = [
    Rule {
        what: "a hex parser",
        pattern: r"fn\s+(parse_hex|from_hex|hex_to_bytes|decode_hex)\b",
        home: "packetlab/src/hex.rs",
        scope: "",
    },
    Rule {
        what: "a one's complement sum",
        pattern: r"fn\s+\w*(ones_complement|internet_checksum)\w*",
        home: "listings/src/networks/checksum.rs",
        scope: "",
    },
    Rule {
        what: "a /proc reader",
        pattern: r#"read_to_string\(\s*(format!\()?"/proc/"#,
        home: "listings/src/procfs.rs",
        // A listing may read the one /proc file it teaches about; shared
        // code goes through `procfs`.
        scope: "listings/src/",
    },
    Rule {
        what: "a text table writer",
        pattern: r"fn\s+\w*(widths|column_widths)\b",
        home: "packetlab/src/table.rs",
        scope: "",
    },
];

/// Every file of `files` (path, text) that matches a rule outside its home.
pub fn violations(files: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for rule in &RULES {
        let re = Regex::new(rule.pattern).expect("rule patterns are valid");
        for (path, text) in files {
            // An exercise asks the reader to write the thing again: that copy
            // is the point.
            if path.contains("/exercises/") {
                continue;
            }
            if path.starts_with(rule.scope) && path != rule.home && re.is_match(text) {
                found.push(format!(
                    "{path}: {} outside {}, the one place for it",
                    rule.what, rule.home
                ));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> (String, String) {
        (path.to_owned(), text.to_owned())
    }

    #[test]
    fn a_second_copy_is_found_and_the_home_is_not() {
        let files = [
            file("packetlab/src/hex.rs", "pub fn parse_hex(text: &str) {}"),
            file(
                "listings/tcp-udp/x.rs",
                "fn from_hex(t: &str) -> Vec<u8> {}",
            ),
            file("listings/src/a.rs", "fn ones_complement_sum(sum: u32) {}"),
            file(
                "listings/src/b.rs",
                r#"std::fs::read_to_string(format!("/proc/{pid}/status"))"#,
            ),
            file("listings/src/c.rs", "fn column_widths(rows: &[Row]) {}"),
            file(
                "listings/src/d.rs",
                "use listings::hex::parse_hex; parse_hex(x)",
            ),
            file("listings/x/y.rs", r#"read_to_string("/proc/net/tcp")"#),
            file(
                "listings/networks/exercises/c.rs",
                "pub fn internet_checksum() {}",
            ),
        ];
        let found = violations(&files);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].starts_with("listings/tcp-udp/x.rs: a hex parser"));
    }
}
