//! The pinned tools of `tools.toml`, installed into `.tools/` (git-ignored).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, anyhow, bail};

use crate::{Result, root, run};

/// `(name, version)` pairs of one table of `tools.toml`.
pub fn pinned(table: &str) -> Result<Vec<(String, String)>> {
    let path = root().join("tools.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let doc: toml::Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    let section = doc
        .get(table)
        .and_then(|t| t.as_table())
        .ok_or_else(|| anyhow!("tools.toml has no [{table}] table"))?;
    section
        .iter()
        .map(|(name, v)| match v.as_str() {
            Some(version) => Ok((name.clone(), version.to_owned())),
            None => bail!("tools.toml: [{table}] {name} must be a version string"),
        })
        .collect()
}

pub fn tools_dir() -> PathBuf {
    root().join(".tools")
}

/// A command for a pinned binary, with `.tools/bin` first on `PATH` so that
/// mdBook finds the pinned preprocessors and renderers too.
pub fn command(name: &str) -> Command {
    let bin = tools_dir().join("bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin.clone()];
    paths.extend(std::env::split_paths(&path));
    let mut cmd = Command::new(bin.join(name));
    cmd.env("PATH", std::env::join_paths(paths).unwrap());
    cmd
}

pub fn ensure_all() -> Result {
    ensure_cargo_tools()?;
    ensure_npm_tools().map(|_| ())
}

/// Installs every `[cargo]` tool that is missing or at another version.
pub fn ensure_cargo_tools() -> Result {
    let tools = pinned("cargo")?;
    let missing: Vec<_> = tools
        .iter()
        .filter(|(name, version)| installed_version(name).as_deref() != Some(version.as_str()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!(
        "==> installing {} pinned tool(s) into {} (measured: about 8 minutes of compiling on 2 cores, once)",
        missing.len(),
        tools_dir().display()
    );
    for (i, (name, version)) in missing.iter().enumerate() {
        println!(
            "==> [{}/{}] cargo install --locked {name}@{version}",
            i + 1,
            missing.len()
        );
        let started = Instant::now();
        run(Command::new(crate::cargo())
            .args(["install", "--locked", "--force", "--root"])
            .arg(tools_dir())
            .arg(format!("{name}@{version}")))?;
        println!(
            "==> [{}/{}] {name} {version} installed in {:.0} s",
            i + 1,
            missing.len(),
            started.elapsed().as_secs_f64()
        );
        let got = installed_version(name);
        if got.as_deref() != Some(version.as_str()) {
            bail!("{name} reports version {got:?} after installing {version}");
        }
    }
    Ok(())
}

/// The version of a pinned crate in `.tools/`, from cargo's own record of
/// what `cargo install --root .tools` installed (`.tools/.crates.toml`, keys
/// like `"mdbook 0.5.4 (registry+...)"`). It names crates, not binaries, so it
/// also covers mdbook-i18n-helpers, whose binaries have other names.
fn installed_version(name: &str) -> Option<String> {
    let text = std::fs::read_to_string(tools_dir().join(".crates.toml")).ok()?;
    let doc: toml::Table = text.parse().ok()?;
    let crates = doc.get("v1")?.as_table()?;
    crates.keys().find_map(|key| {
        let mut words = key.split_whitespace();
        (words.next()? == name).then(|| words.next().map(str::to_owned))?
    })
}

/// Installs the `[npm]` packages into `.tools/node` and returns that folder.
pub fn ensure_npm_tools() -> Result<PathBuf> {
    let dir = tools_dir().join("node");
    let wanted = pinned("npm")?;
    let all_present = wanted.iter().all(|(name, version)| {
        let manifest = dir.join("node_modules").join(name).join("package.json");
        std::fs::read_to_string(manifest)
            .is_ok_and(|t| t.contains(&format!("\"version\": \"{version}\"")))
    });
    if all_present {
        return Ok(dir);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let specs: Vec<String> = wanted.iter().map(|(n, v)| format!("{n}@{v}")).collect();
    println!(
        "==> npm install {} (into {})",
        specs.join(" "),
        dir.display()
    );
    run(Command::new("npm")
        .args([
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            // None is needed: esbuild's postinstall only swaps its launcher
            // for the binary of @esbuild/linux-x64, which the launcher finds.
            "--ignore-scripts",
            "--prefix",
        ])
        .arg(&dir)
        .args(&specs)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    Ok(dir)
}
