//! The browser check: every page of the built site in headless Chromium.
//!
//! The work is done by `xtask/browser/check.cjs` with playwright-core (pinned
//! in `tools.toml`), driving Debian's `/usr/bin/chromium`; it never downloads
//! a browser. Before checking the book it checks a copy of one page into
//! which it has put a broken diagram and an outside image, and fails unless
//! it catches both: a check that cannot fail proves nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, bail};

use crate::{Result, root, run, tools};

const CANDIDATES: &[&str] = &[
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
];

pub fn find_chromium() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Ok(PathBuf::from(path));
    }
    CANDIDATES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .ok_or_else(|| {
            anyhow!(
                "headless Chromium is needed for the browser check and was not found.\n\
         Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n\
         (or set CHROMIUM=/path/to/chromium). `bash .ci/run` installs it for you."
            )
        })
}

pub fn check(site: &Path) -> Result {
    let chromium = find_chromium()?;
    if !site.join("index.html").is_file() {
        bail!(
            "no built site in {}; run `cargo xtask build` first",
            site.display()
        );
    }
    let node_dir = tools::ensure_npm_tools()?;
    let script = root().join("xtask/browser/check.cjs");
    run(Command::new("node")
        .arg(script)
        .arg(site)
        .arg(&chromium)
        .env("NODE_PATH", node_dir.join("node_modules")))
}

/// `cargo xtask screenshot <page.html>...`: full-page PNGs in light and dark
/// themes under `target/screenshots/`, for reviewing a page as a reader sees it.
pub fn screenshot(site: &Path, pages: &[String]) -> Result {
    let chromium = find_chromium()?;
    let node_dir = tools::ensure_npm_tools()?;
    let out = root().join("target/screenshots");
    run(Command::new("node")
        .arg(root().join("xtask/browser/screenshot.cjs"))
        .arg(site)
        .arg(&chromium)
        .arg(&out)
        .args(pages)
        .env("NODE_PATH", node_dir.join("node_modules")))
}
