//! Shown output is real output.
//!
//! Runs every listing program through the `listings` binary and compares its
//! normalised stdout with the golden file next to it (`<name>.out`), which the
//! chapter includes. `UPDATE_EXPECT=1 cargo test` rewrites the golden files.
//!
//! A listing opts out with a line `// no-golden: <reason>` (for example, a
//! measurement whose figures change every run); its own tests then assert it.
//!
//! A sample that must not compile, `<name>.fail.rs`, is compiled with rustc
//! (edition 2024) and its real error messages are compared with
//! `<name>.fail.out`, so the errors a chapter shows are the compiler's own.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};
use wait_timeout::ChildExt;

const BIN: &str = env!("CARGO_BIN_EXE_listings");
const TIMEOUT: Duration = Duration::from_secs(120);

fn main() {
    let args = Arguments::from_args();
    let listed = Command::new(BIN)
        .arg("--list")
        .output()
        .expect("run the listings binary");
    let names = String::from_utf8(listed.stdout).expect("listing names are UTF-8");
    let mut trials: Vec<Trial> = names
        .lines()
        .map(|name| {
            let name = name.to_owned();
            Trial::test(name.clone(), move || check(&name))
        })
        .collect();
    let failing = Command::new(BIN)
        .arg("--list-compile-fail")
        .output()
        .expect("run the listings binary");
    let failing = String::from_utf8(failing.stdout).expect("sample names are UTF-8");
    trials.extend(failing.lines().map(|name| {
        let name = name.to_owned();
        Trial::test(name.clone(), move || check_compile_fail(&name))
    }));
    libtest_mimic::run(&args, trials).exit();
}

/// Compiles a `.fail.rs` sample, which must fail, and compares rustc's
/// messages with the golden file.
fn check_compile_fail(name: &str) -> Result<(), Failed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = root.join(format!("{name}.rs"));
    let dir = source.parent().unwrap();
    let file = source.file_name().unwrap();
    // Trials run in parallel: each gets its own scratch directory, removed
    // when `scratch` is dropped.
    let scratch = tempfile::Builder::new()
        .prefix("listings-fail-")
        .tempdir()
        .map_err(|e| format!("create a temporary directory: {e}"))?;
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let output = Command::new(rustc)
        .current_dir(dir)
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "bin",
            "--crate-name",
            "sample",
        ])
        .args(["--color", "never"])
        .args(["--emit", "metadata", "--out-dir"])
        .arg(scratch.path())
        .arg(file)
        .output()
        .map_err(|e| format!("run rustc: {e}"))?;
    if output.status.success() {
        return Err(format!("{name}.rs compiled, but it is shown as a sample that fails").into());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    expect_test::expect_file![root.join(format!("{name}.out"))].assert_eq(&stderr);
    Ok(())
}

fn check(name: &str) -> Result<(), Failed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = root.join(format!("{name}.rs"));
    let text =
        std::fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let golden: PathBuf = root.join(format!("{name}.out"));
    let opted_out = text
        .lines()
        .any(|l| l.trim_start().starts_with("// no-golden:"));

    let output = run_bounded(name)?;
    if opted_out {
        if golden.exists() {
            return Err(format!("{name} says `no-golden` but {} exists", golden.display()).into());
        }
        return Ok(());
    }
    let shown = listings::golden::normalize(&output);
    expect_test::expect_file![golden].assert_eq(&shown);
    Ok(())
}

/// Runs one listing with a deadline, so a hung listing fails instead of hanging CI.
fn run_bounded(name: &str) -> Result<String, Failed> {
    let mut child = Command::new(BIN)
        .arg(name)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn {name}: {e}"))?;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).map(|_| s)
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).map(|_| s)
    });
    let Some(status) = child.wait_timeout(TIMEOUT).map_err(|e| e.to_string())? else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("{name} did not finish within {TIMEOUT:?}").into());
    };
    let stdout = out.join().unwrap().map_err(|e| e.to_string())?;
    let stderr = err.join().unwrap().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{name} exited with {status}\n--- stderr ---\n{stderr}").into());
    }
    Ok(stdout)
}
