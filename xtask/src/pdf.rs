//! The book as a PDF: `cargo xtask pdf` (also run by `cargo xtask build`)
//! prints `print.html` with headless Chromium (`xtask/browser/pdf.cjs`) to
//! `book/html/<title>.pdf`, and [`check`] proves the result with poppler's
//! tools: its text holds every title of `SUMMARY.md` and labels of the
//! diagrams, and its outline (bookmarks) lists every chapter.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use regex::Regex;

use crate::editions::Edition;
use crate::{Result, browser, diagrams, printbook, root, run, tools};

/// Prints `print.html` of the built site to the book's PDF.
pub fn render(site: &Path) -> Result<PathBuf> {
    let started = Instant::now();
    let chromium = browser::find_chromium()?;
    let node_dir = tools::ensure_npm_tools()?;
    let out = site.join(diagrams::pdf_name()?);
    run(Command::new("node")
        .arg(root().join("xtask/browser/pdf.cjs"))
        .arg(site)
        .arg(&chromium)
        .arg(&out)
        .env("NODE_PATH", node_dir.join("node_modules")))
    .context("printing print.html to PDF")?;
    let bytes = std::fs::metadata(&out)
        .with_context(|| format!("reading {}", out.display()))?
        .len();
    println!(
        "==> pdf: {} ({:.0} KB) in {:.1} s",
        out.display(),
        bytes as f64 / 1000.0,
        started.elapsed().as_secs_f64()
    );
    Ok(out)
}

/// The part and chapter titles of `SUMMARY.md`, as the reader sees them.
pub fn titles(entries: &[printbook::Entry]) -> (Vec<String>, Vec<String>) {
    let mut parts = Vec::new();
    let mut chapters = Vec::new();
    for entry in entries {
        match entry {
            printbook::Entry::Part(t) => parts.push(t.clone()),
            printbook::Entry::Chapter { title, .. } => chapters.push(title.clone()),
        }
    }
    (parts, chapters)
}

/// Text as the checks compare it: straight quotes and dashes, single spaces.
/// (mdBook's smart punctuation curls the quotes of the HTML titles.)
pub fn normalize(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            '\u{a0}' => ' ',
            c => c,
        })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The outline of a PDF as `(depth, title)`, from `pdftohtml -xml`'s
