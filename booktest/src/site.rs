//! Renders the book with mdBook's own libraries and checks the HTML.
//!
//! The checks fail on:
//! - an unexpanded `{{#...}}` directive;
//! - a KaTeX formula that did not render (mdbook-katex keeps the source and
//!   logs a warning instead of failing);
//! - a `<link>`, `<script>`, `<img>` or CSS `url()` (fonts) outside the site;
//! - a broken internal link, resource or `#anchor`;
//! - a mermaid fence that did not become a `<pre class="mermaid">` element.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use anyhow::Context as _;
use mdbook_driver::MDBook;
use mdbook_html::HtmlHandlebars;
use regex::Regex;
use scraper::{Html, Selector};

use crate::book_root;

/// Builds the HTML book into `dest` and returns the folder that holds it,
/// with any warning or error that mdbook-katex logged while rendering math.
pub fn render(dest: &Path) -> anyhow::Result<(PathBuf, Vec<String>)> {
    render_edition(dest, None)
}

/// [`render`] for one edition: `Some("zh-CN")` translates the book from
/// `po/zh-CN.po` first, as `MDBOOK_BOOK__LANGUAGE=zh-CN mdbook build` does.
pub fn render_edition(
    dest: &Path,
    language: Option<&str>,
) -> anyhow::Result<(PathBuf, Vec<String>)> {
    install_log_capture();
    let mut md = MDBook::load(book_root()).context("load the book")?;
    md.config.build.build_dir = dest.to_path_buf();
    if let Some(language) = language {
        md.config.book.language = Some(language.to_owned());
        // The edition's own 404 page, as `cargo xtask build` sets it.
        md.config
            .set("output.html.input-404", format!("404.{language}.md"))
            .context("config")?;
    }
    // Replace the command-line preprocessors of book.toml with the same
    // versions linked as libraries; their place in the order is kept.
    md.with_preprocessor(mdbook_katex::preprocess::KatexProcessor);
    md.with_preprocessor(mdbook_mermaid::Mermaid);
    md.with_preprocessor(citations::Citations);
    md.with_preprocessor(mdbook_i18n_helpers::preprocessors::Gettext);
    take_logged();
    md.execute_build_process(&HtmlHandlebars::new())
        .context("render the book")?;
    Ok((md.build_dir_for("html"), take_logged()))
}

/// Every check of a rendered edition (see the module docs), as one list:
/// the site in `out`, what mdbook-katex logged, and the `<html lang>` every
/// page must carry.
pub fn rendered_problems(
    out: &Path,
    katex_log: &[String],
    lang: &str,
) -> anyhow::Result<Vec<String>> {
    let mut problems: Vec<String> = katex_log
        .iter()
        .map(|l| format!("KaTeX could not render some math: {l}"))
        .collect();
    let chapters = crate::expanded_chapters()?;
    let escaped: usize = chapters
        .iter()
        .map(|c| c.source.matches("\\{{#").count())
        .sum();
    let mermaid: BTreeMap<String, usize> = chapters
        .iter()
        .map(|c| {
            (
                c.path.replace(".md", ".html"),
                crate::markdown::count_mermaid_fences(&c.expanded),
            )
        })
        .collect();

    let site = Site::load(out)?;
    problems.extend(site.check_links());
    problems.extend(site.check_leftovers(escaped));
    problems.extend(site.check_mermaid(&mermaid));
    problems.extend(site.check_css());
    problems.extend(crate::citation_links::check(&site));
    problems.extend(crate::light::check_katex_css(&site));
    problems.extend(site.check_lang(lang));

    let jsdelivr: Vec<_> = files_with_extension(out, "html")
        .into_iter()
        .filter(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains("jsdelivr")))
        .collect();
    if !jsdelivr.is_empty() {
        problems.push(format!(
            "{} pages mention jsdelivr (KaTeX `no-css` lost?)",
            jsdelivr.len()
        ));
    }
    if site.page("print.html").is_none() {
        problems.push("print.html was not rendered".to_owned());
    }
    Ok(problems)
}

