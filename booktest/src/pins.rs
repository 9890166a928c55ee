//! Tool versions are chosen in one place, `tools.toml`. The crates that link
//! the same tools as libraries (mdBook's crates in `booktest` and in
//! `listings/build.rs`, mdbook-katex, mdbook-mermaid) must pin them with `=`
//! to the same versions, or the hermetic render and the doctests would test
//! another mdBook than the one that builds the site. [`mismatches`] lists
//! every place where they disagree.

use anyhow::{Context as _, bail};

/// The tool of `tools.toml`'s `[cargo]` table that a library crate belongs
/// to: mdBook ships as several crates of one version.
fn tool_of(krate: &str) -> Option<&'static str> {
    match krate {
        "mdbook"
        | "mdbook-core"
        | "mdbook-driver"
        | "mdbook-html"
        | "mdbook-markdown"
        | "mdbook-preprocessor"
        | "mdbook-renderer"
        | "mdbook-summary" => Some("mdbook"),
        "mdbook-katex" => Some("mdbook-katex"),
        "mdbook-mermaid" => Some("mdbook-mermaid"),
        "mdbook-linkcheck2" => Some("mdbook-linkcheck2"),
        "mdbook-i18n-helpers" => Some("mdbook-i18n-helpers"),
        _ => None,
    }
}

/// Every disagreement between `tools.toml` (its text) and the dependency
/// tables of `manifests` (each a path, for messages, and the text of a
/// `Cargo.toml`). An empty list means the pins agree.
///
/// A dependency whose name starts with `mdbook` must be a crate of a tool
/// that `tools.toml` pins, required with `=` at exactly that version.
pub fn mismatches(tools_toml: &str, manifests: &[(String, String)]) -> anyhow::Result<Vec<String>> {
    let tools: toml::Table = toml::from_str(tools_toml).context("parse tools.toml")?;
    let Some(pinned) = tools.get("cargo").and_then(|c| c.as_table()) else {
        bail!("tools.toml has no [cargo] table");
    };
    let mut found = Vec::new();
    for (path, text) in manifests {
        let manifest: toml::Table =
            toml::from_str(text).with_context(|| format!("parse {path}"))?;
        for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
            let Some(deps) = manifest.get(section).and_then(|d| d.as_table()) else {
                continue;
            };
            for (krate, spec) in deps {
                if !krate.starts_with("mdbook") {
                    continue;
                }
                let Some(tool) = tool_of(krate) else {
                    found.push(format!(
                        "{path} [{section}] {krate}: not a crate of a tool in tools.toml"
                    ));
                    continue;
                };
                let Some(want) = pinned.get(tool).and_then(|v| v.as_str()) else {
                    found.push(format!(
                        "{path} [{section}] {krate}: tools.toml does not pin {tool}"
                    ));
                    continue;
                };
                let req = spec
                    .as_str()
                    .or_else(|| spec.get("version").and_then(|v| v.as_str()))
                    .unwrap_or("");
                if req != format!("={want}") {
                    found.push(format!(
                        "{path} [{section}] {krate} = {req:?}, but tools.toml pins {tool} = \"{want}\": \
                         write \"={want}\""
                    ));
                }
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOOLS: &str = "[cargo]\nmdbook = \"0.5.4\"\nmdbook-katex = \"0.10.0\"\n";

    fn check(manifest: &str) -> Vec<String> {
        mismatches(TOOLS, &[("x/Cargo.toml".into(), manifest.into())]).unwrap()
    }

    #[test]
    fn agreeing_pins_pass() {
        let ok = "[dependencies]\nmdbook-driver = \"=0.5.4\"\nserde = \"1\"\n\
                  [build-dependencies]\nmdbook-katex = { version = \"=0.10.0\" }\n";
        assert_eq!(check(ok), Vec::<String>::new());
    }

    #[test]
    fn another_version_fails() {
        let found = check("[dependencies]\nmdbook-html = \"=0.5.3\"\n");
        assert_eq!(
            found,
            [
                "x/Cargo.toml [dependencies] mdbook-html = \"=0.5.3\", but tools.toml pins \
              mdbook = \"0.5.4\": write \"=0.5.4\""
            ]
        );
    }

    #[test]
    fn a_range_instead_of_a_pin_fails() {
        assert_eq!(
            check("[dev-dependencies]\nmdbook-katex = \"0.10\"\n").len(),
            1
        );
    }

    #[test]
    fn an_unknown_or_unpinned_tool_fails() {
        assert_eq!(check("[dependencies]\nmdbook-toc = \"=0.1.0\"\n").len(), 1);
        assert_eq!(
            check("[dependencies]\nmdbook-mermaid = \"=0.17.1\"\n").len(),
            1
        );
        assert!(mismatches("[npm]\n", &[]).is_err());
    }
}
