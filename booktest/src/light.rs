//! Light pages (issue 16): the book's own highlight.js and KaTeX's stylesheet
//! only where it is needed.
//!
//! - `theme/highlight.js` holds only the languages the book's fences use
//!   (`cargo xtask vendor`); [`check_fence_labels`] fails on a fence whose
//!   label none of them answers to, which would otherwise show unhighlighted
//!   with a console warning.
//! - Each piece of `theme/highlight.js` (the core, each language) must be the
//!   same bytes as in mdBook's own copy ([`check_highlight_is_mdbooks`]), so
//!   `book.js` works with it and code looks as with stock mdBook.
//! - `theme/head.hbs` links KaTeX's stylesheet on the pages it lists;
//!   [`check_katex_css`] fails unless those are exactly the pages with math.

use std::collections::BTreeSet;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use regex::Regex;
use scraper::Selector;

use crate::markdown::Problem;
use crate::site::Site;

/// Fence labels that need no highlighter: mdbook-mermaid turns `mermaid`
/// fences into diagrams, and highlight.js skips `no-highlight` by itself.
pub const NOT_HIGHLIGHTED: &[&str] = &["mermaid", "no-highlight", "nohighlight"];

/// The core of a highlight.js browser build and its
/// `hljs.registerLanguage("name", ...)` blocks, in file order.
pub fn split_highlight(js: &str) -> (&str, Vec<(String, &str)>) {
    const MARK: &str = "hljs.registerLanguage(\"";
    let starts: Vec<usize> = js.match_indices(MARK).map(|(i, _)| i).collect();
    let core_end = starts.first().copied().unwrap_or(js.len());
    let languages = starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(js.len());
            let block = &js[start..end];
            let name = block[MARK.len()..].split('"').next().unwrap_or_default();
            (name.to_owned(), block)
        })
        .collect();
    (&js[..core_end], languages)
}

/// Every fence label `theme/highlight.js` highlights: each registered
/// language's name and its `aliases`.
pub fn highlighted_labels(js: &str) -> BTreeSet<String> {
    let aliases = Regex::new(r#"aliases:\[([^\]]*)\]"#).unwrap();
    let quoted = Regex::new(r#""([^"]+)""#).unwrap();
    let mut labels = BTreeSet::new();
    for (name, block) in split_highlight(js).1 {
        labels.insert(name);
        // A language's own aliases come first; later `aliases:` in a block
        // belong to sub-languages it embeds, which it highlights too.
        for list in aliases.captures_iter(block) {
            labels.extend(quoted.captures_iter(&list[1]).map(|q| q[1].to_owned()));
        }
    }
    labels
}

/// The label of each fenced code block (the info string's first word), with its line.
pub fn fence_labels(markdown: &str) -> Vec<(usize, String)> {
    Parser::new_ext(markdown, Options::all())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let label = info
                    .split([',', ' '])
                    .map(str::trim)
                    .find(|w| !w.is_empty())?
                    .to_owned();
                let line = markdown[..range.start].matches('\n').count() + 1;
                Some((line, label))
            }
            _ => None,
        })
        .collect()
}

