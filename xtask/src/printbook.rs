//! `print.html` as a book: mdBook writes every chapter one after the other,
//! each starting with an `<h1>`, with no part titles and no contents. For the
//! printed book and the PDF's outline (bookmarks), `cargo xtask build` adds
//! a contents list and the part titles of `SUMMARY.md` as `<h1>`, and moves
//! every chapter's headings down one level per part and per nesting level,
//! so that the outline reads part > chapter > section.

use std::fmt::Write as _;

use anyhow::{Context, bail};
use mdbook_summary::{SummaryItem, parse_summary};
use regex::{Captures, Regex};

use crate::Result;

/// One line of `SUMMARY.md`, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Part(String),
    Chapter { title: String, depth: usize },
}

/// The parts and chapters of `SUMMARY.md`, in order, as mdBook reads them.
pub fn entries(summary: &str) -> Result<Vec<Entry>> {
    let summary = parse_summary(summary).context("parsing SUMMARY.md")?;
    fn walk(items: &[SummaryItem], depth: usize, out: &mut Vec<Entry>) {
        for item in items {
            match item {
                SummaryItem::PartTitle(title) => out.push(Entry::Part(title.clone())),
                SummaryItem::Link(link) if link.location.is_some() => {
                    out.push(Entry::Chapter {
                        title: link.name.clone(),
                        depth,
                    });
                    walk(&link.nested_items, depth + 1, out);
                }
                // Separators, draft chapters, and whatever a later mdBook adds.
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&summary.prefix_chapters, 0, &mut out);
    walk(&summary.numbered_chapters, 0, &mut out);
    walk(&summary.suffix_chapters, 0, &mut out);
    Ok(out)
}

/// What mdBook puts between two chapters of `print.html`.
const BREAK: &str = r#"<div style="break-before: page; page-break-before: always;"></div>"#;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Rewrites `print.html` (see the module docs).
pub fn restructure(html: &str, entries: &[Entry]) -> Result<String> {
    let (Some(start), Some(end)) = (html.find("<main>"), html.find("</main>")) else {
        bail!("print.html has no <main> element");
    };
    let start = start + "<main>".len();
    let chapters: Vec<&str> = html[start..end].split(BREAK).collect();
    let wanted = entries
        .iter()
        .filter(|e| matches!(e, Entry::Chapter { .. }))
        .count();
    if chapters.len() != wanted {
        bail!(
            "print.html holds {} chapters, SUMMARY.md lists {wanted}",
            chapters.len()
        );
    }
    let heading = Regex::new(r"<(/?)h([1-6])([ >])").unwrap();
    let first_id = Regex::new(r#"<h\d id="([^"]+)""#).unwrap();
    let any_part = entries.iter().any(|e| matches!(e, Entry::Part(_)));

    let mut contents = String::from(
        "<nav class=\"print-contents\" aria-labelledby=\"print-contents\"><h2 id=\"print-contents\">Contents</h2><ul>",
    );
    let mut body = String::new();
    let mut next = chapters.iter();
    let mut part_open = false;
    let mut pending_part: Option<(usize, &str)> = None;
    let mut parts = 0;
    for entry in entries {
        match entry {
            Entry::Part(title) => {
                parts += 1;
                pending_part = Some((parts, title));
                if part_open {
                    contents.push_str("</ul></li>");
                }
                let _ = write!(
                    contents,
                    "<li class=\"part\"><a href=\"#part-{parts}\">{}</a><ul>",
                    escape(title)
                );
                part_open = true;
            }
            Entry::Chapter { title, depth } => {
                let chapter = next.next().expect("counted above");
                let shift = depth + usize::from(any_part);
                let moved = heading.replace_all(chapter, |c: &Captures| {
                    let level = (c[2].parse::<usize>().unwrap() + shift).min(6);
                    format!("<{}h{level}{}", &c[1], &c[3])
                });
                body.push_str(BREAK);
                if let Some((n, title)) = pending_part.take() {
                    let _ = write!(
                        body,
                        "<h1 class=\"part-title\" id=\"part-{n}\">{}</h1>",
                        escape(title)
                    );
                }
                body.push_str(&moved);
                let id = first_id
                    .captures(chapter)
                    .map(|c| c[1].to_owned())
                    .unwrap_or_default();
                let _ = write!(
                    contents,
                    "<li class=\"depth-{depth}\"><a href=\"#{id}\">{}</a></li>",
                    escape(title)
                );
            }
        }
    }
    if part_open {
        contents.push_str("</ul></li>");
    }
    contents.push_str("</ul></nav>");
    Ok(format!(
        "{}{contents}{body}{}",
        &html[..start],
        &html[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "# Summary\n\n[Intro](intro.md)\n\n# Part One\n\n- [A `x`](a.md)\n    - [B](b.md)\n\n# Appendix\n\n- [C](c.md)\n";

    fn page(chapters: &[&str]) -> String {
        format!("<html><main>{}</main></html>", chapters.join(BREAK))
    }

    #[test]
    fn entries_follow_the_summary() {
        let e = entries(SUMMARY).unwrap();
        let ch = |t: &str, depth| Entry::Chapter {
            title: t.into(),
            depth,
        };
        assert_eq!(
            e,
            [
                ch("Intro", 0),
                Entry::Part("Part One".into()),
                ch("A x", 0),
                ch("B", 1),
                Entry::Part("Appendix".into()),
                ch("C", 0),
            ]
        );
    }

    #[test]
    fn parts_are_added_and_headings_move_down() {
        let html = page(&[
            "<h1 id=\"intro\">Intro</h1>",
            "<h1 id=\"a\">A</h1><h2 id=\"a1\">A1</h2>",
            "<h1 id=\"b\">B</h1>",
            "<h1 id=\"c\">C</h1>",
        ]);
        let out = restructure(&html, &entries(SUMMARY).unwrap()).unwrap();
        assert!(out.contains("<h2 id=\"intro\">Intro</h2>"), "{out}");
        assert!(out.contains(&format!("{BREAK}<h1 class=\"part-title\" id=\"part-1\">Part One</h1><h2 id=\"a\">A</h2><h3 id=\"a1\">A1</h3>{BREAK}<h3 id=\"b\">B</h3>")), "{out}");
        assert!(
            out.contains("<h1 class=\"part-title\" id=\"part-2\">Appendix</h1><h2 id=\"c\">C</h2>"),
            "{out}"
        );
        assert!(out.contains("<li class=\"part\"><a href=\"#part-1\">Part One</a><ul><li class=\"depth-0\"><a href=\"#a\">A x</a></li><li class=\"depth-1\"><a href=\"#b\">B</a></li></ul></li>"), "{out}");
    }

    #[test]
    fn a_chapter_count_mismatch_fails() {
        let html = page(&["<h1 id=\"intro\">Intro</h1>"]);
        let err = restructure(&html, &entries(SUMMARY).unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("1 chapters, SUMMARY.md lists 4"),
            "{err}"
        );
    }
}
