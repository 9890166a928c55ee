//! `cargo xtask vendor`: the assets the book serves itself, so that it works offline.
//!
//! - KaTeX's CSS and fonts, at the version mdbook-katex pre-renders with
//!   (`tools.toml`, `[vendor] katex`), from the npm registry's tarball.
//! - mermaid.js, exactly the file mdbook-mermaid (`[cargo] mdbook-mermaid`) ships.

use std::path::Path;
use std::process::Command;

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
        .ok_or_else(|| format!("tools.toml has no {name} in [{table}]"))
}

fn katex() -> Result {
    let version = version("vendor", "katex")?;
    let tmp = root().join("target/xtask-vendor");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    println!("==> npm pack katex@{version}");
    run(Command::new("npm")
        .args(["pack", "--silent", &format!("katex@{version}")])
        .current_dir(&tmp))?;
    run(Command::new("tar")
        .args(["xzf", &format!("katex-{version}.tgz")])
        .current_dir(&tmp))?;

    let dest = root().join("src/assets/katex");
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::create_dir_all(dest.join("fonts")).map_err(|e| e.to_string())?;
    let package = tmp.join("package");
    copy(
        &package.join("dist/katex.min.css"),
        &dest.join("katex.min.css"),
    )?;
    copy(&package.join("LICENSE"), &dest.join("LICENSE"))?;
    for entry in std::fs::read_dir(package.join("dist/fonts")).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
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
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8(out.stdout).map_err(|e| e.to_string())?;
    let needle = format!("{name}-{version}/Cargo.toml");
    let manifest = text
        .split('"')
        .find(|s| s.ends_with(&needle))
        .ok_or_else(|| {
            format!("{name} {version} is not in `cargo metadata`; is booktest pinned to it?")
        })?;
    Ok(Path::new(manifest).parent().unwrap().to_path_buf())
}

/// mdBook's code font, the only font file the book keeps: body text uses the
/// reader's system fonts (see `theme/fonts/fonts.css`).
fn code_font() -> Result {
    let version = version("cargo", "mdbook")?;
    let fonts = crate_source("mdbook-html", &version)?.join("front-end/fonts");
    let dest = root().join("theme/fonts");
    std::fs::create_dir_all(&dest).map_err(|e| e.to_string())?;
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
    std::fs::create_dir_all(&dest).map_err(|e| e.to_string())?;
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
        .map_err(|e| format!("copy {} → {}: {e}", from.display(), to.display()))
}

fn write(path: &Path, text: &str) -> Result {
    println!("==> wrote {}", path.display());
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
