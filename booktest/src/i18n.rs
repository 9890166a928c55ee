//! Checks of the Chinese edition's catalog (po/README.md):
//! - [`fresh_pot`]: `po/messages.pot` as `cargo xtask i18n` would write it now,
//!   made by mdbook-xgettext's own renderer, linked as a library;
//! - [`catalog_problems`]: an untranslated or fuzzy message, or one that the
//!   English no longer has or that is missing from the catalog;
//! - [`message_problems`]: a translation that lost what the build or the
//!   compiler needs from its message: a link target, an RFC citation, an
//!   inline code span, the comment markers of a code comment, the statements
//!   of a diagram.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::LazyLock;

use anyhow::Context as _;
use mdbook_driver::MDBook;
use polib::catalog::Catalog;
use regex::Regex;

use crate::book_root;

/// The catalog of the Chinese edition, relative to the book's root.
pub const CATALOG: &str = "po/zh-CN.po";
/// The template, relative to the book's root.
pub const TEMPLATE: &str = "po/messages.pot";

/// `po/messages.pot` as the English sources give it now: the same renderer
/// and settings as `cargo xtask i18n`, written into `dest`.
pub fn fresh_pot(dest: &Path) -> anyhow::Result<String> {
    let mut md = MDBook::load(book_root()).context("load the book")?;
    md.config.build.build_dir = dest.to_path_buf();
    md.config
        .set("output.xgettext.pot-file", "messages.pot")
        .context("config")?;
    md.config
        .set("output.xgettext.granularity", 0)
        .context("config")?;
    // The preprocessors of book.toml, linked as libraries (mdBook asks each
    // whether it supports this renderer; none of these does).
    md.with_preprocessor(mdbook_i18n_helpers::preprocessors::Gettext);
    md.with_preprocessor(mdbook_mermaid::Mermaid);
    md.with_preprocessor(mdbook_katex::preprocess::KatexProcessor);
    md.with_preprocessor(citations::Citations);
    md.execute_build_process(&mdbook_i18n_helpers::renderers::Xgettext)
        .context("extract the messages")?;
    let written =
        walk_for(dest, "messages.pot").context("mdbook-xgettext wrote no messages.pot")?;
    Ok(std::fs::read_to_string(written)?)
}

fn walk_for(dir: &Path, name: &str) -> Option<std::path::PathBuf> {
    for entry in std::fs::read_dir(dir).ok()? {
        let path = entry.ok()?.path();
        if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
        if path.is_dir()
            && let Some(found) = walk_for(&path, name)
        {
            return Some(found);
        }
    }
    None
}

/// A POT or PO file without the line that changes on every extraction.
pub fn without_date(pot: &str) -> String {
    pot.lines()
        .filter(|l| !l.starts_with("\"POT-Creation-Date:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A PO or POT file, read with polib (the library mdbook-gettext uses).
pub fn parse(path: &Path) -> anyhow::Result<Catalog> {
    polib::po_file::parse(path)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("reading {}", path.display()))
}

/// What is wrong with the translation `po` of the template `pot`.
pub fn catalog_problems(pot: &Catalog, po: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    let wanted: BTreeSet<&str> = pot.messages().map(|m| m.msgid()).collect();
    let mut have = BTreeSet::new();
    for message in po.messages() {
        let id = message.msgid();
        have.insert(id);
        if !wanted.contains(id) {
            problems.push(format!(
                "not in the English book (run cargo xtask i18n): {}",
                short(id)
            ));
        } else if message.is_fuzzy() {
            problems.push(format!("fuzzy: {}", short(id)));
        } else if !message.is_translated() {
            problems.push(format!("untranslated: {}", short(id)));
        }
    }
    for id in wanted.difference(&have) {
        problems.push(format!(
            "missing from the catalog (run cargo xtask i18n): {}",
            short(id)
        ));
    }
    problems
}

/// Translated and untranslated-or-fuzzy counts, for the report.
pub fn statistics(po: &Catalog) -> (usize, usize) {
    let done = po
        .messages()
        .filter(|m| m.is_translated() && !m.is_fuzzy())
        .count();
    (done, po.count() - done)
}

static LINK_TARGET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\]\(([^)\s]+)").unwrap());
static RFC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bRFC\s+[1-9][0-9]*(?:\s+§\s?[0-9A-Z]+(?:\.[0-9]+)*)?").unwrap());
static CODE_SPAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`+[^`]+`+").unwrap());

/// The distinct matches of `re` in `text`: a translation may say a name
/// twice where the English says it once, but it must not lose or add one.
fn all<'a>(re: &Regex, text: &'a str, group: usize) -> Vec<&'a str> {
    let found: BTreeSet<&str> = re
        .captures_iter(text)
        .map(|c| c.get(group).unwrap().as_str())
        .collect();
    found.into_iter().collect()
}

fn is_code_comment(id: &str) -> bool {
    let first = id.trim_start();
    first.starts_with("//") || first.starts_with("/*") || first.starts_with("# ")
}

fn is_diagram(id: &str) -> bool {
    id.contains("```mermaid")
}

