//! The exercises' tests are a fair judge.
//!
//! Each exercise file (`listings/<part>/exercises/<name>.rs`) is a listing:
//! `cargo test` already runs its tests on the reference solution, in the
//! `listings` binary. This test checks the other half, for every exercise:
//!
//! 1. the starter that `listings exercise <name>` hands out is the committed
//!    `<name>.starter` the book shows (`UPDATE_EXPECT=1` rewrites it);
//! 2. the starter, compiled on its own as a reader's crate would be, with
//!    rustc against the dependencies `cargo test` has already built, runs
//!    every one of its tests, and every one of them fails. A test that passed
//!    on a `todo!()` starter would judge nothing.
//!
//! It also writes one scratch crate, as a reader would, and checks it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use libtest_mimic::{Arguments, Failed, Trial};
use wait_timeout::ChildExt;

const BIN: &str = env!("CARGO_BIN_EXE_listings");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The crates a starter may name, as the scratch crate gives them.
const EXTERNS: &[&str] = &["listings", "tokio", "corosensei"];
const TIMEOUT: Duration = Duration::from_secs(120);

fn main() {
    let args = Arguments::from_args();
    let listed = Command::new(BIN)
        .arg("exercise")
        .output()
        .expect("run the listings binary");
    let listed = String::from_utf8(listed.stdout).expect("names are UTF-8");
    let exercises: Vec<(String, String)> = listed
        .lines()
        .filter_map(|line| {
            let (name, file) = line.split_once(' ')?;
            let listing = file.trim().strip_suffix(".rs")?;
            Some((name.to_owned(), listing.to_owned()))
        })
        .collect();
    let mut trials = vec![Trial::test("at least twelve exercises", {
        let count = exercises.len();
        move || {
            if count >= 12 {
                Ok(())
            } else {
                Err(format!("only {count} exercises").into())
            }
        }
    })];
    trials.push(Trial::test("scratch crate", scratch_crate));
    trials.extend(exercises.into_iter().map(|(name, listing)| {
        Trial::test(format!("starter fails every test: {name}"), move || {
            judge_starter(&name, &listing)
        })
    }));
    libtest_mimic::run(&args, trials).exit();
}

fn starter_of(name: &str) -> Result<String, Failed> {
    let out = Command::new(BIN)
        .args(["exercise", name, "--starter"])
        .output()
        .map_err(|e| format!("run listings: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "listings exercise {name} --starter: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout).map_err(|e| e.to_string())?)
}