static LOGGED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn take_logged() -> Vec<String> {
    std::mem::take(&mut *LOGGED.lock().unwrap())
}

/// mdbook-katex reports a formula it cannot render with `tracing` at WARN
/// level (on rayon threads), then keeps the raw source. Record those events.
fn install_log_capture() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        use tracing_subscriber::layer::SubscriberExt as _;
        let subscriber = tracing_subscriber::registry().with(Capture);
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

struct Capture;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let meta = event.metadata();
        if *meta.level() <= tracing::Level::WARN && meta.target().starts_with("mdbook_katex") {
            let mut text = String::new();
            event.record(&mut MessageVisitor(&mut text));
            LOGGED
                .lock()
                .unwrap()
                .push(format!("{}: {text}", meta.target()));
        }
    }
}

struct MessageVisitor<'a>(&'a mut String);

impl tracing::field::Visit for MessageVisitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

/// Every HTML page of the site, parsed once.
pub struct Site {
    root: PathBuf,
    pages: BTreeMap<String, Html>,
}

impl Site {
    pub fn load(root: &Path) -> anyhow::Result<Site> {
        let mut pages = BTreeMap::new();
        for file in files_with_extension(root, "html") {
            let rel = relative(root, &file);
            let text = std::fs::read_to_string(&file)?;
            pages.insert(rel, Html::parse_document(&text));
        }
        Ok(Site {
            root: root.to_path_buf(),
            pages,
        })
    }

    /// A site made of the given pages (path, HTML text), for unit tests.
    pub fn from_pages(root: &Path, pages: &[(&str, &str)]) -> Site {
        let pages = pages
            .iter()
            .map(|(p, html)| (p.to_string(), Html::parse_document(html)))
            .collect();
        Site {
            root: root.to_path_buf(),
            pages,
        }
    }

    /// Pages whose `<html lang>` is not `lang`.
    pub fn check_lang(&self, lang: &str) -> Vec<String> {
        let html = Selector::parse("html").unwrap();
        self.pages
            .iter()
            .filter_map(|(name, page)| {
                let found = page
                    .select(&html)
                    .next()
                    .and_then(|e| e.value().attr("lang"));
                (found != Some(lang))
                    .then(|| format!("{name}: <html lang> is {found:?}, not {lang:?}"))
            })
            .collect()
    }

    pub fn page(&self, rel: &str) -> Option<&Html> {
        self.pages.get(rel)
    }

    pub fn page_names(&self) -> impl Iterator<Item = &str> {
        self.pages.keys().map(String::as_str)
    }

    fn exists(&self, rel: &str) -> bool {
        self.pages.contains_key(rel) || self.root.join(rel).is_file()
    }

