//! The book's search index: Pagefind (npm `pagefind`, pinned in `tools.toml`
//! `[npm]`; its Linux binary comes from the `@pagefind/linux-x64` package).
//!
//! `book.toml` declares it as an mdBook renderer, `[output.pagefind]`, that
//! runs after the HTML renderer: `mdbook build`, `cargo xtask build` and every
//! rebuild of `cargo xtask serve` index the fresh site into
//! `book/html/pagefind/`. Pages are indexed only inside `data-pagefind-body`
//! (chapters; theme/index.hbs leaves print.html, index.html and 404.html out),
//! and each language gets its own index from the pages' `<html lang>`.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::{Result, run, tools};

/// `cargo xtask pagefind`: mdBook's renderer protocol. The render context on
/// stdin names this renderer's folder (`<build-dir>/pagefind`); the HTML is in
/// its sibling `html`.
pub fn renderer() -> Result {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading mdBook's render context from stdin")?;
    let ctx: serde_json::Value =
        serde_json::from_str(&input).context("parsing mdBook's render context")?;
    let destination = ctx["destination"]
        .as_str()
        .context("the render context has no destination")?;
    let site = Path::new(destination)
        .parent()
        .context("the renderer's folder has no parent")?
        .join("html");
    index(&site)
}

/// Indexes the built site in `site` into `site/pagefind/`.
pub fn index(site: &Path) -> Result {
    if !site.join("index.html").is_file() {
        bail!("no built site in {} to index", site.display());
    }
    let runner = runner()?;
    run(Command::new("node")
        .arg(&runner)
        .arg("--site")
        .arg(site)
        .args(["--output-subdir", "pagefind", "--quiet"])
        // Not prose: a diagram's mermaid source, and the MathML copy (with
        // the TeX source) that KaTeX puts beside each formula.
        .args(["--exclude-selectors", "pre.mermaid"])
        .args(["--exclude-selectors", ".katex-mathml"]))
    .with_context(|| format!("indexing {} with Pagefind", site.display()))?;
    // Pagefind also writes its ready-made search UIs (about 430 KB); the book
    // answers its own search bar (theme/search.js) and never loads them.
    let bundle = site.join("pagefind");
    for entry in
        std::fs::read_dir(&bundle).with_context(|| format!("reading {}", bundle.display()))?
    {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("pagefind-")
            && (name.contains("-ui.") || name.starts_with("pagefind-highlight"))
        {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    Ok(())
}

/// Pagefind's npm wrapper, which runs the platform binary of the package.
fn runner() -> Result<PathBuf> {
    let node_dir = tools::ensure_npm_tools()?;
    let runner = node_dir.join("node_modules/pagefind/lib/runner/bin.cjs");
    if !runner.is_file() {
        bail!(
            "{} is missing: is pagefind pinned in tools.toml [npm]?",
            runner.display()
        );
    }
    Ok(runner)
}
