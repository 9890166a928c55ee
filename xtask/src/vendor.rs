//! `cargo xtask vendor`: the assets the book serves itself, so that it works offline.
//!
//! - KaTeX's CSS and fonts, at the version mdbook-katex pre-renders with
//!   (`tools.toml`, `[vendor] katex`), from the npm registry's tarball, the
//!   fonts cut to the characters of the book's math (read from the built
//!   site) and renamed, with fontTools (`xtask/vendor/subset_katex.py`).
//! - mermaid.js, exactly the file mdbook-mermaid (`[cargo] mdbook-mermaid`) ships.
//! - `theme/highlight.js`: highlight.js with only the languages the book's
//!   fences use (see [`HIGHLIGHT_LANGUAGES`]), cut from the npm package of the
//!   very build mdBook ships (`[vendor] highlight-js`), and checked to be the
//!   same bytes as mdBook's copy, core and each language.
//! - `theme/fonts/`: mdBook's Source Code Pro cut down to [`FONT_UNICODES`] with
//!   fontTools (`[vendor] fonttools`, `brotli`, from PyPI in a virtual
//!   environment under `target/`); dev-time only, CI uses the committed subset.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, anyhow, bail};

use crate::tools::pinned;
use crate::{Result, root, run};

pub fn vendor() -> Result {
    katex()?;
    mermaid()?;
    highlight()?;
    code_font()
}

/// The highlight.js languages the book's fences need, by the name they are
/// registered under: `rust`; `shell` (its alias `console`) and `bash`, which
/// `shell` hands the command after the prompt to; `python`; `ini` (alias
/// `toml`); `plaintext` (aliases `text`, `txt`: without it, highlight.js warns
/// about every `text` block). A booktest test fails when a chapter uses a
/// fence label that none of them answers to, or when one needs a language
/// that is left out; add the language here and run `cargo xtask vendor`.
pub const HIGHLIGHT_LANGUAGES: &[&str] = &["rust", "shell", "bash", "python", "ini", "plaintext"];

/// What the code font keeps: Latin (Basic, Latin-1 and the few extras of the
/// usual "latin" web subset), general punctuation, arrows, mathematical
/// operators, box drawing, block elements and geometric shapes (traces and
/// tables), and the replacement character. Characters outside (CJK above all)
/// fall back to the reader's fonts; the browser check fails when a
/// non-CJK character of the book's code does.
pub const FONT_UNICODES: &str = "U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,\
U+2000-206F,U+20AC,U+2122,U+2190-21FF,U+2200-22FF,U+2500-257F,U+2580-259F,U+25A0-25FF,U+FFFD";

/// The subset's family name: the OFL reserves "Source" for the unmodified font.
pub const FONT_FAMILY: &str = "Book Code";
const FONT_FILE: &str = "book-code-500-subset.woff2";

fn version(table: &str, name: &str) -> Result<String> {
    pinned(table)?
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .ok_or_else(|| anyhow!("tools.toml has no {name} in [{table}]"))
}

fn katex() -> Result {
    let fonttools = version("vendor", "fonttools")?;
    let version = version("vendor", "katex")?;
    let tmp = root().join("target/xtask-vendor");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    println!("==> npm pack katex@{version}");
    run(Command::new("npm")
        .args(["pack", "--silent", &format!("katex@{version}")])
        .current_dir(&tmp))?;
    run(Command::new("tar")
        .args(["xzf", &format!("katex-{version}.tgz")])
        .current_dir(&tmp))?;

    // The characters of the book's math, from the built site: build first.
    let site = crate::html_dir();
    if !site.join("print.html").is_file() {
        bail!(
            "KaTeX's fonts are cut to the characters of the book's math, read from the built site: run `cargo xtask build` first"
        );
    }
    let dest = root().join("src/assets/katex");
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::create_dir_all(dest.join("fonts"))
        .with_context(|| format!("creating {}/fonts", dest.display()))?;
    let package = tmp.join("package");
    copy(&package.join("LICENSE"), &dest.join("LICENSE"))?;
    let python = python_venv()?;
    run(Command::new(&python)
        .arg(root().join("xtask/vendor/subset_katex.py"))
        .arg(&site)
        .arg(package.join("dist"))
        .arg(&dest))?;
    write(
        &dest.join("SOURCE.md"),
        &format!(
            "KaTeX {version}, from the npm package `katex@{version}` (MIT licence, see LICENSE), the version \
             mdbook-katex 0.10.0 pre-renders with.\n\n\
             - `fonts/BookMath_*.woff2`: KaTeX's woff2 fonts (`dist/fonts/KaTeX_*.woff2`, SIL Open Font \
             License 1.1, in each font's name table) cut by fontTools {fonttools} \
             (`xtask/vendor/subset_katex.py`) to the characters the book's math draws, read from the built \
             site. The licence reserves each family name (\"KaTeX_Main\", ...) for the original font, and a \
             subset is a Modified Version, so the families are renamed \"BookMath_...\"; the copyright and \
             licence entries are kept.\n\
             - `katex.min.css`: `dist/katex.min.css` with those family and file names, and only the woff2 \
             source of each font.\n\n\
             Made by `cargo xtask vendor` after `cargo xtask build` (reproducible). Do not edit by hand. The \
             browser check fails when a character of the book's math is not drawn by these fonts: new math \
             that needs another character means running `cargo xtask build` then `cargo xtask vendor`.\n"
        ),
    )
}