    /// Broken internal links, resources and anchors, and resources loaded
    /// from outside the site.
    pub fn check_links(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let ids: BTreeMap<&str, HashSet<String>> = self
            .pages
            .iter()
            .map(|(p, h)| (p.as_str(), ids_of(h)))
            .collect();
        let base_sel = Selector::parse("base[href]").unwrap();
        for (page, html) in &self.pages {
            // mdBook's 404 page sets <base href="site-url">, which is "/" here.
            let base_dir = match html.select(&base_sel).next() {
                Some(_) => String::new(),
                None => parent_of(page),
            };
            for (tag, attr, url) in references(html) {
                if url.starts_with("mailto:")
                    || url.starts_with("javascript:")
                    || url.starts_with("data:")
                {
                    continue;
                }
                let external = url.contains("://") || url.starts_with("//");
                if external {
                    if tag != "a" {
                        problems.push(format!(
                            "{page}: <{tag} {attr}=\"{url}\"> loads from outside the site"
                        ));
                    }
                    continue;
                }
                let (path_part, fragment) = match url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (url.as_str(), None),
                };
                let path_part = path_part.split('?').next().unwrap_or("");
                let target = if path_part.is_empty() {
                    page.clone()
                } else if let Some(abs) = path_part.strip_prefix('/') {
                    normalize(abs)
                } else {
                    normalize(&format!("{base_dir}{path_part}"))
                };
                let target = if target.is_empty() || target.ends_with('/') {
                    format!("{target}index.html")
                } else {
                    target
                };
                if !self.exists(&target) {
                    problems.push(format!(
                        "{page}: <{tag} {attr}=\"{url}\"> points to missing {target}"
                    ));
                    continue;
                }
                if let (Some(fragment), Some(target_ids)) = (fragment, ids.get(target.as_str()))
                    && !fragment.is_empty()
                    && !target_ids.contains(fragment)
                {
                    problems.push(format!("{page}: <{tag} {attr}=\"{url}\"> names a missing anchor #{fragment} in {target}"));
                }
            }
        }
        problems
    }

    /// Directives that survived (beyond the `\{{#` escapes the sources hold)
    /// and math that KaTeX left as source text.
    pub fn check_leftovers(&self, escaped_directives: usize) -> Vec<String> {
        let mut problems = Vec::new();
        let mut directives = 0;
        for (page, html) in &self.pages {
            if page == "print.html" {
                continue;
            }
            let text = visible_text(html);
            let found = text.matches("{{#").count();
            directives += found;
            if found > 0 && escaped_directives == 0 {
                problems.push(format!(
                    "{page}: holds an unexpanded {{{{#...}}}} directive"
                ));
            }
            if text.contains("$$") {
                problems.push(format!(
                    "{page}: holds `$$` outside code: a formula KaTeX did not render"
                ));
            }
        }
        if escaped_directives > 0 && directives > escaped_directives {
            problems.push(format!("{directives} `{{{{#` in the site but only {escaped_directives} escaped in the sources"));
        }
        problems
    }

    /// `expected` maps a page to the number of mermaid fences of its chapter.
    pub fn check_mermaid(&self, expected: &BTreeMap<String, usize>) -> Vec<String> {
        let pre = Selector::parse("pre.mermaid").unwrap();
        let fence = Selector::parse("code.language-mermaid").unwrap();
        let mut problems = Vec::new();
        for (page, want) in expected {
            let Some(html) = self.pages.get(page) else {
                problems.push(format!("{page}: not rendered"));
                continue;
            };
            let got = html.select(&pre).count();
            if got != *want {
                problems.push(format!("{page}: {want} mermaid fence(s) in the chapter but {got} <pre class=\"mermaid\"> element(s)"));
            }
            if html.select(&fence).next().is_some() {
                problems.push(format!(
                    "{page}: a mermaid fence was rendered as a code block"
                ));
            }
        }
        problems
    }

    /// Fonts and imports that CSS files load from outside the site, or that are missing.
    pub fn check_css(&self) -> Vec<String> {
        let url =
            Regex::new(r#"url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]"#).unwrap();
        let mut problems = Vec::new();
        for file in files_with_extension(&self.root, "css") {
            let rel = relative(&self.root, &file);
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            for cap in url.captures_iter(&text) {
                let target = cap.get(1).or(cap.get(2)).unwrap().as_str();
                if target.starts_with("data:") || target.starts_with('#') {
                    continue;
                }
                if target.contains("://") || target.starts_with("//") {
                    problems.push(format!("{rel}: loads {target} from outside the site"));
                } else {
                    let resolved = normalize(&format!(
                        "{}{}",
                        parent_of(&rel),
                        target.split(['?', '#']).next().unwrap()
                    ));
                    if !self.root.join(&resolved).is_file() {
                        problems.push(format!("{rel}: url({target}) is missing ({resolved})"));
                    }
                }
            }
        }
        problems
    }
}

fn references(html: &Html) -> Vec<(String, &'static str, String)> {
    let mut out = Vec::new();
    for (tag, attr) in [
        ("a", "href"),
        ("link", "href"),
        ("script", "src"),
        ("img", "src"),
        ("source", "src"),
        ("iframe", "src"),
        ("video", "src"),
        ("audio", "src"),
    ] {
        let sel = Selector::parse(&format!("{tag}[{attr}]")).unwrap();
        for el in html.select(&sel) {
            // The language picker (`hreflang`) leads into the other edition,
            // which a render of one edition does not hold; the browser check
            // follows it on the built site, where both editions are.
            if el.value().attr("hreflang").is_some() {
                continue;
            }
            out.push((
                tag.to_owned(),
                attr,
                el.value().attr(attr).unwrap().to_owned(),
            ));
        }
    }
    out
}

