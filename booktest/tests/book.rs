//! The book's own rules, checked on every `cargo test`.

use std::collections::BTreeSet;

use booktest::{book_root, expanded_chapters, markdown, non_playground_crates, site};

#[test]
fn code_blocks_are_labelled_never_ignored_and_playground_safe() {
    let crates = non_playground_crates().unwrap();
    let mut problems = Vec::new();
    for chapter in expanded_chapters().unwrap() {
        problems.extend(markdown::check_code_blocks(
            &chapter.path,
            &chapter.expanded,
            &crates,
        ));
    }
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "code block rules broken:\n{}",
        report.join("\n")
    );
}

#[test]
fn every_diagram_has_an_accessible_title_and_description() {
    let mut problems = Vec::new();
    for chapter in expanded_chapters().unwrap() {
        problems.extend(booktest::diagrams::check_accessible(
            &chapter.path,
            &chapter.expanded,
        ));
    }
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "diagrams without accTitle/accDescr:\n{}",
        report.join("\n")
    );
}

#[test]
fn every_chapter_of_the_summary_is_doctested() {
    let summary = std::fs::read_to_string(book_root().join("src/SUMMARY.md")).unwrap();
    let summary = mdbook_summary::parse_summary(&summary).unwrap();
    let mut in_summary = BTreeSet::new();
    let mut stack: Vec<&mdbook_summary::SummaryItem> = summary
        .prefix_chapters
        .iter()
        .chain(summary.numbered_chapters.iter())
        .chain(summary.suffix_chapters.iter())
        .collect();
    while let Some(item) = stack.pop() {
        if let mdbook_summary::SummaryItem::Link(link) = item {
            let path = link
                .location
                .as_ref()
                .expect("every chapter has a file (no draft chapters)");
            in_summary.insert(path.to_string_lossy().replace('\\', "/"));
            stack.extend(link.nested_items.iter());
        }
    }
    for (edition, chapters) in [
        ("English", listings::book::DOCTESTED_CHAPTERS),
        ("Chinese", listings::book::DOCTESTED_CHAPTERS_ZH_CN),
    ] {
        let doctested: BTreeSet<String> = chapters.iter().map(|s| s.to_string()).collect();
        let missing: Vec<_> = in_summary.difference(&doctested).collect();
        assert!(
            missing.is_empty(),
            "chapters in SUMMARY.md that rustdoc does not test in the {edition} edition: {missing:?}"
        );
    }
    assert!(
        in_summary.len() > 20,
        "SUMMARY.md parsed to only {} chapters",
        in_summary.len()
    );
}

#[test]
fn vendored_mermaid_is_the_one_mdbook_mermaid_ships() {
    let vendored = std::fs::read(book_root().join("src/assets/mermaid/mermaid.min.js")).unwrap();
    let shipped_path = booktest::crate_source("mdbook-mermaid")
        .unwrap()
        .join("src/bin/assets/mermaid.min.js");
    let shipped = std::fs::read(&shipped_path).unwrap();
    assert!(
        vendored == shipped,
        "src/assets/mermaid/mermaid.min.js differs from {}; run `cargo xtask vendor`",
        shipped_path.display()
    );
    assert!(
        String::from_utf8_lossy(&vendored).contains("\"11.6.0\""),
        "mermaid is not 11.6.0"
    );
}

#[test]
fn vendored_katex_css_is_the_version_mdbook_katex_renders_with() {
    let rendered_with = std::fs::read_to_string(
        booktest::crate_source("katex")
            .unwrap()
            .join("KATEX-VERSION"),
    )
    .unwrap();
    let rendered_with = rendered_with.trim().trim_start_matches('v');
    let css = std::fs::read_to_string(book_root().join("src/assets/katex/katex.min.css")).unwrap();
    assert!(
        css.contains("KaTeX_Main") && css.contains(rendered_with),
        "src/assets/katex/katex.min.css is not KaTeX {rendered_with}; set [vendor] katex in tools.toml and run `cargo xtask vendor`"
    );
    let tools = std::fs::read_to_string(book_root().join("tools.toml")).unwrap();
    assert!(
        tools.contains(&format!("katex = \"{rendered_with}\"")),
        "tools.toml pins another KaTeX than {rendered_with}"
    );
}

#[test]
fn rendered_site_is_complete_and_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, katex_log) = site::render(tmp.path()).unwrap();
    let problems = site::rendered_problems(&out, &katex_log, "en").unwrap();
    assert!(
        problems.is_empty(),
        "the rendered book has problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_fence_label_is_highlighted_by_the_books_highlight_js() {
    let js = std::fs::read_to_string(book_root().join("theme/highlight.js")).unwrap();
    let highlighted = booktest::light::highlighted_labels(&js);
    let mut problems = Vec::new();
    for chapter in expanded_chapters().unwrap() {
        problems.extend(booktest::light::check_fence_labels(
            &chapter.path,
            &chapter.expanded,
            &highlighted,
        ));
    }
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn books_highlight_js_is_mdbooks_with_fewer_languages() {
    let ours = std::fs::read_to_string(book_root().join("theme/highlight.js")).unwrap();
    let shipped = booktest::crate_source("mdbook-html")
        .unwrap()
        .join("front-end/js/highlight.js");
    let shipped = std::fs::read_to_string(shipped).unwrap();
    let problems = booktest::light::check_highlight_is_mdbooks(&ours, &shipped);
    assert!(
        problems.is_empty(),
        "{}; run `cargo xtask vendor`",
        problems.join("\n")
    );
}
