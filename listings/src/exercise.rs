//! `listings exercise`: the book's exercises, ready to solve locally.
//!
//! (A module of the `listings` binary, not of the library.)
//!
//! Each exercise is one listing file, `listings/<part>/exercises/<name>.rs`,
//! holding the reference solution and its tests. Two kinds of marked regions
//! turn it into the starter a reader edits:
//!
//! - `// ANCHOR: todo` ... `// ANCHOR_END: todo` becomes one `todo!()` line;
//! - `// ANCHOR: hide` ... `// ANCHOR_END: hide` is left out.
//!
//! Every other `ANCHOR` line is dropped, as mdBook drops it. The markers are
//! mdBook anchor lines, so the solution shown in the book carries none of them.
//!
//! ```text
//! listings exercise                      # list the exercises
//! listings exercise <name>               # write the starter into a scratch crate
//! listings exercise <name> --dir <path>  # ... at <path> instead
//! listings exercise <name> --starter     # print the starter
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{fs, io};

use super::LISTINGS;

/// The crates a starter may use, with the versions and features the
/// `listings` crate builds them with (so a scratch crate reuses its lock file).
const SCRATCH_DEPENDENCIES: &str = r#"tokio = { version = "1", features = ["rt", "rt-multi-thread", "macros", "net", "time", "io-util", "sync", "test-util"] }
corosensei = "0.3.4"
"#;

/// Every exercise: (short name, listing name), in book order.
pub(crate) fn all() -> Vec<(&'static str, &'static str)> {
    let mut found: Vec<_> = LISTINGS
        .iter()
        .filter_map(|(listing, _)| {
            let (_, name) = listing.split_once("/exercises/")?;
            Some((name, *listing))
        })
        .collect();
    let part_order = |listing: &str| {
        ["coroutines/", "networks/", "tcp-udp/"]
            .iter()
            .position(|p| listing.starts_with(p))
            .unwrap_or(usize::MAX)
    };
    found.sort_by_key(|(_, listing)| part_order(listing));
    found
}

/// The source file of a listing.
fn source_path(listing: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("{listing}.rs"))
}

/// The starter derived from an exercise file (see the module docs).
pub(crate) fn starter(source: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut open: Option<(&str, usize)> = None;
    for (number, line) in source.lines().enumerate() {
        let number = number + 1;
        let trimmed = line.trim_start();
        if let Some(name) = trimmed.strip_prefix("// ANCHOR: ") {
            let name = name.trim();
            if matches!(name, "todo" | "hide") {
                if let Some((outer, at)) = open {
                    return Err(format!(
                        "line {number}: `{name}` opened inside `{outer}` (line {at})"
                    ));
                }
                if name == "todo" {
                    let indent = &line[..line.len() - trimmed.len()];
                    out.push_str(indent);
                    out.push_str("todo!()\n");
                }
                open = Some((name, number));
            }
            continue;
        }
        if let Some(name) = trimmed.strip_prefix("// ANCHOR_END: ") {
            let name = name.trim();
            if matches!(name, "todo" | "hide") {
                match open {
                    Some((outer, _)) if outer == name => open = None,
                    _ => return Err(format!("line {number}: `{name}` closed but not open")),
                }
            }
            continue;
        }
        if open.is_none() {
            out.push_str(line);
            out.push('\n');
        }
    }
    match open {
        Some((name, at)) => Err(format!("`{name}` opened at line {at} is never closed")),
        None if !out.contains("todo!()") => Err("no `todo` region: nothing to solve".into()),
        None => Ok(out),
    }
}