/// The source folder of a crate that booktest depends on, from `cargo metadata`.
fn crate_source(name: &str, version: &str) -> Result<std::path::PathBuf> {
    let out = Command::new(crate::cargo())
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(root().join("Cargo.toml"))
        .output()
        .context("running `cargo metadata`")?;
    let metadata: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("parsing `cargo metadata` output")?;
    let manifest = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == name && p["version"] == version)
        .and_then(|p| p["manifest_path"].as_str())
        .ok_or_else(|| {
            anyhow!("{name} {version} is not in `cargo metadata`; is booktest pinned to it?")
        })?;
    let manifest = Path::new(manifest);
    Ok(manifest
        .parent()
        .with_context(|| format!("{} has no parent folder", manifest.display()))?
        .to_path_buf())
}

/// mdBook's code font, cut to [`FONT_UNICODES`] and renamed [`FONT_FAMILY`]:
/// the only font file the book serves (body text uses the reader's system
/// fonts, see `theme/fonts/fonts.css`).
fn code_font() -> Result {
    let mdbook = version_of_mdbook()?;
    let fonts = crate_source("mdbook-html", &mdbook)?.join("front-end/fonts");
    let dest = root().join("theme/fonts");
    std::fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;
    let python = python_venv()?;
    let source = fonts.join("source-code-pro-v11-all-charsets-500.woff2");
    run(Command::new(&python)
        .arg(root().join("xtask/vendor/subset_font.py"))
        .arg(&source)
        .arg(dest.join(FONT_FILE))
        .arg(FONT_UNICODES)
        .arg(FONT_FAMILY))?;
    copy(
        &fonts.join("SOURCE-CODE-PRO-LICENSE.txt"),
        &dest.join("SOURCE-CODE-PRO-LICENSE.txt"),
    )?;
    let old = dest.join("source-code-pro-v11-all-charsets-500.woff2");
    if old.exists() {
        std::fs::remove_file(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    let fonttools = version("vendor", "fonttools")?;
    write(
        &dest.join("SOURCE.md"),
        &format!(
            "`{FONT_FILE}` is Source Code Pro Medium (weight 500) as mdBook {mdbook} ships it \
             (`source-code-pro-v11-all-charsets-500.woff2`, SIL Open Font License 1.1, see \
             SOURCE-CODE-PRO-LICENSE.txt), cut to the characters the book's code needs by \
             fontTools {fonttools} (`xtask/vendor/subset_font.py`): {ranges}.\n\n\
             The licence reserves the name \"Source\" for the original font, and a subset is a Modified \
             Version, so the subset is named \"{FONT_FAMILY}\" (its name table and `fonts.css`); its \
             copyright, trademark and licence entries are kept.\n\n\
             Made by `cargo xtask vendor` (reproducible: the same inputs give the same bytes). Do not edit by \
             hand. The browser check fails when a character of the book's code, other than CJK, is not in \
             the subset.\n",
            ranges = FONT_UNICODES
        ),
    )
}

/// A Python virtual environment under `target/` with the pinned fontTools
/// and brotli (WOFF2) from PyPI; returns its interpreter.
fn python_venv() -> Result<std::path::PathBuf> {
    let fonttools = version("vendor", "fonttools")?;
    let brotli = version("vendor", "brotli")?;
    let venv = root().join("target/xtask-vendor-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        println!("==> python3 -m venv {}", venv.display());
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    println!("==> pip install fonttools=={fonttools} brotli=={brotli}");
    run(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("fonttools=={fonttools}"),
        &format!("brotli=={brotli}"),
    ]))?;
    Ok(python)
}

/// `theme/highlight.js`: the core of highlight.js and [`HIGHLIGHT_LANGUAGES`],
/// from the npm package of highlight.js's own browser build, at the version
/// mdBook ships (book.js calls its 10.x API: `configure({tabReplace})`,
/// `highlightBlock`, which keeps the hidden-line `<span class="boring">`).
/// Each piece must equal the same piece of mdBook's file, so the book looks
/// exactly as with mdBook's copy.
fn highlight() -> Result {
    let version = version("vendor", "highlight-js")?;
    let package = npm_package("@highlightjs/cdn-assets", &version)?;
    let cdn = read(&package.join("highlight.min.js"))?;
    let (core, _) = split_highlight(&cdn)?;
    let mdbook =
        crate_source("mdbook-html", &version_of_mdbook()?)?.join("front-end/js/highlight.js");
    let shipped = read(&mdbook)?;
    let (mdbook_core, mdbook_languages) = split_highlight(&shipped)?;
    if core != mdbook_core {
        bail!(
            "the core of highlight.js {version} differs from {}; pin the version mdBook ships",
            mdbook.display()
        );
    }
    let mut out = core.to_owned();
    for name in HIGHLIGHT_LANGUAGES {
        let file = package.join(format!("languages/{name}.min.js"));
        let block = read(&file)?;
        let block = block.trim();
        let shipped = mdbook_languages
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.trim())
            .ok_or_else(|| anyhow!("mdBook's highlight.js has no `{name}`"))?;
        if block != shipped {
            bail!("{} differs from mdBook's `{name}`", file.display());
        }
        out.push_str(block);
        out.push('\n');
    }
    let dest = root().join("theme");
    write(&dest.join("highlight.js"), &out)?;
    copy(
        &package.join("LICENSE"),
        &dest.join("highlight.js-LICENSE.txt"),
    )?;
    write(
        &dest.join("highlight.js-SOURCE.md"),
        &format!(
            "`highlight.js` is highlight.js {version} (BSD-3-Clause, see highlight.js-LICENSE.txt): the core \
             of `highlight.min.js` and `languages/{{{langs}}}.min.js` of the npm package \
             `@highlightjs/cdn-assets@{version}`, concatenated. mdBook {mdbook} ships the same build with \
             {all} languages; each piece here is byte-identical to mdBook's (checked by `cargo xtask vendor` \
             and by a booktest test), so the book's code looks the same, and book.js's calls work unchanged.\n\n\
             Made by `cargo xtask vendor`. Do not edit by hand: to highlight another fence label, add its \
             language to `HIGHLIGHT_LANGUAGES` in `xtask/src/vendor.rs` and re-run.\n",
            langs = HIGHLIGHT_LANGUAGES.join(","),
            mdbook = version_of_mdbook()?,
            all = mdbook_languages.len(),
        ),
    )
}