/// The first word of every line of a diagram: its statements (`participant`,
/// `Note`, `C->>S:` ...), which a translation must keep in order.
fn statements(diagram: &str) -> Vec<&str> {
    diagram
        .lines()
        .map(|l| {
            let word = l.split_whitespace().next().unwrap_or("");
            // A flowchart node keeps its id; its label (`A7["application"]`) is words.
            word.split(['[', '(', '{']).next().unwrap_or(word)
        })
        .collect()
}

/// What a translation `text` lost of its message `id`.
pub fn message_problems(id: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let differ = |what: &str, a: Vec<&str>, b: Vec<&str>| {
        (a != b).then(|| format!("{what} differ: {a:?} in English, {b:?} in the translation"))
    };
    problems.extend(differ(
        "link targets",
        all(&LINK_TARGET, id, 1),
        all(&LINK_TARGET, text, 1),
    ));
    if !is_code_comment(id) {
        // (A comment may move a citation to its neighbouring line, which is
        // another message; code is never linked.)
        // Every citation of the English, and no other RFC (a translation may
        // repeat an RFC's number without its section).
        let (english, translated) = (all(&RFC, id, 0), all(&RFC, text, 0));
        let number = |c: &&str| c.split('§').next().unwrap_or(c).trim().to_owned();
        let lost: Vec<&str> = english
            .iter()
            .filter(|c| !translated.contains(c))
            .copied()
            .collect();
        let numbers = |v: &[&str]| v.iter().map(number).collect::<BTreeSet<_>>();
        if !lost.is_empty() || numbers(&english) != numbers(&translated) {
            problems.push(format!(
                "RFC citations differ: {english:?} in English, {translated:?} in the translation"
            ));
        }
    }
    if is_diagram(id) {
        problems.extend(differ(
            "diagram statements",
            statements(id),
            statements(text),
        ));
        let semicolons = |s: &str| s.matches(';').count();
        if semicolons(text) > semicolons(id) {
            problems.push("a `;` in a diagram label ends the statement".to_owned());
        }
    } else if is_code_comment(id) {
        let markers = |s: &str| -> Vec<String> {
            s.lines()
                .map(|l| {
                    let t = l.trim_start();
                    let indent = &l[..l.len() - t.len()];
                    let marker: String = t.chars().take_while(|c| "/#*!".contains(*c)).collect();
                    format!("{indent}{marker}")
                })
                .collect()
        };
        let (a, b) = (markers(id), markers(text));
        if a != b {
            problems.push(format!(
                "comment lines or markers differ: {a:?} in English, {b:?} in the translation"
            ));
        }
    } else {
        problems.extend(differ(
            "inline code",
            all(&CODE_SPAN, id, 0),
            all(&CODE_SPAN, text, 0),
        ));
    }
    problems
}

/// [`message_problems`] of every translated message of a catalog.
pub fn translation_problems(po: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for message in po.messages() {
        if !message.is_translated() || message.is_fuzzy() {
            continue;
        }
        let Ok(text) = message.msgstr() else { continue };
        for problem in message_problems(message.msgid(), text) {
            out.push(format!("{}: {problem}", short(message.msgid())));
        }
    }
    out
}

