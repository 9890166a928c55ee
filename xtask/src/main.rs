//! The book's tooling: `cargo xtask <command>`.
//!
//! - `serve [--lang zh-CN] [--port N]`: install the pinned tools if needed, then `mdbook serve`
//!   with live reload, of the English book or of the Chinese edition (`editions.rs`).
//! - `build`: install the pinned tools if needed, then the real `mdbook build` (HTML and linkcheck2)
//!   of both editions, the diagrams rendered to inline SVG and each edition's PDF
//!   (`diagrams.rs`, `pdf.rs`); the Chinese site goes to `book/html/zh-CN/`.
//! - `i18n`: extract `po/messages.pot` and merge it into `po/zh-CN.po` (po/README.md).
//! - `pdf`: print the built site's `print.html` to `book/html/<title>.pdf` again, and check it.
//! - `ci`: the full gate: fmt, clippy, test, build, browser check.
//! - `browser`: the browser check alone, on the last build.
//! - `screenshot <page.html>...`: light and dark full-page PNGs in `target/screenshots/`.
//! - `tools`: install the pinned tools (`tools.toml`) into `.tools/`.
//! - `wasm`: build the packet lab's WebAssembly module into `src/assets/lab/` (`wasm.rs`);
//!   `serve` and `build` do it first.
//! - `vendor`: refresh the vendored KaTeX CSS and fonts and mermaid.js.
//! - `pagefind`: mdBook's renderer for the search index (`[output.pagefind]` in book.toml).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod browser;
mod diagrams;
mod editions;
mod light;
mod pdf;
mod printbook;
mod search;
mod tools;
mod vendor;
mod wasm;

use anyhow::{Context, bail};

/// Every xtask command returns this: errors carry their context (the file or
/// command that failed) through `anyhow::Context`.
pub type Result<T = ()> = anyhow::Result<T>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("build") => build().map(|_| ()),
        Some("ci") => ci(),
        Some("browser") => browser::check(&html_dir()),
        Some("pdf") => pdf_all(),
        Some("i18n") => editions::update_catalogs(),
        Some("screenshot") => browser::screenshot(&html_dir(), &args[1..]),
        Some("tools") => tools::ensure_all(),
        Some("vendor") => vendor::vendor(),
        Some("wasm") => wasm::build_module().map(|_| ()),
        // mdBook's [output.pagefind] renderer (book.toml): the search index.
        Some("pagefind") => search::renderer(),
        _ => {
            eprintln!(
                "usage: cargo xtask <serve [--lang zh-CN] [--port N] | build | ci | browser | pdf | i18n | screenshot <page.html>... | tools | vendor | wasm>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The folder that holds `book.toml`.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Where `mdbook build` writes the HTML: with an `[output.linkcheck2]` table,
/// mdBook gives each renderer a subfolder, so the site is in `book/html`.
pub fn html_dir() -> PathBuf {
    root().join("book/html")
}

fn serve(args: &[String]) -> Result {
    let usage = "usage: cargo xtask serve [--lang en|zh-CN] [--port N]";
    let mut port = "3000".to_owned();
    let mut edition = &editions::ENGLISH;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().with_context(|| usage.to_owned())?;
        match flag.as_str() {
            "--port" => port = value.clone(),
            "--lang" => edition = editions::Edition::by_lang(value)?,
            _ => bail!("{usage}"),
        }
    }
    tools::ensure_cargo_tools()?;
    wasm::build_module()?;
    println!(
        "==> serving the {} book at http://127.0.0.1:{port}/ (live reload; Ctrl-C to stop)",
        edition.lang
    );
    run(edition
        .mdbook()
        .args(["serve", "--hostname", "127.0.0.1", "--port", &port])
        .arg("-d")
        .arg(edition.build_dir()))
}

/// Builds both editions into one site: English at the root of `book/html`,
/// each translation in its folder (`book/html/zh-CN`).
fn build() -> Result<PathBuf> {
    tools::ensure_cargo_tools()?;
    wasm::build_module()?;
    let site = html_dir();
    for edition in editions::ALL {
        let started = Instant::now();
        run(edition
            .mdbook()
            .arg("build")
            .arg("-d")
            .arg(edition.build_dir()))?;
        let built = edition.build_dir().join("html");
        edition.rename_404(&built)?;
        println!(
            "==> mdbook build ({}) took {:.1} s",
            edition.lang,
            started.elapsed().as_secs_f64()
        );
        diagrams::render_site(&built, edition)?;
        light::hidden_lines(&built)?;
        light::minify(&built)?;
        pdf::render(&built)?;
        if !edition.is_source() {
            let target = edition.site(&site);
            if target.exists() {
                std::fs::remove_dir_all(&target)
                    .with_context(|| format!("removing {}", target.display()))?;
            }
            std::fs::rename(&built, &target)
                .with_context(|| format!("moving {} to {}", built.display(), target.display()))?;
        }
    }
    println!("==> the site is in {}", site.display());
    Ok(site)
}

/// `cargo xtask pdf`: prints and checks the PDF of every edition again.
fn pdf_all() -> Result {
    for edition in editions::ALL {
        let site = edition.site(&html_dir());
        pdf::render(&site)?;
        pdf::check(&site, edition)?;
    }
    Ok(())
}

fn ci() -> Result {
    // Fail early, before minutes of compiling, if the browser is missing.
    browser::find_chromium()?;
    // `cargo test` builds the packet lab for wasm32 (packetlab/tests/wasm.rs):
    // on a fresh machine this adds the target first.
    step("packet lab's WebAssembly module", || {
        wasm::build_module().map(|_| ())
    })?;
    let steps: [(&str, &[&str]); 3] = [
        ("cargo fmt --check", &["fmt", "--all", "--check"]),
        (
            "cargo clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        ("cargo test", &["test", "--workspace"]),
    ];
    for (name, args) in steps {
        step(name, || {
            run(Command::new(cargo()).args(args).current_dir(root()))
        })?;
    }
    step("mdbook build (pinned binaries, linkcheck2)", || {
        build().map(|_| ())
    })?;
    step("pdf check (poppler-utils)", || {
        for edition in editions::ALL {
            pdf::check(&edition.site(&html_dir()), edition)?;
        }
        Ok(())
    })?;
    step("browser check", || browser::check(&html_dir()))?;
    println!("==> all checks passed");
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> Result) -> Result {
    println!("==> {name}");
    let started = Instant::now();
    f().with_context(|| format!("{name} failed"))?;
    println!("==> {name}: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs a command with inherited stdio and fails on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result {
    let status = cmd
        .status()
        .with_context(|| format!("could not start {:?}", cmd.get_program()))?;
    if !status.success() {
        bail!("{:?} exited with {status}", cmd.get_program());
    }
    Ok(())
}
