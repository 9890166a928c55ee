//! `cargo xtask vendor`: the assets the book serves itself, so that it works offline.
//!
//! - KaTeX's CSS and fonts, at the version mdbook-katex pre-renders with
//!   (`tools.toml`, `[vendor] katex`), from the npm registry's tarball.
//! - mermaid.js, exactly the file mdbook-mermaid (`[cargo] mdbook-mermaid`) ships.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, anyhow};

use crate::tools::pinned;
use crate::{Result, root, run};

pub fn vendor() -> Result {
    katex()?;
    mermaid()?;
    code_font()
}

fn version(table: &str, name: &str) -> Result<String> {
    pinned(table)?
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .ok_or_else(|| anyhow!("tools.toml has no {name} in [{table}]"))
}

fn katex() -> Result {
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

    let dest = root().join("src/assets/katex");
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::create_dir_all(dest.join("fonts"))
        .with_context(|| format!("creating {}/fonts", dest.display()))?;
    let package = tmp.join("package");
    copy(
        &package.join("dist/katex.min.css"),
        &dest.join("katex.min.css"),
    )?;
    copy(&package.join("LICENSE"), &dest.join("LICENSE"))?;
    let fonts = package.join("dist/fonts");
    for entry in
        std::fs::read_dir(&fonts).with_context(|| format!("reading {}", fonts.display()))?
    {
        let path = entry?.path();
        copy(&path, &dest.join("fonts").join(path.file_name().unwrap()))?;
    }
    write(
        &dest.join("SOURCE.md"),
        &format!(
            "KaTeX {version}: `dist/katex.min.css` and `dist/fonts/` of the npm package `katex@{version}` \
             (MIT licence, see LICENSE), the version mdbook-katex 0.10.0 pre-renders with.\n\n\
             Fetched by `cargo xtask vendor` (`npm pack katex@{version}`). Do not edit by hand.\n"
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

/// mdBook's code font, the only font file the book keeps: body text uses the
/// reader's system fonts (see `theme/fonts/fonts.css`).
fn code_font() -> Result {
    let version = version("cargo", "mdbook")?;
    let fonts = crate_source("mdbook-html", &version)?.join("front-end/fonts");
    let dest = root().join("theme/fonts");
    std::fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;
    for file in [
        "source-code-pro-v11-all-charsets-500.woff2",
        "SOURCE-CODE-PRO-LICENSE.txt",
    ] {
        copy(&fonts.join(file), &dest.join(file))?;
    }
    println!(
        "==> copied mdBook {version}'s Source Code Pro into {}",
        dest.display()
    );
    Ok(())
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