fn short(id: &str) -> String {
    let line = id.lines().next().unwrap_or("");
    let mut s: String = line.chars().take(70).collect();
    if s.len() < id.len() {
        s.push('…');
    }
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalog from its text, through a file as polib reads it.
    fn catalog(text: &str) -> Catalog {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.po");
        std::fs::write(&path, text).unwrap();
        parse(&path).unwrap()
    }

    /// The header polib requires (it panics on a catalog without one).
    const HEADER: &str = concat!(
        "msgid \"\"\nmsgstr \"\"\n",
        "\"Project-Id-Version: t\\n\"\n\"POT-Creation-Date: \\n\"\n\"PO-Revision-Date: \\n\"\n",
        "\"Last-Translator: \\n\"\n\"Language-Team: \\n\"\n\"MIME-Version: 1.0\\n\"\n",
        "\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Content-Transfer-Encoding: 8bit\\n\"\n",
        "\"Language: zh_CN\\n\"\n\"Plural-Forms: nplurals=1; plural=0;\\n\"\n\n",
    );
    fn pot() -> String {
        format!("{HEADER}msgid \"One\"\nmsgstr \"\"\n\nmsgid \"Two\"\nmsgstr \"\"\n")
    }

    #[test]
    fn a_complete_catalog_passes() {
        let po = pot()
            .replace("\"One\"\nmsgstr \"\"", "\"One\"\nmsgstr \"一\"")
            .replace("\"Two\"\nmsgstr \"\"", "\"Two\"\nmsgstr \"二\"");
        let problems = catalog_problems(&catalog(&pot()), &catalog(&po));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(statistics(&catalog(&po)), (2, 0));
    }

    #[test]
    fn untranslated_fuzzy_stale_and_missing_messages_fail() {
        let po = format!(
            "{HEADER}#, fuzzy\nmsgid \"One\"\nmsgstr \"一\"\n\nmsgid \"Gone\"\nmsgstr \"旧\"\n"
        );
        let problems = catalog_problems(&catalog(&pot()), &catalog(&po));
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("fuzzy"), "{problems:?}");
        assert!(
            problems[1].starts_with("not in the English"),
            "{problems:?}"
        );
        assert!(problems[2].starts_with("missing") && problems[2].contains("Two"));
        let empty = catalog_problems(&catalog(&pot()), &catalog(&pot()));
        assert!(empty.iter().all(|p| p.starts_with("untranslated")) && empty.len() == 2);
    }

    #[test]
    fn a_faithful_translation_passes() {
        let id = "See [the close](close.md#time-wait) and RFC 9293 §3.6: `TIME-WAIT` lasts 2 MSL.";
        let text =
            "见[关闭](close.md#time-wait)和 RFC 9293 §3.6（RFC 9293）：`TIME-WAIT` 持续 2 MSL。";
        assert_eq!(message_problems(id, text), Vec::<String>::new());
    }

    #[test]
    fn lost_links_citations_and_code_fail() {
        let id = "See [the close](close.md#time-wait), RFC 9293 §3.6 and `TIME-WAIT`.";
        let p = message_problems(id, "见[关闭](close.md)、RFC 9293 第 3.6 节和 TIME-WAIT。");
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].starts_with("link targets"), "{p:?}");
        assert!(p[1].starts_with("RFC citations"), "{p:?}");
        assert!(p[2].starts_with("inline code"), "{p:?}");
    }

    #[test]
    fn a_comment_keeps_its_lines_and_markers() {
        let id = "// the first byte\n    // after the SYN\n";
        assert!(message_problems(id, "// 第一个字节\n    // 在 SYN 之后\n").is_empty());
        assert_eq!(message_problems(id, "// 第一个字节在 SYN 之后\n").len(), 1);
        assert_eq!(message_problems("/// Docs\n", "// 文档\n").len(), 1);
    }

    #[test]
    fn a_diagram_keeps_its_statements_and_has_no_semicolon() {
        let id = "```mermaid\nsequenceDiagram\n    participant C as Client\n    C->>S: SYN, then wait\n    A7[\"application\"]\n```";
        let good = "```mermaid\nsequenceDiagram\n    participant C as 客户端\n    C->>S: SYN，然后等待\n    A7[\"应用层\"]\n```";
        assert!(message_problems(id, good).is_empty());
        let merged = "```mermaid\nsequenceDiagram\n    participant C as 客户端\n```";
        assert_eq!(message_problems(id, merged).len(), 1);
        let semicolon = good.replace('，', ";");
        assert_eq!(message_problems(id, &semicolon).len(), 1);
    }
}
