//! Checks of the rendered book's citations (the `citations` preprocessor's
//! output, and anything written by hand). They fail on:
//! - an RFC citation ("RFC 9293", "Rust RFC 2394") in the text that is not a link;
//! - an erratum reference ("erratum I-2", in Chinese "勘误 I-2") in the text
//!   that is not a link;
//! - a link to the RFC Editor that is not of the form
//!   `https://www.rfc-editor.org/rfc/rfcN.html[#section-S]`, or whose text
//!   ("RFC 9293 §3.6", "§3.6") names another RFC or section than its target;
//! - a Rust RFC link that is not `https://github.com/rust-lang/rfcs/pull/N`
//!   for the number its text names;
//! - an entry of the References appendix without a link.
//!
//! Text in code, headings (whose text is already a link to themselves),
//! scripts and diagrams is not prose and is not checked for citations.
//! Whether an erratum link's `#erratum-…` anchor exists is checked with every
//! other internal link by [`crate::site::Site::check_links`].

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use crate::site::Site;

/// The page of the References appendix, every entry of which must link.
pub const REFERENCES_PAGE: &str = "appendix/references.html";

static PLAIN_CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bRFC\s+[1-9][0-9]*|(?:\b[Ee]rrat(?:um|a)\s+|勘误\s*)[IVX]+-[0-9]+").unwrap()
});
static IETF_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(::citations::RFC_URL_PATTERN).unwrap());
static RUST_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(::citations::RUST_RFC_URL_PATTERN).unwrap());
static RFC_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(Rust\s+)?RFC\s+([1-9][0-9]*)(?:\s+§\s?([0-9A-Z]+(?:\.[0-9]+)*))?$").unwrap()
});
static SECTION_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^§\s?([0-9A-Z]+(?:\.[0-9]+)*)$").unwrap());

/// Every problem of every page (print.html repeats the chapters and is skipped).
pub fn check(site: &Site) -> Vec<String> {
    let mut problems = Vec::new();
    for name in site.page_names() {
        if name == "print.html" {
            continue;
        }
        let html = site.page(name).unwrap();
        problems.extend(unlinked_citations(name, html));
        problems.extend(link_forms(name, html));
    }
    match site.page(REFERENCES_PAGE) {
        Some(html) => problems.extend(references_without_links(REFERENCES_PAGE, html)),
        None => problems.push(format!("{REFERENCES_PAGE} was not rendered")),
    }
    problems
}

/// Citations in prose outside any link.
pub fn unlinked_citations(page: &str, html: &Html) -> Vec<String> {
    let mut problems = Vec::new();
    for node in html.tree.nodes() {
        let scraper::Node::Text(text) = node.value() else {
            continue;
        };
        let outside_prose = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|e| {
                matches!(
                    e.name(),
                    "a" | "code"
                        | "pre"
                        | "script"
                        | "style"
                        | "title"
                        | "noscript"
                        | "svg"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                )
            })
        });
        if outside_prose {
            continue;
        }
        for m in PLAIN_CITATION.find_iter(text) {
            problems.push(format!(
                "{page}: \"{}\" is a citation but not a link",
                m.as_str()
            ));
        }
    }
    problems
}

/// Links to RFCs whose target does not have the expected form or does not
/// match their text.
pub fn link_forms(page: &str, html: &Html) -> Vec<String> {
    let anchors = Selector::parse("a[href]").unwrap();
    let mut problems = Vec::new();
    for a in html.select(&anchors) {
        let href = a.value().attr("href").unwrap();
        let text = squash(&a);
        let ietf = IETF_URL.captures(href);
        if href.contains("rfc-editor.org") && ietf.is_none() {
            problems.push(format!(
                "{page}: <a href=\"{href}\"> is not of the form https://www.rfc-editor.org/rfc/rfcN.html#section-S"
            ));
            continue;
        }
        if let Some(cap) = RFC_TEXT.captures(&text) {
            let number = &cap[2];
            let section = cap.get(3).map(|m| m.as_str());
            let rust = RUST_URL.captures(href).is_some_and(|u| &u[1] == number);
            let ok = if cap.get(1).is_some() {
                rust
            } else {
                // A plain "RFC 2592" after "Rust RFC 2394" in the same
                // sentence is a Rust RFC too.
                (rust && section.is_none())
                    || ietf
                        .as_ref()
                        .is_some_and(|u| &u[1] == number && u.get(2).map(|m| m.as_str()) == section)
            };
            if !ok {
                problems.push(format!(
                    "{page}: the link \"{text}\" points to {href}, not to that RFC{}",
                    if section.is_some() { " section" } else { "" }
                ));
            }
        } else if let (Some(cap), Some(url)) = (SECTION_TEXT.captures(&text), ietf.as_ref())
            && url.get(2).map(|m| m.as_str()) != Some(&cap[1])
        {
            problems.push(format!(
                "{page}: the link \"{text}\" points to {href}, another section"
            ));
        }
    }
    problems
}

