//! The book's tooling: `cargo xtask <command>`.
//!
//! - `serve [--port N]`: install the pinned tools if needed, then `mdbook serve` with live reload.
//! - `build`: install the pinned tools if needed, then the real `mdbook build` (HTML and linkcheck2),
//!   then the diagrams rendered to inline SVG and the PDF (`diagrams.rs`, `pdf.rs`).
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
        Some("pdf") => pdf::render(&html_dir()).and_then(|_| pdf::check(&html_dir())),
        Some("screenshot") => browser::screenshot(&html_dir(), &args[1..]),
        Some("tools") => tools::ensure_all(),
        Some("vendor") => vendor::vendor(),
        Some("wasm") => wasm::build_module().map(|_| ()),
        // mdBook's [output.pagefind] renderer (book.toml): the search index.
        Some("pagefind") => search::renderer(),
        _ => {
            eprintln!(
                "usage: cargo xtask <serve [--port N] | build | ci | browser | pdf | screenshot <page.html>... | tools | vendor | wasm>"
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
    let port = match args {
        [] => "3000".to_owned(),
        [flag, port] if flag == "--port" => port.clone(),
        _ => bail!("usage: cargo xtask serve [--port N]"),
    };
    tools::ensure_cargo_tools()?;
    wasm::build_module()?;
    println!("==> serving the book at http://127.0.0.1:{port}/ (live reload; Ctrl-C to stop)");
    run(tools::command("mdbook")
        .args(["serve", "--hostname", "127.0.0.1", "--port", &port])
        .current_dir(root()))
}

fn build() -> Result<PathBuf> {
    tools::ensure_cargo_tools()?;
    wasm::build_module()?;
    let started = Instant::now();
    run(tools::command("mdbook").arg("build").current_dir(root()))?;
    println!(
        "==> mdbook build took {:.1} s; the site is in {}",
        started.elapsed().as_secs_f64(),
        html_dir().display()
    );
    diagrams::render_site(&html_dir())?;
    pdf::render(&html_dir())?;
    Ok(html_dir())
}

fn ci() -> Result {
    // Fail early, before minutes of compiling, if the browser is missing.
    browser::find_chromium()?;
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
    step("pdf check (poppler-utils)", || pdf::check(&html_dir()))?;
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