fn judge_starter(name: &str, listing: &str) -> Result<(), Failed> {
    let starter = starter_of(name)?;
    let golden = Path::new(ROOT).join(format!("{listing}.starter"));
    expect_test::expect_file![golden].assert_eq(&starter);

    let scratch = std::env::temp_dir().join(format!("exercise-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let result = compile_and_run(&scratch, &starter);
    let _ = std::fs::remove_dir_all(&scratch);
    let report = result?;

    let running = report
        .lines()
        .find_map(|l| {
            let rest = l.strip_prefix("running ")?;
            rest.strip_suffix(" tests").or(rest.strip_suffix(" test"))
        })
        .and_then(|n| n.parse::<usize>().ok())
        .ok_or_else(|| format!("no `running N tests` line in:\n{report}"))?;
    if running == 0 {
        return Err(format!("{name}: the starter has no tests").into());
    }
    let expected = format!("test result: FAILED. 0 passed; {running} failed;");
    if !report.contains(&expected) {
        return Err(format!(
            "{name}: some test passed on the starter, so it does not judge the answer.\n{report}"
        )
        .into());
    }
    Ok(())
}

/// Compiles `source` as a test crate with rustc, like the reader's
/// `cargo test` would, and returns the test binary's output.
fn compile_and_run(scratch: &Path, source: &str) -> Result<String, Failed> {
    let deps = std::env::current_exe()
        .map_err(|e| e.to_string())?
        .parent()
        .ok_or("test binary has no folder")?
        .to_path_buf();
    let file = scratch.join("main.rs");
    std::fs::write(&file, source).map_err(|e| e.to_string())?;
    let exe = scratch.join("starter-tests");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut cmd = Command::new(rustc);
    cmd.args(["--edition", "2024", "--test", "--crate-name", "starter"])
        .args(["--color", "never", "-A", "warnings"])
        .arg("-L")
        .arg(format!("dependency={}", deps.display()));
    for name in EXTERNS {
        cmd.arg("--extern")
            .arg(format!("{name}={}", newest_rlib(&deps, name)?.display()));
    }
    let compiled = cmd
        .arg("-o")
        .arg(&exe)
        .arg(&file)
        .output()
        .map_err(|e| format!("run rustc: {e}"))?;
    if !compiled.status.success() {
        return Err(format!(
            "the starter does not compile:\n{}",
            String::from_utf8_lossy(&compiled.stderr)
        )
        .into());
    }
    let mut child = Command::new(&exe)
        .args(["--test-threads", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("run the starter's tests: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).map(|_| s)
    });
    if child
        .wait_timeout(TIMEOUT)
        .map_err(|e| e.to_string())?
        .is_none()
    {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("the starter's tests did not finish within {TIMEOUT:?}").into());
    }
    Ok(reader
        .join()
        .expect("reader thread")
        .map_err(|e| e.to_string())?)
}

/// The `lib<name>-<hash>.rlib` that `cargo test` built last. Older builds of
/// the same crate (other feature sets, other sources) may sit next to it;
/// the newest is the one this run compiled or found fresh.
fn newest_rlib(deps: &Path, name: &str) -> Result<PathBuf, Failed> {
    let prefix = format!("lib{name}-");
    let mut best: Option<(SystemTime, PathBuf)> = None;
    for entry in std::fs::read_dir(deps).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
        if file.starts_with(&prefix) && file.ends_with(".rlib") {
            let modified = path
                .metadata()
                .and_then(|m| m.modified())
                .map_err(|e| e.to_string())?;
            if best.as_ref().is_none_or(|(t, _)| modified > *t) {
                best = Some((modified, path));
            }
        }
    }
    best.map(|(_, p)| p)
        .ok_or_else(|| format!("no {prefix}*.rlib in {}", deps.display()).into())
}

/// `listings exercise <name> --dir <path>` writes a crate whose main.rs is
/// the starter, with the book's lock file, and keeps a file the reader edited.
fn scratch_crate() -> Result<(), Failed> {
    let dir = std::env::temp_dir().join(format!("exercise-scratch-{}", std::process::id()));
    let run = || {
        Command::new(BIN)
            .args(["exercise", "checksum", "--dir"])
            .arg(&dir)
            .output()
    };
    let result = (|| -> Result<(), Failed> {
        let out = run().map_err(|e| e.to_string())?;
        let said = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() || !said.contains("cargo test") {
            return Err(format!("unexpected output: {said}").into());
        }
        let main = std::fs::read_to_string(dir.join("src/main.rs")).map_err(|e| e.to_string())?;
        if main != starter_of("checksum")? {
            return Err("src/main.rs is not the starter".into());
        }
        let manifest =
            std::fs::read_to_string(dir.join("Cargo.toml")).map_err(|e| e.to_string())?;
        for needle in ["[workspace]", "listings = { path =", "tokio", "corosensei"] {
            if !manifest.contains(needle) {
                return Err(format!("Cargo.toml lacks {needle:?}:\n{manifest}").into());
            }
        }
        if !dir.join("Cargo.lock").exists() {
            return Err("no Cargo.lock copied".into());
        }
        std::fs::write(dir.join("src/main.rs"), "// my answer\n").map_err(|e| e.to_string())?;
        run().map_err(|e| e.to_string())?;
        let kept = std::fs::read_to_string(dir.join("src/main.rs")).map_err(|e| e.to_string())?;
        if kept != "// my answer\n" {
            return Err("a second run overwrote the reader's answer".into());
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