/// Entries (list items) of the References appendix without a link.
pub fn references_without_links(page: &str, html: &Html) -> Vec<String> {
    let items = Selector::parse("main li").unwrap();
    let links = Selector::parse("a[href]").unwrap();
    let mut problems = Vec::new();
    let mut count = 0;
    for li in html.select(&items) {
        count += 1;
        if li.select(&links).next().is_none() {
            problems.push(format!(
                "{page}: the reference \"{}\" has no link",
                squash(&li)
            ));
        }
    }
    if count == 0 {
        problems.push(format!("{page}: no reference entries found"));
    }
    problems
}

fn squash(el: &ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Html {
        Html::parse_document(&format!("<html><body><main>{body}</main></body></html>"))
    }

    #[test]
    fn a_plain_rfc_citation_fails_but_code_headings_and_links_do_not() {
        let html = doc(concat!(
            "<h2 id='x'><a class='header' href='#x'>Where smoltcp differs from RFC 9293</a></h2>",
            "<p>As <a href='https://www.rfc-editor.org/rfc/rfc9293.html#section-3.6'>RFC 9293 §3.6</a> says, ",
            "and RFC 768 too.</p><pre><code>RFC 791</code></pre><p><code>RFC 792</code></p>"
        ));
        let p = unlinked_citations("a.html", &html);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("RFC 768"), "{p:?}");
    }

    #[test]
    fn a_plain_erratum_reference_fails() {
        let html = doc(
            "<p>See erratum I-2, and <a href='../appendix/errata.html#erratum-I-3'>I-3</a>.</p>",
        );
        let p = unlinked_citations("a.html", &html);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("erratum I-2"), "{p:?}");
        let html = doc("<p>见勘误 I-2。</p>");
        let p = unlinked_citations("zh.html", &html);
        assert_eq!(p.len(), 1, "{p:?}");
    }

    #[test]
    fn rfc_links_of_the_wrong_form_or_target_fail() {
        let html = doc(concat!(
            "<a href='https://www.rfc-editor.org/rfc/rfc9293.html#section-3.6'>RFC 9293 §3.6</a>",
            "<a href='https://www.rfc-editor.org/rfc/rfc9293.html#section-3.6'>§3.6</a>",
            "<a href='https://www.rfc-editor.org/rfc/rfc768.html'>RFC 768</a>",
            "<a href='https://github.com/rust-lang/rfcs/pull/2394'>Rust RFC 2394</a>",
            "<a href='https://github.com/rust-lang/rfcs/pull/2592'>RFC 2592</a>",
            // wrong: other section, other RFC, old form, another host, Rust RFC to the IETF
            "<a href='https://www.rfc-editor.org/rfc/rfc9293.html#section-3.5'>RFC 9293 §3.6</a>",
            "<a href='https://www.rfc-editor.org/rfc/rfc793.html'>RFC 9293</a>",
            "<a href='https://www.rfc-editor.org/rfc/rfc9293.txt'>RFC 9293</a>",
            "<a href='https://datatracker.ietf.org/doc/html/rfc9293'>RFC 9293</a>",
            "<a href='https://www.rfc-editor.org/rfc/rfc2394.html'>Rust RFC 2394</a>",
            "<a href='https://github.com/rust-lang/rfcs/pull/2593'>RFC 2592</a>",
            "<a href='https://www.rfc-editor.org/rfc/rfc9293.html#section-3.4'>§3.6</a>",
        ));
        let p = link_forms("a.html", &html);
        assert_eq!(p.len(), 7, "{p:#?}");
    }

    #[test]
    fn a_reference_without_a_link_fails() {
        let html = doc(
            "<ul><li><a href='https://www.rfc-editor.org/rfc/rfc768.html'>RFC 768</a>, UDP.</li><li>Knuth, TAOCP.</li></ul>",
        );
        let p = references_without_links("r.html", &html);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("Knuth"), "{p:?}");
        assert_eq!(
            references_without_links("r.html", &doc("<p>none</p>")).len(),
            1
        );
    }
}
