//! `tools.toml` is the one place where tool versions are chosen: every `=`
//! pin of the same tools' crates in the workspace's `Cargo.toml` files must
//! agree with it (the checker's own unit tests show it failing on bad input).

use booktest::book_root;

#[test]
fn cargo_pins_agree_with_tools_toml() {
    let root = book_root();
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let workspace: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let members: Vec<String> = workspace["workspace"]["members"]
        .as_array()
        .expect("workspace members")
        .iter()
        .map(|m| format!("{}/Cargo.toml", m.as_str().unwrap()))
        .collect();
    assert!(members.len() >= 3, "{members:?}");
    let manifests: Vec<(String, String)> = members.iter().map(|m| (m.clone(), read(m))).collect();
    let found = booktest::pins::mismatches(&read("tools.toml"), &manifests).unwrap();
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The check saw the pins it guards.
    let pinned = manifests
        .iter()
        .filter(|(_, text)| {
            text.contains("mdbook-driver = \"=") || text.contains("mdbook-katex = \"=")
        })
        .count();
    assert!(
        pinned >= 2,
        "the mdBook pins moved out of the member manifests"
    );
}
