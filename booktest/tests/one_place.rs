//! The README's "one place" claims about code hold: no Rust file of the book
//! (library, listings, examples, tests, chapters' code) defines a second hex
//! parser, checksum, `/proc` reader or table writer. The checker's unit test
//! shows it finding a copy.

use std::path::Path;

use booktest::book_root;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if !path.ends_with("target") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs" || e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn shared_helpers_have_one_home() {
    let root = book_root();
    let mut paths = Vec::new();
    for dir in ["listings", "packetlab", "src", "booktest/src", "xtask/src"] {
        rust_files(&root.join(dir), &mut paths);
    }
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(p).unwrap())
        })
        .filter(|(rel, _)| rel != "booktest/src/one_place.rs")
        .collect();
    assert!(files.len() > 50, "found only {} files", files.len());
    let found = booktest::one_place::violations(&files);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