/// Fails on a fence whose label the book's highlight.js does not highlight.
pub fn check_fence_labels(
    chapter: &str,
    markdown: &str,
    highlighted: &BTreeSet<String>,
) -> Vec<Problem> {
    fence_labels(markdown)
        .into_iter()
        .filter(|(_, label)| {
            !highlighted.contains(label) && !NOT_HIGHLIGHTED.contains(&label.as_str())
        })
        .map(|(line, label)| Problem {
            chapter: chapter.to_owned(),
            line,
            message: format!(
                "fence label `{label}` is not highlighted by theme/highlight.js (it knows {}); \
                 add its language to HIGHLIGHT_LANGUAGES in xtask/src/vendor.rs and run `cargo xtask vendor`",
                highlighted.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        })
        .collect()
}

/// `ours` must be mdBook's highlight.js with languages left out: the same
/// core, and each language the same bytes as mdBook's.
pub fn check_highlight_is_mdbooks(ours: &str, mdbooks: &str) -> Vec<String> {
    let (core, languages) = split_highlight(ours);
    let (mdbook_core, mdbook_languages) = split_highlight(mdbooks);
    let mut problems = Vec::new();
    if core != mdbook_core {
        problems.push("theme/highlight.js: the core differs from mdBook's highlight.js".to_owned());
    }
    if languages.is_empty() {
        problems.push("theme/highlight.js registers no language".to_owned());
    }
    let registered: BTreeSet<&str> = languages.iter().map(|(n, _)| n.as_str()).collect();
    let sub_language = Regex::new(r#"subLanguage:(?:"([^"]+)"|\[([^\]]*)\])"#).unwrap();
    for (name, block) in &languages {
        for caps in sub_language.captures_iter(block) {
            let list = caps.get(1).or(caps.get(2)).unwrap().as_str();
            for needed in list.split(',').map(|n| n.trim_matches(['"', ' '])) {
                if !registered.contains(needed) {
                    problems.push(format!(
                        "theme/highlight.js: `{name}` highlights parts of a block as `{needed}`, which is left out"
                    ));
                }
            }
        }
    }
    for (name, block) in languages {
        match mdbook_languages.iter().find(|(n, _)| *n == name) {
            Some((_, shipped)) if shipped.trim() == block.trim() => {}
            Some(_) => problems.push(format!(
                "theme/highlight.js: `{name}` differs from mdBook's"
            )),
            None => problems.push(format!(
                "theme/highlight.js: mdBook's highlight.js has no `{name}`"
            )),
        }
    }
    problems
}

/// Every page with KaTeX output links KaTeX's stylesheet, and no other page does.
pub fn check_katex_css(site: &Site) -> Vec<String> {
    let math = Selector::parse(".katex").unwrap();
    let link =
        Selector::parse(r#"link[rel="stylesheet"][href$="assets/katex/katex.min.css"]"#).unwrap();
    let mut problems = Vec::new();
    for page in site.page_names() {
        let html = site.page(page).unwrap();
        let has_math = html.select(&math).next().is_some();
        let links = html.select(&link).count();
        match (has_math, links) {
            (true, 1) | (false, 0) => {}
            (true, 0) => problems.push(format!(
                "{page} has math but no KaTeX stylesheet: add its path to the list in theme/head.hbs"
            )),
            (false, _) => problems.push(format!(
                "{page} has no math but loads KaTeX's stylesheet: remove its path from theme/head.hbs"
            )),
            (true, n) => problems.push(format!("{page} links KaTeX's stylesheet {n} times")),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILD: &str = "/* core */var hljs=function(){}();\
hljs.registerLanguage(\"rust\",function(){return{name:\"Rust\",aliases:[\"rs\"]}}());\
hljs.registerLanguage(\"shell\",function(){return{name:\"Shell\",aliases:[\"console\"]}}());\n";

    fn labels() -> BTreeSet<String> {
        highlighted_labels(BUILD)
    }

    #[test]
    fn names_and_aliases_are_highlighted_labels() {
        let want: BTreeSet<String> = ["rust", "rs", "shell", "console"].map(String::from).into();
        assert_eq!(labels(), want);
    }

    #[test]
    fn a_label_without_a_language_is_reported() {
        let md = "Text.\n\n```rust,noplayground\nfn main() {}\n```\n\n```console\n$ ls\n```\n\n\
                  ```mermaid\ngraph LR\n```\n\n```haskell\nmain = pure ()\n```\n";
        let problems = check_fence_labels("x.md", md, &labels());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 15);
        assert!(problems[0].message.contains("`haskell`"));
    }

    #[test]
    fn a_changed_or_foreign_language_is_reported() {
        let mdbooks = BUILD;
        assert!(check_highlight_is_mdbooks(BUILD, mdbooks).is_empty());
        let changed = BUILD.replace("aliases:[\"rs\"]", "aliases:[\"rs\",\"rust2\"]");
        let problems = check_highlight_is_mdbooks(&changed, mdbooks);
        assert_eq!(
            problems,
            ["theme/highlight.js: `rust` differs from mdBook's"]
        );
        let foreign = format!("{BUILD}hljs.registerLanguage(\"zig\",function(){{}}());");
        assert_eq!(check_highlight_is_mdbooks(&foreign, mdbooks).len(), 1);
        let core = BUILD.replace("/* core */", "/* patched */");
        assert_eq!(check_highlight_is_mdbooks(&core, mdbooks).len(), 1);
    }

    #[test]
    fn a_missing_sub_language_is_reported() {
        let mdbooks = BUILD.replace(
            "aliases:[\"console\"]",
            "aliases:[\"console\"],subLanguage:\"bash\"",
        );
        let problems = check_highlight_is_mdbooks(&mdbooks, &mdbooks);
        assert_eq!(
            problems,
            [
                "theme/highlight.js: `shell` highlights parts of a block as `bash`, which is left out"
            ]
        );
    }

    #[test]
    fn katex_stylesheet_must_match_the_math_pages() {
        let link = r#"<link rel="stylesheet" href="../assets/katex/katex.min.css">"#;
        let math = r#"<span class="katex">x</span>"#;
        let a = format!("<html><head>{link}</head><body>{math}</body></html>");
        let b = format!("<html><head></head><body>{math}</body></html>");
        let c = format!("<html><head>{link}</head><body>plain</body></html>");
        let d = "<html><head></head><body>plain</body></html>";
        let site = Site::from_pages(
            std::path::Path::new("/site"),
            &[
                ("a.html", &a),
                ("b.html", &b),
                ("c.html", &c),
                ("d.html", d),
            ],
        );
        let problems = check_katex_css(&site);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("b.html has math but no KaTeX stylesheet"));
        assert!(problems[1].starts_with("c.html has no math"));
    }
}
