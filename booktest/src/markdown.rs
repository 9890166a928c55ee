//! Rules for code blocks in the book's markdown.
//!
//! rustdoc compiles an unlabelled fence and a four-space-indented block as
//! Rust, so every other block must carry a label. `ignore` hides a sample from
//! the tests, so it is never allowed. A block that uses a crate the Rust
//! playground may not have must switch the playground button off.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use regex::Regex;

/// One broken rule, with the chapter and the line of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub chapter: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "src/{}:{}: {}", self.chapter, self.line, self.message)
    }
}

/// Checks every code block of one chapter (expanded markdown).
pub fn check_code_blocks(
    chapter: &str,
    markdown: &str,
    non_playground_crates: &[String],
) -> Vec<Problem> {
    let uses_crate = crate_use_pattern(non_playground_crates);
    let error_code = Regex::new(r"^E\d{4}$").unwrap();
    let mut problems = Vec::new();
    let mut current: Option<(usize, String, String)> = None;
    let parser = Parser::new_ext(markdown, Options::all()).into_offset_iter();
    for (event, range) in parser {
        let line = markdown[..range.start].matches('\n').count() + 1;
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Indented => {
                        problems.push(problem(chapter, line, "indented code block: rustdoc compiles it as Rust; use a labelled fence"));
                        String::from("<indented>")
                    }
                    CodeBlockKind::Fenced(info) => info.trim().to_owned(),
                };
                if info.is_empty() {
                    problems.push(problem(chapter, line, "unlabelled fence: rustdoc compiles it as Rust; label it (text, console, mermaid, ...)"));
                }
                current = Some((line, info, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, _, body)) = current.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some((line, info, body)) = current.take() {
                    check_rust_block(
                        chapter,
                        line,
                        &info,
                        &body,
                        &uses_crate,
                        &error_code,
                        &mut problems,
                    );
                }
            }
            _ => {}
        }
    }
    problems
}

fn check_rust_block(
    chapter: &str,
    line: usize,
    info: &str,
    body: &str,
    uses_crate: &Option<Regex>,
    error_code: &Regex,
    problems: &mut Vec<Problem>,
) {
    let attrs: Vec<&str> = info
        .split([',', ' '])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    if attrs.contains(&"ignore") || attrs.iter().any(|a| a.starts_with("ignore-")) {
        problems.push(problem(chapter, line, "`ignore` hides a sample from `cargo test`; make it run, or `compile_fail` with its error code"));
    }
    let is_rust = attrs.first().is_some_and(|lang| *lang == "rust");
    if !is_rust {
        return;
    }
    if attrs.contains(&"compile_fail") && !attrs.iter().any(|a| error_code.is_match(a)) {
        problems.push(problem(
            chapter,
            line,
            "`compile_fail` must name the error code it shows, e.g. `rust,compile_fail,E0499`",
        ));
    }
    if let Some(pattern) = uses_crate
        && let Some(found) = pattern.captures(body)
        && !attrs.contains(&"noplayground")
        && !attrs.contains(&"compile_fail")
    {
        problems.push(problem(
            chapter,
            line,
            &format!(
                "uses `{}`, which the playground lacks: mark the block `rust,noplayground`",
                &found[1]
            ),
        ));
    }
}

fn crate_use_pattern(crates: &[String]) -> Option<Regex> {
    if crates.is_empty() {
        return None;
    }
    let names: Vec<String> = crates.iter().map(|c| regex::escape(c)).collect();
    Some(Regex::new(&format!(r"(?m)(?:^|[^\w:])({})::", names.join("|"))).unwrap())
}

fn problem(chapter: &str, line: usize, message: &str) -> Problem {
    Problem {
        chapter: chapter.to_owned(),
        line,
        message: message.to_owned(),
    }
}

/// How many mermaid fences a chapter holds; each must become a diagram.
pub fn count_mermaid_fences(markdown: &str) -> usize {
    Parser::new_ext(markdown, Options::all())
        .filter(|e| matches!(e, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "mermaid"))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crates() -> Vec<String> {
        vec!["listings".into(), "etherparse".into()]
    }

    #[test]
    fn an_unlabelled_fence_fails() {
        let md = "# T\n\n```\nnot rust\n```\n";
        let p = check_code_blocks("x.md", md, &crates());
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("unlabelled fence"));
        assert_eq!(p[0].line, 3);
    }

    #[test]
    fn an_indented_block_fails() {
        let md = "# T\n\nText.\n\n    let x = 1;\n";
        let p = check_code_blocks("x.md", md, &crates());
        assert!(p.iter().any(|p| p.message.contains("indented")), "{p:?}");
    }

    #[test]
    fn ignore_fails_and_compile_fail_needs_a_code() {
        let md = "```rust,ignore\nfn main() {}\n```\n\n```rust,compile_fail\nfn main() { x }\n```\n\n```rust,compile_fail,E0425\nfn main() { x }\n```\n";
        let p = check_code_blocks("x.md", md, &crates());
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].message.contains("ignore"));
        assert!(p[1].message.contains("error code"));
    }

    #[test]
    fn other_crates_need_noplayground() {
        let md = "```rust\nuse listings::networks;\nfn main() {}\n```\n\n```rust,noplayground\nfn main() { etherparse::TcpHeader::default(); }\n```\n\n```rust\nfn main() { tokio::spawn(async {}); std::mem::drop(1); }\n```\n";
        let p = check_code_blocks("x.md", md, &crates());
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("listings"));
    }

    #[test]
    fn labelled_blocks_pass() {
        let md = "```text\nx\n```\n\n```mermaid\nsequenceDiagram\nA->>B: hi\n```\n\n```rust\nfn main() {}\n```\n";
        assert!(check_code_blocks("x.md", md, &crates()).is_empty());
        assert_eq!(count_mermaid_fences(md), 1);
    }
}