pub(crate) fn command(args: &[String]) -> ExitCode {
    let Some(name) = args.first() else {
        for (name, listing) in all() {
            println!("{name:<16} {listing}.rs");
        }
        return ExitCode::SUCCESS;
    };
    let Some((name, listing)) = all().into_iter().find(|(n, _)| n == name) else {
        eprintln!("no exercise named {name:?}; `cargo run -q -p listings -- exercise` lists them");
        return ExitCode::from(2);
    };
    let source = match fs::read_to_string(source_path(listing)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}: {e}", source_path(listing).display());
            return ExitCode::FAILURE;
        }
    };
    let starter = match starter(&source) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{listing}.rs: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rest: Vec<&str> = args[1..].iter().map(String::as_str).collect();
    match rest.as_slice() {
        ["--starter"] => {
            print!("{starter}");
            ExitCode::SUCCESS
        }
        [] | ["--dir", _] => {
            let (dir, shared_target) = match rest.as_slice() {
                ["--dir", dir] => (PathBuf::from(dir), None),
                _ => {
                    let root = default_scratch_root();
                    (root.join(name), Some(root.join("target")))
                }
            };
            match write_scratch(&dir, name, &starter, shared_target.as_deref()) {
                Ok(()) => {
                    println!("Wrote the starter of `{name}` to {}", dir.display());
                    println!("Edit src/main.rs there until the tests pass:");
                    println!();
                    println!("    cd {}", dir.display());
                    println!("    cargo test");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("could not write {}: {e}", dir.display());
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: listings exercise [<name> [--dir <path> | --starter]]");
            ExitCode::from(2)
        }
    }
}

/// `target/exercises`, next to the binary's own profile folder.
fn default_scratch_root() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("exercises")))
        .unwrap_or_else(|| PathBuf::from("exercises"))
}

/// Writes a crate whose `src/main.rs` is the starter. A file the reader has
/// already edited is never overwritten. With `shared_target`, the exercises
/// share one target folder, so their dependencies are compiled once.
fn write_scratch(
    dir: &Path,
    name: &str,
    starter: &str,
    shared_target: Option<&Path>,
) -> io::Result<()> {
    fs::create_dir_all(dir.join("src"))?;
    if let Some(target) = shared_target {
        fs::create_dir_all(dir.join(".cargo"))?;
        fs::write(
            dir.join(".cargo/config.toml"),
            format!("[build]\ntarget-dir = {:?}\n", target.display().to_string()),
        )?;
    }
    let listings = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = format!(
        "[package]\nname = \"exercise-{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         # A workspace of its own, so that it builds outside the book's workspace.\n[workspace]\n\n\
         [profile.dev.package.\"*\"]\nopt-level = 1\n\n\
         [dependencies]\nlistings = {{ path = {:?} }}\n{SCRATCH_DEPENDENCIES}",
        listings.display().to_string()
    );
    fs::write(dir.join("Cargo.toml"), manifest)?;
    // The book's lock file: the same versions, already downloaded.
    let lock = dir.join("Cargo.lock");
    let book_lock = listings.parent().map(|root| root.join("Cargo.lock"));
    if !lock.exists()
        && let Some(book_lock) = book_lock
        && book_lock.exists()
    {
        fs::copy(book_lock, lock)?;
    }
    let main = dir.join("src/main.rs");
    if main.exists() && fs::read_to_string(&main)? != starter {
        eprintln!(
            "{} exists and differs from the starter: kept as it is",
            main.display()
        );
    } else {
        fs::write(main, starter)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{all, starter};

    #[test]
    fn todo_regions_become_todo_and_hide_regions_vanish() {
        let source = "\
use std::fmt;
// ANCHOR: solution
pub struct S {
    // ANCHOR: hide
    x: u8,
    // ANCHOR_END: hide
}
pub fn f() -> u8 {
    // ANCHOR: todo
    1 + 1
    // ANCHOR_END: todo
}
// ANCHOR_END: solution
";
        assert_eq!(
            starter(source).unwrap(),
            "use std::fmt;\npub struct S {\n}\npub fn f() -> u8 {\n    todo!()\n}\n"
        );
    }

    #[test]
    fn malformed_markers_are_errors() {
        let unclosed = "fn f() {\n// ANCHOR: todo\n1\n}\n";
        assert!(starter(unclosed).unwrap_err().contains("never closed"));
        let nested = "// ANCHOR: hide\n// ANCHOR: todo\n// ANCHOR_END: todo\n// ANCHOR_END: hide\n";
        assert!(starter(nested).unwrap_err().contains("inside"));
        let stray = "// ANCHOR_END: todo\n";
        assert!(starter(stray).unwrap_err().contains("not open"));
        assert!(
            starter("fn f() {}\n")
                .unwrap_err()
                .contains("nothing to solve")
        );
    }

    #[test]
    fn exercise_names_are_unique_and_four_per_part() {
        let exercises = all();
        let mut names: Vec<_> = exercises.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), exercises.len(), "two exercises share a name");
        for part in ["coroutines/", "networks/", "tcp-udp/"] {
            let count = exercises
                .iter()
                .filter(|(_, l)| l.starts_with(part))
                .count();
            assert!(count >= 4, "{part} has {count} exercises, fewer than four");
        }
    }
}
