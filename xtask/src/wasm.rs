//! The packet lab's WebAssembly module for the page: `packetlab` built for
//! `wasm32-unknown-unknown` with the `wasm` profile (opt-level "s", LTO, no
//! wasm-opt needed) and copied to `src/assets/lab/packetlab.wasm`
//! (git-ignored), from where mdBook copies it into the site next to its glue,
//! `src/assets/lab/lab.js`. `cargo xtask build` and `serve` call this first;
//! on a fresh machine it adds the target with rustup.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::{Result, cargo, root, run};

pub const TARGET: &str = "wasm32-unknown-unknown";

/// Where the page loads the module from, under `src/`.
pub fn module_path() -> PathBuf {
    root().join("src/assets/lab/packetlab.wasm")
}

fn target_installed() -> Result<bool> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(root())
        .output()
        .context("running `rustup target list --installed` (is rustup installed?)")?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == TARGET))
}

/// Adds the target if needed, builds the module and copies it into `src/`.
pub fn build_module() -> Result<PathBuf> {
    if !target_installed()? {
        println!(
            "==> adding the Rust target {TARGET} (rustup target add {TARGET}), once per machine"
        );
        run(Command::new("rustup")
            .args(["target", "add", TARGET])
            .current_dir(root()))?;
    }
    println!(
        "==> building the packet lab's WebAssembly module (cargo rustc -p packetlab --profile wasm --target {TARGET})"
    );
    let started = Instant::now();
    run(Command::new(cargo())
        .args([
            "rustc",
            "-q",
            "-p",
            "packetlab",
            "--lib",
            "--profile",
            "wasm",
            "--target",
            TARGET,
            "--crate-type",
            "cdylib",
        ])
        .current_dir(root()))?;
    let built = root().join(format!("target/{TARGET}/wasm/packetlab.wasm"));
    let bytes = std::fs::read(&built).with_context(|| format!("reading {}", built.display()))?;
    if !bytes.starts_with(b"\0asm") {
        bail!("{} is not a WebAssembly module", built.display());
    }
    let dest = module_path();
    if std::fs::read(&dest).ok().as_deref() != Some(&bytes[..]) {
        std::fs::create_dir_all(dest.parent().unwrap())?;
        std::fs::write(&dest, &bytes).with_context(|| format!("writing {}", dest.display()))?;
    }
    println!(
        "==> {} ({} bytes) in {:.1} s",
        dest.strip_prefix(root()).unwrap_or(&dest).display(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(dest)
}
