//! Lighter published pages (issue 16), steps run by `cargo xtask build` on
//! the built site, after the diagrams.
//!
//! Hidden lines: a `noplayground` block whose listing comes in with
//! `rustdoc_include` carries the rest of the file as hidden lines, for its
//! doctest (up to 33 KB a block, 72 KB on `tcp-udp/header.html`). The reader
//! sees them only after pressing the block's "Show hidden lines" button. In
//! every page but `print.html`, the hidden lines of such a block, when they
//! are at least [`MIN_HIDDEN`] bytes, move to `<page>.hidden.json` (the
//! block's whole code, by block number), and the page gets
//! `theme/hidden-lines.js`, inline, which fetches that file when the button is
//! pressed. Runnable blocks keep theirs: "Run" sends the hidden lines to the
//! playground. `print.html` and the PDF keep everything.

use std::path::Path;

use anyhow::Context;
use regex::Regex;

use crate::Result;

/// Hidden lines below this many bytes (of HTML) stay in the page.
pub const MIN_HIDDEN: usize = 1000;

const SCRIPT: &str = include_str!("../../theme/hidden-lines.js");

/// The script without its comment lines (the file explains it), to inline.
fn script_body() -> String {
    SCRIPT
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A page with the hidden lines of its long `noplayground` blocks taken out:
/// the new page and the removed blocks' whole code (inner HTML of `<code>`),
/// numbered by `data-hidden`. `sidecar` is the file name the page will fetch.
pub fn take_hidden_lines(html: &str, sidecar: &str) -> (String, Vec<String>) {
    let code =
        Regex::new(r#"(?s)(<code class="language-rust noplayground[^"]*")>(.*?)</code>"#).unwrap();
    let boring = Regex::new(r#"(?s)<span class="boring">.*?</span>"#).unwrap();
    let mut taken = Vec::new();
    let out = code.replace_all(html, |c: &regex::Captures| {
        let inner = &c[2];
        let hidden: usize = boring.find_iter(inner).map(|m| m.len()).sum();
        if hidden < MIN_HIDDEN {
            return c[0].to_owned();
        }
        let visible = boring.replace_all(inner, "");
        let n = taken.len();
        taken.push(inner.to_owned());
        // One empty hidden line, so that book.js adds the button.
        format!(
            r#"{} data-hidden="{n}"><span class="boring"></span>{visible}</code>"#,
            &c[1]
        )
    });
    if taken.is_empty() {
        return (html.to_owned(), taken);
    }
    let script = format!(
        "<script data-hidden=\"{sidecar}\">\n{}</script>\n</body>",
        script_body()
    );
    let out = match out.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &out[..at], &out[at + "</body>".len()..]),
        None => format!("{out}{script}"),
    };
    (out, taken)
}

/// Runs [`take_hidden_lines`] on every page of the site but `print.html`.
pub fn hidden_lines(site: &Path) -> Result {
    let mut pages = 0;
    let mut blocks = 0;
    let mut moved = 0;
    for entry in walkdir::WalkDir::new(site) {
        let path = entry
            .with_context(|| format!("listing {}", site.display()))?
            .into_path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".html") || name == "print.html" {
            continue;
        }
        let html = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let sidecar = format!("{}.hidden.json", name.trim_end_matches(".html"));
        let (out, taken) = take_hidden_lines(&html, &sidecar);
        if taken.is_empty() {
            continue;
        }
        pages += 1;
        blocks += taken.len();
        moved += html.len().saturating_sub(out.len());
        let json = serde_json::to_string(&taken)?;
        let file = path.with_file_name(&sidecar);
        std::fs::write(&file, json).with_context(|| format!("writing {}", file.display()))?;
        std::fs::write(&path, out).with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "==> hidden lines: {blocks} long noplayground blocks on {pages} pages load theirs when shown ({} KB less HTML)",
        moved / 1000
    );
    Ok(())
}

/// Whether the build minifies this file of the site (a path relative to
/// it): mdBook's and the theme's scripts and stylesheets, and the lab's glue.
/// Not Pagefind's bundle, the vendored KaTeX stylesheet or `*.min.*` files,
/// which come minified, nor anything that is not JavaScript or CSS.
pub fn minifiable(relative: &Path) -> bool {
    let text = relative.to_string_lossy().replace('\\', "/");
    let name = text.rsplit('/').next().unwrap_or("");
    (name.ends_with(".js") || name.ends_with(".css"))
        && !name.contains(".min.")
        && !text
            .split('/')
            .any(|part| part == "pagefind" || part == "katex")
}

