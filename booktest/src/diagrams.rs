//! Every mermaid diagram carries an accessible title and description
//! (`accTitle:` and `accDescr:` lines, which mermaid turns into the SVG's
//! `<title>` and `<desc>`), so a screen reader has something to say.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::markdown::Problem;

/// The mermaid fences of one chapter (expanded markdown) that lack an
/// `accTitle:` or an `accDescr:` line.
pub fn check_accessible(chapter: &str, markdown: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(markdown, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.trim() == "mermaid" =>
            {
                let line = markdown[..range.start].matches('\n').count() + 1;
                current = Some((line, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, body)) = current.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((line, body)) = current.take() {
                    for key in ["accTitle", "accDescr"] {
                        let present = body.lines().any(|l| {
                            l.trim_start().strip_prefix(key).is_some_and(|rest| {
                                let rest = rest.trim_start();
                                rest.starts_with(':') && !rest[1..].trim().is_empty()
                                    || rest.starts_with('{')
                            })
                        });
                        if !present {
                            problems.push(Problem {
                                chapter: chapter.to_owned(),
                                line,
                                message: format!(
                                    "mermaid diagram without `{key}:` (a screen reader's title and description of the diagram)"
                                ),
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagram_without_title_or_description_fails() {
        let md = "# T\n\n```mermaid\nsequenceDiagram\n    A->>B: hi\n```\n\n```mermaid\nflowchart LR\n    accTitle: Two boxes\n    accDescr:\n    a --> b\n```\n";
        let p = check_accessible("x.md", md);
        let got: Vec<(usize, bool)> = p
            .iter()
            .map(|p| (p.line, p.message.contains("accTitle")))
            .collect();
        assert_eq!(got, [(3, true), (3, false), (8, false)], "{p:?}");
    }

    #[test]
    fn a_described_diagram_passes() {
        let md = "```mermaid\nsequenceDiagram\n    accTitle: A greets B\n    accDescr: A sends one message, hi, to B.\n    A->>B: hi\n```\n\n```mermaid\npacket-beta\n  accTitle: Header\n  accDescr {\n    Two fields.\n  }\n  0-15: \"a\"\n```\n";
        assert!(check_accessible("x.md", md).is_empty());
    }
}
