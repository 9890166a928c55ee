//! The book's own mdBook preprocessor: citations become links, by one rule.
//!
//! - `RFC 9293 §3.6` becomes a link to
//!   `https://www.rfc-editor.org/rfc/rfc9293.html#section-3.6`, `RFC 768` to
//!   `https://www.rfc-editor.org/rfc/rfc768.html`.
//! - A bare `§3.6` links to the section of the RFC the context names: the last
//!   RFC cited earlier in the same paragraph, list item or table cell; for a
//!   table cell, else the one RFC its column header cites; for a list item,
//!   else the last RFC of the paragraph that introduces the list. With no such
//!   RFC (Knuth's "§1.4.2") it stays text.
//! - `Rust RFC 2394` (and a plain `RFC N` after it in the same block) links to
//!   the Rust RFC's pull request, `https://github.com/rust-lang/rfcs/pull/2394`.
//! - `erratum I-2`, `errata I-4 and I-5`, `errata II-1, II-7 and II-10` link to
//!   the rows of the errata appendix (`[preprocessor.citations] errata`,
//!   default `appendix/errata.md`), whose first cells get the anchors
//!   `erratum-I-2`, ... An erratum that is not a row of the appendix is an
//!   error, and so is a duplicated row number. The Chinese edition writes
//!   `勘误 I-2`, `勘误 I-4 和 I-5`, `勘误 II-1、II-7 和 II-10` (po/README.md).
//!
//! Text in code, inline code, headings, existing links, images and raw HTML is
//! left alone. The markdown source keeps its plain citations; the links exist
//! only in the book mdBook renders.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use anyhow::{Context as _, bail};
use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use regex::Regex;

/// The preprocessor's name, the key of its `[preprocessor.citations]` table.
pub const NAME: &str = "citations";

/// The errata appendix when `book.toml` names none.
pub const DEFAULT_ERRATA: &str = "appendix/errata.md";

/// The URL form of every IETF RFC link the book makes, for checks.
pub const RFC_URL_PATTERN: &str = r"^https://www\.rfc-editor\.org/rfc/rfc([1-9][0-9]*)\.html(?:#(?:section|appendix)-([0-9A-Z]+(?:\.[0-9]+)*))?$";

/// The URL form of every Rust RFC link the book makes, for checks.
pub const RUST_RFC_URL_PATTERN: &str = r"^https://github\.com/rust-lang/rfcs/pull/([1-9][0-9]*)$";

const SECTION: &str = r"[0-9]+(?:\.[0-9]+)*|[A-Z](?:\.[0-9]+)*";

static CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<rfc>(?P<rust>\bRust\s+)?\bRFC\s+(?P<num>[1-9][0-9]{{0,4}})\b(?:\s+§\s?(?P<sec>{SECTION})\b)?)|(?P<bare>§\s?(?P<bsec>{SECTION})\b)|(?P<err>(?:\b[Ee]rrat(?:um|a)\s+|勘误\s*)(?P<ids>{ID}(?:(?:,\s*|,?\s+and\s+|,?\s+or\s+|\s*[–-]\s*|\s+to\s+|\s*[、，和或至]\s*){ID})*))",
        ID = ERRATUM_ID,
    ))
    .unwrap()
});

const ERRATUM_ID: &str = r"[IVX]+-[0-9]+";

/// A hyphenated name in capitals (TIME-WAIT, FIN-WAIT-1, I-2): in a table
/// cell it is wrapped in `<span class="nowrap">` so that it never breaks at
/// its hyphen (theme/tables.css).
static HYPHENATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b").unwrap());

static ONE_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(ERRATUM_ID).unwrap());
static WHOLE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*({ERRATUM_ID})\s*$")).unwrap());

/// The rows of the errata appendix that references may point to.
#[derive(Debug, Clone, Default)]
pub struct Errata {
    /// The appendix's path relative to `src/`, e.g. `appendix/errata.md`.
    pub chapter: String,
    /// Every erratum number, e.g. `I-2`.
    pub ids: BTreeSet<String>,
}