/// Minifies the site's scripts and stylesheets in place with esbuild
/// (`tools.toml` `[npm]`): mdBook ships `book.js`, `toc.js` and its CSS
/// unminified, about 60 KB of comments and spaces on every first page load.
/// esbuild gets no bundling and no `--format`, so a script's top-level names
/// (the globals the page's inline scripts call) keep their names, and `url()`s
/// are left as they are. A file is replaced only if the result is smaller
/// (highlight.js comes minified already).
pub fn minify(site: &Path) -> Result {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(site) {
        let path = entry
            .with_context(|| format!("listing {}", site.display()))?
            .into_path();
        let relative = path.strip_prefix(site)?.to_path_buf();
        if path.is_file() && minifiable(&relative) {
            files.push(relative);
        }
    }
    let out = crate::root()
        .join("target/minify")
        .join(site.strip_prefix(crate::root()).unwrap_or(site));
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("removing {}", out.display()))?;
    }
    let esbuild = crate::tools::ensure_npm_tools()?.join("node_modules/.bin/esbuild");
    crate::run(
        std::process::Command::new(&esbuild)
            .args(&files)
            .args(["--minify", "--log-level=warning", "--outbase=."])
            .arg(format!("--outdir={}", out.display()))
            .current_dir(site),
    )?;
    let (mut before, mut after) = (0, 0);
    for file in &files {
        let original = std::fs::metadata(site.join(file))?.len();
        let small = out.join(file);
        let minified = std::fs::metadata(&small)
            .with_context(|| format!("esbuild wrote no {}", small.display()))?
            .len();
        before += original;
        if minified < original {
            std::fs::copy(&small, site.join(file))?;
            after += minified;
        } else {
            after += original;
        }
    }
    println!(
        "==> minified {} scripts and stylesheets with esbuild: {} KB -> {} KB",
        files.len(),
        before / 1000,
        after / 1000
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_minified() {
        for yes in [
            "book-609e4cb8.js",
            "css/chrome-d279d366.css",
            "theme/search-1.js",
            "assets/lab/lab.js",
        ] {
            assert!(minifiable(Path::new(yes)), "{yes}");
        }
        for no in [
            "clipboard-baacbf3a.min.js",
            "pagefind/pagefind-ui.js",
            "assets/katex/katex.min.css",
            "assets/katex/extra.css",
            "tcp-udp/header.hidden.json",
            "index.html",
        ] {
            assert!(!minifiable(Path::new(no)), "{no}");
        }
    }

    fn boring(n: usize) -> String {
        (0..n)
            .map(|i| format!("<span class=\"boring\">let x{i} = {i};\n</span>"))
            .collect()
    }

    #[test]
    fn long_hidden_lines_move_out_and_come_back_whole() {
        let long = format!("{}fn shown() {{}}\n{}", boring(40), boring(40));
        let page = format!(
            "<body><pre><code class=\"language-rust noplayground\">{long}</code></pre>\
             <pre><code class=\"language-rust noplayground\">{}fn short() {{}}</code></pre>\
             <pre><code class=\"language-rust edition2024\">{long}</code></pre></body>",
            boring(1)
        );
        let (out, taken) = take_hidden_lines(&page, "p.hidden.json");
        assert_eq!(
            taken,
            vec![long.clone()],
            "only the long noplayground block"
        );
        assert!(out.contains(
            "<code class=\"language-rust noplayground\" data-hidden=\"0\"><span class=\"boring\"></span>fn shown() {}\n</code>"
        ));
        // The short block and the runnable block are untouched.
        assert!(out.contains(&format!("{}fn short() {{}}</code>", boring(1))));
        assert!(out.contains(&format!(
            "<code class=\"language-rust edition2024\">{long}</code>"
        )));
        // The script comes once, before </body>, and names the file.
        assert_eq!(
            out.matches("<script data-hidden=\"p.hidden.json\">")
                .count(),
            1
        );
        assert!(out.ends_with("</script>\n</body>"));
    }

    #[test]
    fn a_page_without_long_hidden_lines_is_unchanged() {
        let page = format!(
            "<body><pre><code class=\"language-rust noplayground\">{}x</code></pre></body>",
            boring(3)
        );
        let (out, taken) = take_hidden_lines(&page, "p.hidden.json");
        assert!(taken.is_empty());
        assert_eq!(out, page);
    }
}
