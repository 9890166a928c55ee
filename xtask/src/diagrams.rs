//! Diagrams rendered when the book is built.
//!
//! `mdbook build` leaves each mermaid fence as `<pre class="mermaid">source</pre>`
//! (mdbook-mermaid). This step, run by `cargo xtask build` right after it,
//! renders every such block of every page (chapters and `print.html`) to an
//! inline SVG with the vendored mermaid in headless Chromium
//! (`xtask/browser/render.cjs`), so a published page loads no mermaid.js and
//! shows its diagrams at first paint, even with JavaScript off. It also takes
//! the client-side loader out of the pages, deletes the vendored mermaid.js
//! from the published copy, and links the PDF next to the print button. In
//! `print.html` it adds the parts and a contents list (`printbook.rs`).
//!
//! One SVG per diagram serves every theme: its dark colours are CSS rules
//! scoped to mdBook's dark theme classes (see `render.cjs`). Renders are
//! cached in `target/diagrams/` (or under `$CARGO_TARGET_DIR`), keyed by a hash of the source, mermaid.js,
//! the loader's settings and the renderer, so a rebuild renders only new or changed diagrams.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use regex::Regex;
use sha2::{Digest, Sha256};

use crate::editions::Edition;
use crate::{Result, browser, printbook, root, run, tools};

/// One `<pre class="mermaid">` block of a built page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Byte range of the whole `<pre>...</pre>` element in the page.
    pub range: std::ops::Range<usize>,
    /// The diagram's source, unescaped.
    pub source: String,
}

/// The mermaid blocks of one page, in order.
pub fn blocks(html: &str) -> Vec<Block> {
    let pre = Regex::new(r#"(?s)<pre class="mermaid">(.*?)</pre>"#).unwrap();
    pre.captures_iter(html)
        .map(|c| Block {
            range: c.get(0).unwrap().range(),
            source: unescape(&c[1]),
        })
        .collect()
}

/// The inverse of mdbook-mermaid's `escape_html` (`<`, `>`, `"`, `&`).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The SVG id of a diagram: a hash of what its render depends on.
fn diagram_id(salt: &str, source: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(source.as_bytes());
    format!("mmd-{}", &hex(&h.finalize())[..12])
}

/// Where a diagram is, for error messages: page, index, kind.
fn describe(page: &str, index: usize, source: &str) -> String {
    let first = source.lines().map(str::trim).find(|l| !l.is_empty());
    format!(
        "{page}, diagram {} (\"{}\")",
        index + 1,
        first.unwrap_or("")
    )
}

/// Every HTML page of the site, chapters first and `print.html` last, so a
/// failing diagram is named by its chapter.
fn pages(site: &Path) -> Result<Vec<PathBuf>> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .collect::<std::result::Result<Vec<_>, _>>()
        .with_context(|| format!("listing {}", site.display()))?
        .into_iter()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort_by_key(|p| (p.ends_with("print.html"), p.clone()));
    Ok(pages)
}

/// The link to the PDF, put after mdBook's print button on every page.
fn pdf_link(path_to_root: &str, pdf: &str, title: &str) -> String {
    format!(
        r#"<a href="{path_to_root}{pdf}" title="{title}" aria-label="{title}" class="pdf-link">PDF</a>"#
    )
}

