//! Hermetic checks of the book, run by `cargo test`.
//!
//! Nothing here needs a tool beyond cargo: mdBook (mdbook-driver 0.5.4), its
//! HTML renderer and the two preprocessors (mdbook-katex 0.10.0,
//! mdbook-mermaid 0.17.1) are used as libraries. The tests in `tests/` build
//! the book into a temporary folder and run the checks of [`markdown`] and
//! [`site`]; the unit tests here prove that each check fails on bad input.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use mdbook_driver::MDBook;
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_preprocessor::book::BookItem;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

pub mod citation_links;
pub mod diagrams;
pub mod i18n;
pub mod light;
pub mod markdown;
pub mod one_place;
pub mod pins;
pub mod site;

/// The folder that holds `book.toml`.
pub fn book_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// One chapter after mdBook's `links` preprocessor, as rustdoc and the
/// renderer see it.
#[derive(Debug, Clone)]
pub struct ExpandedChapter {
    /// Path relative to `src/`, with `/` separators.
    pub path: String,
    /// The chapter's raw markdown, before `{{#include}}` expansion.
    pub source: String,
    /// The markdown after expansion.
    pub expanded: String,
}

/// Every chapter of `SUMMARY.md`, expanded exactly as mdBook does.
pub fn expanded_chapters() -> anyhow::Result<Vec<ExpandedChapter>> {
    let root = book_root();
    let md = MDBook::load(&root).context("load the book")?;
    let ctx = PreprocessorContext::new(root.clone(), md.config.clone(), "html".into());
    let expanded = LinkPreprocessor::new().run(&ctx, md.book.clone())?;
    let mut out = Vec::new();
    for (raw, done) in md.book.iter().zip(expanded.iter()) {
        let (BookItem::Chapter(raw), BookItem::Chapter(done)) = (raw, done) else {
            continue;
        };
        let Some(path) = &raw.path else {
            anyhow::bail!("chapter {:?} has no file", raw.name)
        };
        out.push(ExpandedChapter {
            path: path.to_string_lossy().replace('\\', "/"),
            source: raw.content.clone(),
            expanded: done.content.clone(),
        });
    }
    Ok(out)
}

/// The crates a listing may use besides `std` and `tokio`: a block that uses
/// one of them cannot run on the Rust playground and must be `noplayground`.
pub fn non_playground_crates() -> anyhow::Result<Vec<String>> {
    let manifest = book_root().join("listings/Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?;
    let doc: toml::Table = text.parse()?;
    let mut crates = vec!["listings".to_owned()];
    for table in ["dependencies", "dev-dependencies"] {
        if let Some(deps) = doc.get(table).and_then(|t| t.as_table()) {
            crates.extend(
                deps.keys()
                    .filter(|k| *k != "tokio")
                    .map(|k| k.replace('-', "_")),
            );
        }
    }
    crates.sort();
    crates.dedup();
    Ok(crates)
}

/// The source folder of a crate in the workspace's dependency graph, from
/// `cargo metadata`, e.g. to compare a vendored asset with what it ships.
pub fn crate_source(name: &str) -> anyhow::Result<PathBuf> {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(book_root().join("Cargo.toml"))
        .output()?;
    anyhow::ensure!(out.status.success(), "cargo metadata failed");
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let manifest = metadata["packages"]
        .as_array()
        .context("no packages in cargo metadata")?
        .iter()
        .find(|p| p["name"] == name)
        .with_context(|| format!("{name} is not a dependency"))?["manifest_path"]
        .as_str()
        .context("no manifest_path")?;
    Ok(Path::new(manifest).parent().unwrap().to_path_buf())
}