fn ids_of(html: &Html) -> HashSet<String> {
    let sel = Selector::parse("[id], a[name]").unwrap();
    html.select(&sel)
        .flat_map(|e| [e.value().attr("id"), e.value().attr("name")])
        .flatten()
        .map(str::to_owned)
        .collect()
}

/// Text a reader sees, outside `<code>`, `<pre>`, `<script>` and `<style>`.
fn visible_text(html: &Html) -> String {
    let mut text = String::new();
    for node in html.tree.nodes() {
        if let scraper::Node::Text(t) = node.value() {
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(
                        e.name(),
                        "code" | "pre" | "script" | "style" | "title" | "noscript"
                    )
                })
            });
            if !hidden {
                text.push_str(t);
            }
        }
    }
    text
}

fn parent_of(page: &str) -> String {
    match page.rfind('/') {
        Some(i) => page[..=i].to_owned(),
        None => String::new(),
    }
}

/// `a/b/../c.html` → `a/c.html`; percent-escapes of spaces decoded.
fn normalize(path: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in Path::new(&path.replace("%20", " ")).components() {
        match c {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    let mut s = parts.join("/");
    if path.ends_with('/') && !s.is_empty() {
        s.push('/');
    }
    s
}

fn relative(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> Site {
        Site::from_pages(Path::new("/nonexistent"), pages)
    }

    #[test]
    fn a_broken_link_fails() {
        let s = site(&[
            (
                "a.html",
                r#"<a href="b.html">b</a><a href="missing.html">x</a><a href="zh-CN/a.html" hreflang="zh-CN">中文</a>"#,
            ),
            ("b.html", "<h1 id='t'>T</h1>"),
        ]);
        let p = s.check_links();
        // The language picker into the other edition is the browser check's.
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("missing.html"));
    }

    #[test]
    fn a_broken_anchor_fails() {
        let s = site(&[
            (
                "x/a.html",
                r##"<a href="../b.html#t">ok</a><a href="../b.html#nope">bad</a><a href="#self">s</a><p id="self"></p>"##,
            ),
            ("b.html", "<h1 id='t'>T</h1>"),
        ]);
        let p = s.check_links();
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("#nope"));
    }

    #[test]
    fn outside_resources_fail_but_outside_links_do_not() {
        let s = site(&[(
            "a.html",
            r#"<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/katex/katex.min.css"><script src="//unpkg.com/x.js"></script><a href="https://www.rfc-editor.org/rfc/rfc9293">RFC 9293</a>"#,
        )]);
        let p = s.check_links();
        assert_eq!(p.len(), 2, "{p:?}");
    }

    #[test]
    fn unexpanded_directives_and_raw_math_fail() {
        let s = site(&[(
            "a.html",
            "<p>{{#include x.rs}}</p><p>$$ x^2 $$</p><pre><code>$$ fine in code $$</code></pre>",
        )]);
        let p = s.check_leftovers(0);
        assert_eq!(p.len(), 2, "{p:?}");
    }

    #[test]
    fn an_unconverted_mermaid_fence_fails() {
        let s = site(&[
            (
                "a.html",
                r#"<pre><code class="language-mermaid">graph TD</code></pre>"#,
            ),
            ("b.html", r#"<pre class="mermaid">graph TD</pre>"#),
        ]);
        let expected = BTreeMap::from([("a.html".to_owned(), 1), ("b.html".to_owned(), 1)]);
        let p = s.check_mermaid(&expected);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p.iter().all(|m| m.starts_with("a.html")));
    }

    #[test]
    fn paths_normalise() {
        assert_eq!(normalize("a/b/../c.html"), "a/c.html");
        assert_eq!(normalize("./x.html"), "x.html");
    }
}