/// Rewrites one page: diagrams to SVG, loader out, PDF link in.
pub fn rewrite_page(
    html: &str,
    svgs: &BTreeMap<String, String>,
    ids: &[String],
    path_to_root: &str,
    pdf: &str,
    pdf_title: &str,
) -> Result<String> {
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (block, id) in blocks(html).iter().zip(ids) {
        out.push_str(&html[last..block.range.start]);
        let svg = svgs
            .get(id)
            .with_context(|| format!("no render for diagram {id}"))?;
        let _ = write!(out, r#"<div class="diagram">{svg}</div>"#);
        last = block.range.end;
    }
    out.push_str(&html[last..]);
    let loader = Regex::new(r#"<script src="[^"]*mermaid-loader[^"]*"></script>\n?"#).unwrap();
    let out = loader.replace_all(&out, "").into_owned();
    let print = Regex::new(r#"(?s)<a href="[^"]*print\.html"[^>]*>.*?</a>"#).unwrap();
    Ok(match print.find(&out) {
        Some(m) => format!(
            "{}{}{}",
            &out[..m.end()],
            pdf_link(path_to_root, pdf, pdf_title),
            &out[m.end()..]
        ),
        None => out,
    })
}

/// File name of the book's PDF: the title, lower-case, words joined by `-`.
pub fn pdf_name() -> Result<String> {
    let path = root().join("book.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let doc: toml::Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    let title = doc
        .get("book")
        .and_then(|b| b.get("title"))
        .and_then(|t| t.as_str())
        .unwrap_or("book");
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    Ok(format!("{}.pdf", words.join("-")))
}

/// Renders every diagram of the built site in place (see the module docs).
pub fn render_site(site: &Path, edition: &Edition) -> Result {
    let started = Instant::now();
    let mermaid_js = root().join("src/assets/mermaid/mermaid.min.js");
    let renderer = root().join("xtask/browser/render.cjs");
    let loader = root().join("theme/mermaid-loader.js");
    let mut salt = Sha256::new();
    for file in [&mermaid_js, &loader, &renderer] {
        salt.update(std::fs::read(file).with_context(|| format!("reading {}", file.display()))?);
    }
    let salt = hex(&salt.finalize());
    let cache = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("diagrams");
    std::fs::create_dir_all(&cache).with_context(|| format!("creating {}", cache.display()))?;

    // Every diagram of every page, by id; the first place it appears names it.
    let pages = pages(site)?;
    let mut texts = Vec::new();
    let mut todo: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut total = 0;
    for page in &pages {
        let html =
            std::fs::read_to_string(page).with_context(|| format!("reading {}", page.display()))?;
        let rel = page
            .strip_prefix(site)
            .unwrap_or(page)
            .to_string_lossy()
            .into_owned();
        let mut ids = Vec::new();
        for (i, block) in blocks(&html).into_iter().enumerate() {
            let id = diagram_id(&salt, &block.source);
            total += 1;
            if !cache.join(format!("{id}.svg")).is_file() {
                todo.entry(id.clone())
                    .or_insert_with(|| (describe(&rel, i, &block.source), block.source));
            }
            ids.push(id);
        }
        texts.push((page.clone(), rel, html, ids));
    }

    if !todo.is_empty() {
        render_batch(&todo, &cache, &[&renderer, &mermaid_js, &loader])?;
    }

    let pdf = pdf_name()?;
    let entries = edition.entries()?;
    let mut svgs = BTreeMap::new();
    for (page, rel, html, ids) in texts {
        for id in &ids {
            if !svgs.contains_key(id) {
                let file = cache.join(format!("{id}.svg"));
                let svg = std::fs::read_to_string(&file)
                    .with_context(|| format!("reading {}", file.display()))?;
                svgs.insert(id.clone(), svg);
            }
        }
        let depth = rel.matches('/').count();
        let mut out = rewrite_page(
            &html,
            &svgs,
            &ids,
            &"../".repeat(depth),
            &pdf,
            edition.pdf_link_title,
        )
        .with_context(|| format!("rewriting {rel}"))?;
        if rel == "print.html" {
            out = printbook::restructure(&out, &entries)
                .context("print.html: adding parts and contents")?;
        }
        std::fs::write(&page, out).with_context(|| format!("writing {}", page.display()))?;
    }
    // Published pages no longer load mermaid.js or the loader.
    let vendored = site.join("assets/mermaid");
    if vendored.is_dir() {
        std::fs::remove_dir_all(&vendored)
            .with_context(|| format!("removing {}", vendored.display()))?;
    }
    for entry in std::fs::read_dir(site.join("theme")).into_iter().flatten() {
        let path = entry?.path();
        if path.to_string_lossy().contains("mermaid-loader") {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    println!(
        "==> diagrams: {total} on {} pages, {} rendered now, the rest from target/diagrams, in {:.1} s",
        pages.len(),
        todo.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Renders the diagrams that are not cached yet, in one browser session.
fn render_batch(
    todo: &BTreeMap<String, (String, String)>,
    cache: &Path,
    [renderer, mermaid_js, loader]: &[&Path; 3],
) -> Result {
    let chromium = browser::find_chromium()?;
    let node_dir = tools::ensure_npm_tools()?;
    let input: Vec<serde_json::Value> = todo
        .iter()
        .map(|(id, (place, source))| serde_json::json!({ "id": id, "where": place, "source": source }))
        .collect();
    let work = cache.join("batch");
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let (inp, outp) = (work.join("in.json"), work.join("out.json"));
    std::fs::write(&inp, serde_json::to_vec(&input)?)
        .with_context(|| format!("writing {}", inp.display()))?;
    run(Command::new("node")
        .arg(renderer)
        .arg(mermaid_js)
        .arg(loader)
        .arg(&chromium)
        .arg(&inp)
        .arg(&outp)
        .env("NODE_PATH", node_dir.join("node_modules")))
    .context("a diagram could not be rendered (the lines above name it)")?;
    let text =
        std::fs::read_to_string(&outp).with_context(|| format!("reading {}", outp.display()))?;
    let results: Vec<serde_json::Value> =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", outp.display()))?;
    for r in &results {
        let (Some(id), Some(html)) = (r["id"].as_str(), r["html"].as_str()) else {
            bail!("{}: a result without id or html", outp.display());
        };
        let file = cache.join(format!("{id}.svg"));
        std::fs::write(&file, html).with_context(|| format!("writing {}", file.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_and_unescaped() {
        let html = "<p>a</p><pre class=\"mermaid\">graph TD\nA --&gt; B[&quot;x &amp;lt; y&quot;]\n</pre><pre class=\"mermaid\">pie</pre>";
        let b = blocks(html);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].source, "graph TD\nA --> B[\"x &lt; y\"]\n");
        assert_eq!(
            &html[b[1].range.clone()],
            "<pre class=\"mermaid\">pie</pre>"
        );
    }

    #[test]
    fn a_page_is_rewritten() {
        let html = concat!(
            "<a href=\"../print.html\" title=\"Print this book\"><span>P</span></a>",
            "<pre class=\"mermaid\">pie</pre>",
            "<script src=\"../theme/mermaid-loader-0123abcd.js\"></script>\n",
        );
        let svgs = BTreeMap::from([("mmd-1".to_owned(), "<svg id=\"mmd-1\"></svg>".to_owned())]);
        let out = rewrite_page(
            html,
            &svgs,
            &["mmd-1".to_owned()],
            "../",
            "b.pdf",
            "Download the book as a PDF",
        )
        .unwrap();
        assert_eq!(
            out,
            concat!(
                "<a href=\"../print.html\" title=\"Print this book\"><span>P</span></a>",
                "<a href=\"../b.pdf\" title=\"Download the book as a PDF\" aria-label=\"Download the book as a PDF\" class=\"pdf-link\">PDF</a>",
                "<div class=\"diagram\"><svg id=\"mmd-1\"></svg></div>",
            )
        );
    }

    #[test]
    fn a_missing_render_is_an_error() {
        let err = rewrite_page(
            "<pre class=\"mermaid\">pie</pre>",
            &BTreeMap::new(),
            &["mmd-2".to_owned()],
            "",
            "b.pdf",
            "PDF",
        )
        .unwrap_err();
        assert!(err.to_string().contains("mmd-2"), "{err}");
    }

    #[test]
    fn ids_depend_on_source_and_salt() {
        assert_ne!(diagram_id("a", "pie"), diagram_id("b", "pie"));
        assert_ne!(diagram_id("a", "pie"), diagram_id("a", "graph TD"));
        assert_eq!(diagram_id("a", "pie").len(), 16);
    }

    #[test]
    fn the_pdf_is_named_after_the_title() {
        assert!(pdf_name().unwrap().ends_with(".pdf"));
        assert!(!pdf_name().unwrap().contains(' '));
    }
}