fn version_of_mdbook() -> Result<String> {
    version("cargo", "mdbook")
}

/// Splits a highlight.js browser build into its core and its
/// `hljs.registerLanguage("name", ...)` blocks, in order.
fn split_highlight(js: &str) -> Result<(&str, Vec<(String, &str)>)> {
    const MARK: &str = "hljs.registerLanguage(\"";
    let starts: Vec<usize> = js.match_indices(MARK).map(|(i, _)| i).collect();
    let Some(&first) = starts.first() else {
        bail!("no hljs.registerLanguage in the file");
    };
    let mut languages = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(js.len());
        let block = &js[start..end];
        let name = block[MARK.len()..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_owned();
        languages.push((name, block));
    }
    Ok((&js[..first], languages))
}

/// `npm pack`s a package into `target/xtask-vendor/<name>` and returns its folder.
fn npm_package(name: &str, version: &str) -> Result<std::path::PathBuf> {
    let tmp = root()
        .join("target/xtask-vendor")
        .join(name.replace(['@', '/'], "_"));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    println!("==> npm pack {name}@{version}");
    let out = Command::new("npm")
        .args(["pack", "--silent", &format!("{name}@{version}")])
        .current_dir(&tmp)
        .output()
        .context("running npm pack")?;
    if !out.status.success() {
        bail!(
            "npm pack {name}@{version} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let tarball = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    run(Command::new("tar")
        .args(["xzf", &tarball])
        .current_dir(&tmp))?;
    Ok(tmp.join("package"))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn mermaid() -> Result {
    let version = version("cargo", "mdbook-mermaid")?;
    let source = crate_source("mdbook-mermaid", &version)?.join("src/bin/assets/mermaid.min.js");
    let dest = root().join("src/assets/mermaid");
    std::fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;
    copy(&source, &dest.join("mermaid.min.js"))?;
    write(
        &dest.join("SOURCE.md"),
        &format!(
            "`mermaid.min.js` (mermaid 11.6.0, MIT licence, see the header of the file) exactly as mdbook-mermaid \
             {version} ships it in `src/bin/assets/`. Copied by `cargo xtask vendor`; a test in `booktest` checks \
             that the bytes match. Loaded by `theme/mermaid-loader.js` only on pages with a diagram.\n"
        ),
    )
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("copy {} → {}", from.display(), to.display()))
}

fn write(path: &Path, text: &str) -> Result {
    println!("==> wrote {}", path.display());
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