/// `<outline>` element (poppler-utils).
pub fn outline_from_xml(xml: &str) -> Vec<(usize, String)> {
    let tag = Regex::new(r#"<outline>|</outline>|<item[^>]*>([^<]*)</item>"#).unwrap();
    let mut depth = 0usize;
    let mut items = Vec::new();
    for c in tag.captures_iter(xml) {
        match &c[0] {
            "<outline>" => depth += 1,
            "</outline>" => depth = depth.saturating_sub(1),
            _ => items.push((depth, unescape_xml(&c[1]))),
        }
    }
    items
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Labels drawn in the diagrams of a page (sequence messages, flowchart and
/// state nodes, packet fields): text that only a rendered diagram puts there.
pub fn diagram_labels(html: &str) -> Vec<Vec<String>> {
    let svg = Regex::new(r"(?s)<div class=.diagram.>(.*?)</svg></div>").unwrap();
    let label = Regex::new(
        r#"class="(?:messageText|packetLabel|noteText)"[^>]*>([^<]+)<|<span class="nodeLabel"[^>]*><p>([^<]+)</p>"#,
    )
    .unwrap();
    svg.captures_iter(html)
        .map(|d| {
            label
                .captures_iter(&d[1])
                .filter_map(|c| c.get(1).or(c.get(2)).map(|m| normalize(m.as_str())))
                .filter(|l| l.len() >= 4)
                .collect()
        })
        .collect()
}

/// What is wrong with a PDF's text and outline, given the book's titles and
/// the labels of each diagram; empty when all is well.
pub fn problems(
    text: &str,
    outline: &[(usize, String)],
    chapters: &[String],
    parts: &[String],
    labels: &[Vec<String>],
) -> Vec<String> {
    let text = normalize(text);
    // Chromium joins a heading's wrapped lines without a space in the
    // outline ("stackfulcoroutines"): compare bookmarks without whitespace.
    let compact = |s: &str| normalize(s).replace(' ', "");
    let bookmarks: Vec<String> = outline.iter().map(|(_, t)| compact(t)).collect();
    let mut problems = Vec::new();
    for title in chapters.iter().chain(parts) {
        let t = normalize(title);
        if !text.contains(&t) {
            problems.push(format!("the PDF's text lacks the title \"{title}\""));
        }
    }
    for title in chapters.iter().chain(parts) {
        let t = compact(title);
        if !bookmarks.contains(&t) {
            problems.push(format!("the PDF's outline lacks \"{title}\""));
        }
    }
    for (i, diagram) in labels.iter().enumerate() {
        if !diagram.is_empty() && !diagram.iter().any(|l| text.contains(l.as_str())) {
            problems.push(format!(
                "diagram {} of print.html: none of its labels is in the PDF's text ({:?})",
                i + 1,
                diagram.iter().take(3).collect::<Vec<_>>()
            ));
        }
    }
    if labels.iter().all(Vec::is_empty) {
        problems.push("print.html holds no diagram labels: are the diagrams rendered?".into());
    }
    for syntax in ["->>", "-->>", "participant ", "packet-beta"] {
        if text.contains(syntax) {
            problems.push(format!(
                "the PDF's text holds mermaid source (\"{syntax}\"): a diagram was not rendered"
            ));
        }
    }
    problems
}

/// The first embedded font of `pdffonts`' listing that covers Chinese.
pub fn embedded_cjk_font(pdffonts: &str) -> Option<String> {
    const CJK: [&str; 5] = [
        "WenQuanYi",
        "CJK",
        "SourceHanSans",
        "DroidSansFallback",
        "Noto Sans SC",
    ];
    pdffonts.lines().skip(2).find_map(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let name = words.first()?;
        // Columns from the right: emb sub uni object-id generation.
        let embedded = words.len() >= 6 && words[words.len() - 5] == "yes";
        let base = name.split_once('+').map_or(*name, |(_, b)| b);
        (embedded && CJK.iter().any(|c| base.contains(c))).then(|| base.to_owned())
    })
}

fn tool_output(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().with_context(|| {
        format!(
            "could not run {:?}; install poppler-utils (apt-get install poppler-utils)",
            cmd.get_program()
        )
    })?;
    if !out.status.success() {
        bail!(
            "{:?} failed: {}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Checks the PDF of the built site (see the module docs) and prints its
/// size and page count.
pub fn check(site: &Path, edition: &Edition) -> Result {
    let pdf = site.join(diagrams::pdf_name()?);
    let text = tool_output(Command::new("pdftotext").arg(&pdf).arg("-"))?;
    let xml = tool_output(
        Command::new("pdftohtml")
            .args(["-xml", "-i", "-stdout"])
            .arg(&pdf),
    )?;
    let info = tool_output(Command::new("pdfinfo").arg(&pdf))?;
    let fonts = tool_output(Command::new("pdffonts").arg(&pdf))?;
    let (parts, chapters) = titles(&edition.entries()?);
    let print = std::fs::read_to_string(site.join("print.html")).context("reading print.html")?;
    let labels = diagram_labels(&print);
    let outline = outline_from_xml(&xml);
    let mut problems = problems(&text, &outline, &chapters, &parts, &labels);
    // Every edition has Chinese (the English gives the Chinese terms); a
    // reader's PDF viewer may have no CJK font, so the PDF must carry one.
    let cjk = embedded_cjk_font(&fonts);
    match &cjk {
        Some(font) => println!("==> pdf check: CJK font embedded: {font}"),
        None => problems.push(format!(
            "no embedded CJK font (install fonts-wqy-microhei); pdffonts lists:\n{fonts}"
        )),
    }
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(str::trim)
        .unwrap_or("?");
    let bytes = std::fs::metadata(&pdf)?.len();
    println!(
        "==> pdf check: {}: {pages} pages, {:.0} KB, {} bookmarks, {} chapter titles, {} parts, {} diagrams",
        pdf.display(),
        bytes as f64 / 1000.0,
        outline.len(),
        chapters.len(),
        parts.len(),
        labels.len()
    );
    if !problems.is_empty() {
        bail!("the PDF check failed:\n  {}", problems.join("\n  "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_summary() {
        let summary = "# Summary\n\n[Introduction](introduction.md)\n\n# Part “One”\n\n- [What’s `this`](a/b.md)\n    - [Sub](a/c.md)\n";
        let (parts, chapters) = titles(&printbook::entries(summary).unwrap());
        assert_eq!(parts, ["Part “One”"]);
        assert_eq!(chapters, ["Introduction", "What’s this", "Sub"]);
    }

    #[test]
    fn an_embedded_cjk_font_is_found() {
        let listing = "name type encoding emb sub uni object ID\n---- ---- --- --- --- ---\n\
            AAAAAA+DejaVuSans CID TrueType Identity-H yes yes yes 4 0\n\
            BAAAAA+WenQuanYiMicroHei CID TrueType Identity-H yes yes yes 5 0\n";
        assert_eq!(
            embedded_cjk_font(listing).as_deref(),
            Some("WenQuanYiMicroHei")
        );
        let not_embedded = listing.replace("Identity-H yes yes yes 5", "Identity-H no no yes 5");
        assert_eq!(embedded_cjk_font(&not_embedded), None);
        let latin_only = listing.lines().take(3).collect::<Vec<_>>().join("\n");
        assert_eq!(embedded_cjk_font(&latin_only), None);
    }

    #[test]
    fn the_outline_is_read_with_depths() {
        let xml = "<pdf2xml><outline>\n<item page=\"1\">A &amp; B</item>\n<outline>\n<item page=\"2\">C</item>\n</outline>\n</outline></pdf2xml>";
        assert_eq!(
            outline_from_xml(xml),
            [(1, "A & B".to_owned()), (2, "C".to_owned())]
        );
    }

    #[test]
    fn labels_are_read_from_rendered_diagrams() {
        let html = r#"<div class="diagram"><svg><text class="messageText" x="1">SYN seq=0</text><span class="nodeLabel"><p>transport</p></span></svg></div>"#;
        assert_eq!(diagram_labels(html), [["SYN seq=0", "transport"]]);
    }

    fn outline(titles: &[&str]) -> Vec<(usize, String)> {
        titles.iter().map(|t| (1, (*t).to_owned())).collect()
    }

    #[test]
    fn a_good_pdf_passes() {
        let chapters = vec!["What's this".to_owned()];
        let labels = vec![vec!["SYN seq=0".to_owned()]];
        let text = "Part 1\nWhat’s\nthis\n... SYN seq=0 ...";
        let p = problems(
            text,
            &outline(&["Part 1", "What’sthis"]),
            &chapters,
            &["Part 1".into()],
            &labels,
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn a_missing_chapter_bookmark_or_diagram_fails() {
        let chapters = vec!["Alpha".to_owned(), "Beta".to_owned()];
        let labels = vec![vec!["SYN seq=0".to_owned()]];
        let text = "Alpha Beta sequenceDiagram C->>S: SYN";
        let p = problems(text, &outline(&["Alpha"]), &chapters, &[], &labels);
        assert!(
            p.iter().any(|p| p.contains("outline lacks \"Beta\"")),
            "{p:?}"
        );
        assert!(p.iter().any(|p| p.contains("none of its labels")), "{p:?}");
        assert!(p.iter().any(|p| p.contains("mermaid source")), "{p:?}");
        let p = problems(
            "Beta",
            &outline(&["Alpha", "Beta"]),
            &chapters,
            &[],
            &labels,
        );
        assert!(
            p.iter().any(|p| p.contains("lacks the title \"Alpha\"")),
            "{p:?}"
        );
    }
}