impl Errata {
    /// Reads the erratum numbers from the first cells of the appendix's tables.
    pub fn from_markdown(chapter: &str, markdown: &str) -> anyhow::Result<Errata> {
        let mut errata = Errata {
            chapter: chapter.to_owned(),
            ids: BTreeSet::new(),
        };
        let mut scanner = Scanner::new(chapter, markdown, &errata, true);
        scanner.run();
        let found = scanner.anchors;
        for id in found {
            if !errata.ids.insert(id.clone()) {
                bail!("{chapter}: erratum {id} is numbered twice");
            }
        }
        Ok(errata)
    }
}

/// One link the preprocessor made: the text it covers and the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub url: String,
}

/// A chapter after the preprocessor, with the links it made.
#[derive(Debug, Clone)]
pub struct Rewritten {
    pub markdown: String,
    pub links: Vec<Link>,
}

/// Rewrites one chapter (`chapter` is its path relative to `src/`). Errors
/// list every erratum reference that does not resolve.
pub fn rewrite(chapter: &str, markdown: &str, errata: &Errata) -> Result<Rewritten, Vec<String>> {
    let mut scanner = Scanner::new(chapter, markdown, errata, false);
    scanner.run();
    if !scanner.problems.is_empty() {
        return Err(scanner.problems);
    }
    let mut edits = scanner.edits;
    edits.sort_by_key(|e| e.0.start);
    let mut out = String::with_capacity(markdown.len() + edits.len() * 60);
    let mut at = 0;
    for (range, replacement) in &edits {
        out.push_str(&markdown[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&markdown[at..]);
    Ok(Rewritten {
        markdown: out,
        links: scanner.links,
    })
}

/// The preprocessor as mdBook sees it.
pub struct Citations;

impl Preprocessor for Citations {
    fn name(&self) -> &str {
        NAME
    }

    fn run(
        &self,
        ctx: &PreprocessorContext,
        mut book: Book,
    ) -> mdbook_preprocessor::errors::Result<Book> {
        let errata_path = ctx
            .config
            .get::<String>(&format!("preprocessor.{NAME}.errata"))?
            .unwrap_or_else(|| DEFAULT_ERRATA.to_owned());
        let errata = errata_of(&book, &errata_path)?;
        let mut problems = Vec::new();
        book.for_each_chapter_mut(|chapter| {
            let Some(path) = chapter.path.as_ref() else {
                return;
            };
            let path = path.to_string_lossy().replace('\\', "/");
            match rewrite(&path, &chapter.content, &errata) {
                Ok(done) => chapter.content = done.markdown,
                Err(p) => problems.extend(p),
            }
        });
        if !problems.is_empty() {
            bail!("{NAME}: {}", problems.join("\n"));
        }
        Ok(book)
    }
}

fn errata_of(book: &Book, path: &str) -> anyhow::Result<Errata> {
    for item in book.iter() {
        if let BookItem::Chapter(ch) = item
            && ch.path.as_deref() == Some(Path::new(path))
        {
            return Errata::from_markdown(path, &ch.content);
        }
    }
    bail!("{NAME}: the errata appendix {path} is not a chapter of the book")
}

/// Every link the preprocessor would make in the chapters under `root/src`
/// (without `{{#include}}` expansion), as `(chapter, text, url)`.
pub fn list_links(root: &Path) -> anyhow::Result<Vec<(String, String, String)>> {
    let src = root.join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    let errata_text = std::fs::read_to_string(src.join(DEFAULT_ERRATA))?;
    let errata = Errata::from_markdown(DEFAULT_ERRATA, &errata_text)?;
    let mut out = Vec::new();
    for file in files {
        let chapter = file
            .strip_prefix(&src)?
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file)?;
        let done = rewrite(&chapter, &text, &errata).map_err(|p| anyhow::anyhow!(p.join("\n")))?;
        out.extend(
            done.links
                .into_iter()
                .map(|l| (chapter.clone(), l.text, l.url)),
        );
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rfc {
    rust: bool,
    number: u32,
}

impl Rfc {
    fn url(self, section: Option<&str>) -> String {
        if self.rust {
            return format!("https://github.com/rust-lang/rfcs/pull/{}", self.number);
        }
        let base = format!("https://www.rfc-editor.org/rfc/rfc{}.html", self.number);
        match section {
            None => base,
            Some(s) if s.starts_with(|c: char| c.is_ascii_uppercase()) => {
                format!("{base}#appendix-{s}")
            }
            Some(s) => format!("{base}#section-{s}"),
        }
    }
}

struct Scanner<'a> {
    chapter: &'a str,
    source: &'a str,
    errata: &'a Errata,
    /// Only collect the errata appendix's row numbers.
    anchors_only: bool,
    in_errata: bool,

    edits: Vec<(Range<usize>, String)>,
    links: Vec<Link>,
    problems: Vec<String>,
    anchors: Vec<String>,

    run: Option<Range<usize>>,
    /// Depth of code, headings, links, images, raw HTML: text there is left alone.
    skip: usize,
    /// Depth of links only (their text still names the context RFC).
    in_link: usize,
    html_skip: usize,
    ctx: Option<Rfc>,
    container_depth: usize,
    list_leads: Vec<Option<Rfc>>,
    last_paragraph_ctx: Option<Rfc>,
    after_paragraph: bool,
    in_table_head: bool,
    in_cell: usize,
    column: usize,
    header: Vec<Option<Rfc>>,
    cell_rfcs: BTreeSet<(bool, u32)>,
}

impl<'a> Scanner<'a> {
    fn new(chapter: &'a str, source: &'a str, errata: &'a Errata, anchors_only: bool) -> Self {
        Scanner {
            chapter,
            source,
            errata,
            anchors_only,
            in_errata: chapter == errata.chapter,
            edits: Vec::new(),
            links: Vec::new(),
            problems: Vec::new(),
            anchors: Vec::new(),
            run: None,
            skip: 0,
            in_link: 0,
            html_skip: 0,
            ctx: None,
            container_depth: 0,
            list_leads: Vec::new(),
            last_paragraph_ctx: None,
            after_paragraph: false,
            in_table_head: false,
            in_cell: 0,
            column: 0,
            header: Vec::new(),
            cell_rfcs: BTreeSet::new(),
        }
    }

    fn run(&mut self) {
        let parser = new_cmark_parser(self.source, &MarkdownOptions::default()).into_offset_iter();
        for (event, range) in parser {
            match event {
                Event::Text(_) | Event::SoftBreak => {
                    self.run = Some(match self.run.take() {
                        Some(r) => r.start..range.end,
                        None => range,
                    });
                    continue;
                }
                _ => self.flush(),
            }
            let was_after_paragraph = std::mem::take(&mut self.after_paragraph);
            match event {
                Event::Start(tag) => self.start(tag, was_after_paragraph),
                Event::End(tag) => self.end(tag),
                Event::InlineHtml(html) | Event::Html(html) => self.inline_html(&html),
                _ => {}
            }
        }
        self.flush();
    }

    fn start(&mut self, tag: Tag<'_>, was_after_paragraph: bool) {
        match tag {
            Tag::Heading { .. } => {
                self.ctx = None;
                self.skip += 1;
            }
            Tag::CodeBlock(_) | Tag::Image { .. } | Tag::HtmlBlock | Tag::MetadataBlock(_) => {
                self.skip += 1
            }
            Tag::Link { .. } => {
                self.skip += 1;
                self.in_link += 1;
            }
            Tag::Paragraph if self.container_depth == 0 => self.ctx = None,
            Tag::BlockQuote(_) => self.ctx = None,
            Tag::List(_) => {
                let lead = if self.container_depth > 0 {
                    self.ctx
                } else if was_after_paragraph {
                    self.last_paragraph_ctx
                } else {
                    None
                };
                self.list_leads.push(lead);
            }
            Tag::Item => {
                self.container_depth += 1;
                self.ctx = self.list_leads.last().copied().flatten();
            }
            Tag::Table(_) => self.header.clear(),
            Tag::TableHead => {
                self.in_table_head = true;
                self.column = 0;
            }
            Tag::TableRow => self.column = 0,
            Tag::TableCell => {
                self.container_depth += 1;
                self.in_cell += 1;
                self.cell_rfcs.clear();
                self.ctx = if self.in_table_head {
                    None
                } else {
                    self.header.get(self.column).copied().flatten()
                };
            }
            Tag::FootnoteDefinition(_) | Tag::DefinitionListDefinition => {
                self.container_depth += 1;
                self.ctx = None;
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::Image
            | TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_) => self.skip -= 1,
            TagEnd::Link => {
                self.skip -= 1;
                self.in_link -= 1;
            }
            TagEnd::Paragraph => {
                self.last_paragraph_ctx = self.ctx;
                self.after_paragraph = true;
            }
            TagEnd::List(_) => {
                self.list_leads.pop();
            }
            TagEnd::Item | TagEnd::FootnoteDefinition | TagEnd::DefinitionListDefinition => {
                self.container_depth -= 1
            }
            TagEnd::TableHead => self.in_table_head = false,
            TagEnd::TableCell => {
                self.container_depth -= 1;
                self.in_cell -= 1;
                if self.in_table_head {
                    let only = (self.cell_rfcs.len() == 1).then(|| {
                        let &(rust, number) = self.cell_rfcs.iter().next().unwrap();
                        Rfc { rust, number }
                    });
                    if self.header.len() <= self.column {
                        self.header.resize(self.column + 1, None);
                    }
                    self.header[self.column] = only;
                }
                self.column += 1;
            }
            _ => {}
        }
    }

    /// Text inside hand-written `<a>` and `<code>` elements is left alone.
    fn inline_html(&mut self, html: &str) {
        let lower = html.trim().to_ascii_lowercase();
        for (open, close) in [("<a ", "</a>"), ("<code", "</code>"), ("<kbd", "</kbd>")] {
            let opens =
                lower.matches(open).count() + usize::from(open == "<a " && lower.contains("<a>"));
            let closes = lower.matches(close).count();
            self.html_skip = (self.html_skip + opens).saturating_sub(closes);
        }
    }

    fn flush(&mut self) {
        let Some(range) = self.run.take() else {
            return;
        };
        if self.anchors_only {
            if self.in_errata
                && self.column == 0
                && !self.in_table_head
                && self.container_depth > 0
                && self.skip == 0
                && let Some(id) = WHOLE_ID.captures(&self.source[range.clone()])
            {
                self.anchors.push(id[1].to_owned());
            }
            return;
        }
        if self.skip > 0 && self.in_link == 0 {
            return;
        }
        let emit = self.skip == 0 && self.html_skip == 0;
        let text = &self.source[range.clone()];

        // The first cell of an errata row: give it its anchor.
        if emit
            && self.in_errata
            && self.column == 0
            && !self.in_table_head
            && self.container_depth > 0
            && let Some(id) = WHOLE_ID.captures(text)
        {
            let m = id.get(1).unwrap();
            let id = m.as_str();
            let at = range.start + m.start()..range.start + m.end();
            self.edits.push((
                at,
                format!(r##"<a id="erratum-{id}" class="erratum" href="#erratum-{id}">{id}</a>"##),
            ));
            return;
        }

        let edits_before = self.edits.len();
        for cap in CITATION.captures_iter(text) {
            let whole = cap.get(0).unwrap();
            let at = range.start + whole.start()..range.start + whole.end();
            if cap.name("rfc").is_some() {
                let number: u32 = cap["num"].parse().unwrap();
                let rust = cap.name("rust").is_some() || self.ctx.is_some_and(|c| c.rust);
                let rfc = Rfc { rust, number };
                self.ctx = Some(rfc);
                if self.in_table_head {
                    self.cell_rfcs.insert((rust, number));
                }
                if !emit {
                    continue;
                }
                if rust && cap.name("sec").is_some() {
                    // A Rust RFC has no numbered sections to point to: link the RFC.
                    let num = cap.name("num").unwrap();
                    let end = range.start + num.end();
                    self.link(at.start..end, rfc.url(None));
                } else {
                    self.link(at, rfc.url(cap.name("sec").map(|m| m.as_str())));
                }
            } else if cap.name("bare").is_some() {
                if let (true, Some(rfc)) = (emit, self.ctx)
                    && !rfc.rust
                {
                    self.link(at, rfc.url(Some(&cap["bsec"])));
                }
            } else if let Some(ids) = cap.name("ids") {
                for id in ONE_ID.find_iter(ids.as_str()) {
                    let name = id.as_str();
                    if !self.errata.ids.contains(name) {
                        self.problems.push(format!(
                            "{}: \"{}\" names erratum {name}, which is not a row of {}",
                            self.chapter,
                            whole.as_str(),
                            self.errata.chapter
                        ));
                        continue;
                    }
                    if !emit {
                        continue;
                    }
                    let start = range.start + ids.start() + id.start();
                    let url = format!(
                        "{}#erratum-{name}",
                        relative(self.chapter, &self.errata.chapter)
                    );
                    self.link(start..start + name.len(), url);
                }
            }
        }

        if emit && self.in_cell > 0 {
            for m in HYPHENATED.find_iter(text) {
                let at = range.start + m.start()..range.start + m.end();
                let overlaps = self.edits[edits_before..]
                    .iter()
                    .any(|(e, _)| e.start < at.end && at.start < e.end);
                if !overlaps {
                    self.edits
                        .push((at, format!(r#"<span class="nowrap">{}</span>"#, m.as_str())));
                }
            }
        }
    }

    fn link(&mut self, at: Range<usize>, url: String) {
        let text = self.source[at.clone()].to_owned();
        self.edits.push((at, format!("[{text}]({url})")));
        self.links.push(Link { text, url });
    }
}

/// The relative link from one chapter to another (`""` for the same one).
fn relative(from: &str, to: &str) -> String {
    if from == to {
        return String::new();
    }
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errata() -> Errata {
        Errata {
            chapter: "appendix/errata.md".into(),
            ids: ["I-1", "I-2", "I-3", "I-4", "I-5", "II-1", "III-14"]
                .into_iter()
                .map(String::from)
                .collect(),
        }
    }

    fn links(md: &str) -> Vec<(String, String)> {
        rewrite("part/chapter.md", md, &errata())
            .unwrap()
            .links
            .into_iter()
            .map(|l| (l.text, l.url))
            .collect()
    }

    fn md(text: &str) -> String {
        rewrite("part/chapter.md", text, &errata())
            .unwrap()
            .markdown
    }

    const R9293: &str = "https://www.rfc-editor.org/rfc/rfc9293.html";

    #[test]
    fn an_rfc_with_and_without_a_section() {
        assert_eq!(
            md("See RFC 9293 §3.6 and RFC 768."),
            format!(
                "See [RFC 9293 §3.6]({R9293}#section-3.6) and [RFC 768](https://www.rfc-editor.org/rfc/rfc768.html)."
            )
        );
    }

    #[test]
    fn a_sentence_full_stop_is_not_part_of_the_section() {
        assert_eq!(
            links("It is in RFC 1035 §4.1.4.")[0].1,
            "https://www.rfc-editor.org/rfc/rfc1035.html#section-4.1.4"
        );
    }

    #[test]
    fn bare_sections_follow_the_last_rfc_of_the_block() {
        let got =
            links("RFC 9293 §3.5 and §3.6; RFC 6528, §3, folded into RFC 9293 §3.4.1 and §3.10.");
        let urls: Vec<&str> = got.iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                format!("{R9293}#section-3.5"),
                format!("{R9293}#section-3.6"),
                "https://www.rfc-editor.org/rfc/rfc6528.html".into(),
                "https://www.rfc-editor.org/rfc/rfc6528.html#section-3".into(),
                format!("{R9293}#section-3.4.1"),
                format!("{R9293}#section-3.10"),
            ]
        );
    }

    #[test]
    fn a_bare_section_without_an_rfc_stays_text() {
        assert!(links("Knuth, vol. 1, §1.4.2 \"Coroutines\".").is_empty());
        // The context does not leak into the next paragraph.
        assert_eq!(links("RFC 768.\n\nKnuth §1.4.2.").len(), 1);
    }

    #[test]
    fn a_list_inherits_the_rfc_of_its_lead_in_paragraph() {
        let got = links(
            "RFC 6298 sets the timer:\n\n- first (§2.2 and §2.3);\n- then (§5.5).\n\nOther text §4.\n\n- unrelated §7\n",
        );
        let urls: Vec<&str> = got.iter().map(|(_, u)| u.as_str()).collect();
        let base = "https://www.rfc-editor.org/rfc/rfc6298.html";
        assert_eq!(
            urls,
            [
                base.to_string(),
                format!("{base}#section-2.2"),
                format!("{base}#section-2.3"),
                format!("{base}#section-5.5")
            ]
        );
    }

    #[test]
    fn a_table_cell_inherits_the_rfc_of_its_column_header() {
        let table = "| What | RFC 9293 | Linux |\n|---|---|---|\n| TIME-WAIT | 2×MSL (§3.6.1) | 60 s §9 |\n| ISN | hash (§3.4.1, RFC 6528) | x |\n";
        let got = links(table);
        let urls: Vec<&str> = got.iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                R9293.to_string(),
                format!("{R9293}#section-3.6.1"),
                format!("{R9293}#section-3.4.1"),
                "https://www.rfc-editor.org/rfc/rfc6528.html".into(),
            ]
        );
    }

    #[test]
    fn code_headings_and_existing_links_are_left_alone() {
        let text = "# Differs from RFC 9293\n\n`RFC 9293` and [RFC 793](https://example.org/) §3.2\n\n```text\nRFC 768\n```\n\n    RFC 791\n\n<a href=\"x\">RFC 792</a>\n";
        let got = links(text);
        // Only the section after the hand-made link to RFC 793 becomes a link.
        assert_eq!(
            got,
            [(
                "§3.2".into(),
                "https://www.rfc-editor.org/rfc/rfc793.html#section-3.2".into()
            )]
        );
    }

    #[test]
    fn rust_rfcs_link_to_the_rust_repository() {
        let got = links(
            "Rust RFC 2394, \"async/await\", and RFC 2592, \"futures_api\". Not RFC 9293 here.\n\nRFC 3513 is IPv6.",
        );
        let urls: Vec<&str> = got.iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(urls[0], "https://github.com/rust-lang/rfcs/pull/2394");
        assert_eq!(urls[1], "https://github.com/rust-lang/rfcs/pull/2592");
        assert_eq!(urls[3], "https://www.rfc-editor.org/rfc/rfc3513.html");
        assert_eq!(got[0].0, "Rust RFC 2394");
    }

    #[test]
    fn erratum_references_link_to_their_rows() {
        let got = links("See erratum I-2. Two corrections (errata I-4 and I-5); Erratum III-14.");
        let urls: Vec<&str> = got.iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "../appendix/errata.md#erratum-I-2",
                "../appendix/errata.md#erratum-I-4",
                "../appendix/errata.md#erratum-I-5",
                "../appendix/errata.md#erratum-III-14",
            ]
        );
        assert_eq!(
            md("erratum I-2"),
            "erratum [I-2](../appendix/errata.md#erratum-I-2)"
        );
    }

    #[test]
    fn chinese_erratum_references_link_to_their_rows() {
        let got = links("见勘误 I-2。两处更正（勘误 I-4 和 I-5）；勘误 I-1、II-1 和 III-14。");
        let ids: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(ids, ["I-2", "I-4", "I-5", "I-1", "II-1", "III-14"]);
        assert_eq!(
            md("见勘误 I-2。"),
            "见勘误 [I-2](../appendix/errata.md#erratum-I-2)。"
        );
        let err = rewrite("part/chapter.md", "勘误 I-3 和 I-9", &errata()).unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(err[0].contains("I-9"), "{err:?}");
    }

    #[test]
    fn an_erratum_that_is_not_in_the_appendix_fails() {
        let err = rewrite(
            "part/chapter.md",
            "See erratum I-9 and errata I-1, II-7.",
            &errata(),
        )
        .unwrap_err();
        assert_eq!(err.len(), 2, "{err:?}");
        assert!(err[0].contains("I-9") && err[1].contains("II-7"), "{err:?}");
    }

    #[test]
    fn errata_rows_get_anchors_and_duplicates_fail() {
        let appendix = "# Errata\n\n| # | Said | True |\n|---|---|---|\n| I-1 | a | b, see erratum I-2 |\n| I-2 | c | RFC 768 |\n";
        let errata = Errata::from_markdown("appendix/errata.md", appendix).unwrap();
        assert_eq!(errata.ids.iter().collect::<Vec<_>>(), ["I-1", "I-2"]);
        let done = rewrite("appendix/errata.md", appendix, &errata)
            .unwrap()
            .markdown;
        assert!(
            done.contains(
                r##"| <a id="erratum-I-1" class="erratum" href="#erratum-I-1">I-1</a> |"##
            ),
            "{done}"
        );
        assert!(done.contains("see erratum [I-2](#erratum-I-2)"), "{done}");
        let twice = "| # | a |\n|---|---|\n| I-1 | a |\n| I-1 | b |\n";
        assert!(Errata::from_markdown("appendix/errata.md", twice).is_err());
    }

    #[test]
    fn hyphenated_names_in_table_cells_do_not_break() {
        let table = "| State | Next |\n|---|---|\n| TIME-WAIT | errata I-4 and FIN-WAIT-1 |\n\nTIME-WAIT outside a table.\n";
        let done = md(table);
        assert!(
            done.contains(r#"| <span class="nowrap">TIME-WAIT</span> |"#),
            "{done}"
        );
        assert!(done.contains(r#"errata [I-4](../appendix/errata.md#erratum-I-4) and <span class="nowrap">FIN-WAIT-1</span>"#), "{done}");
        assert!(done.contains("\nTIME-WAIT outside"), "{done}");
    }

    #[test]
    fn relative_links_climb_out_of_the_chapter_folder() {
        assert_eq!(
            relative("a/b/c.md", "appendix/errata.md"),
            "../../appendix/errata.md"
        );
        assert_eq!(
            relative("intro.md", "appendix/errata.md"),
            "appendix/errata.md"
        );
        assert_eq!(relative("appendix/errata.md", "appendix/errata.md"), "");
    }

    #[test]
    fn every_made_link_has_the_checked_form() {
        let ietf = Regex::new(RFC_URL_PATTERN).unwrap();
        let rust = Regex::new(RUST_RFC_URL_PATTERN).unwrap();
        for (_, url) in links("RFC 9293 §3.6, §A.1, RFC 768, Rust RFC 2394; RFC 9000 §2.") {
            assert!(ietf.is_match(&url) || rust.is_match(&url), "{url}");
        }
    }
}
