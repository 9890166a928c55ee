//! The book's two editions: English, the source, at the root of the site, and
//! Chinese (简体中文), translated from `po/zh-CN.po` by mdbook-gettext and
//! published under `zh-CN/` (po/README.md).
//!
//! `cargo xtask build` builds both, `cargo xtask serve --lang zh-CN` serves the
//! Chinese one, and `cargo xtask i18n` refreshes the catalog after the English
//! changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::printbook::{self, Entry};
use crate::{Result, root, run, tools};

/// One edition of the book.
#[derive(Debug)]
pub struct Edition {
    /// `book.language`, and the `<html lang>` of its pages.
    pub lang: &'static str,
    /// Its folder inside the published site; empty for English.
    pub dir: &'static str,
    /// `book.title` and `book.description`; `None` keeps book.toml's.
    pub title: Option<&'static str>,
    pub description: Option<&'static str>,
    /// The tooltip of the PDF button that the build adds to every page.
    pub pdf_link_title: &'static str,
    /// The page for a missing URL (`output.html.input-404`, under `src/`);
    /// `None` keeps mdBook's English one.
    pub page_404: Option<&'static str>,
}

pub const ENGLISH: Edition = Edition {
    lang: "en",
    dir: "",
    title: None,
    description: None,
    pdf_link_title: "Download the book as a PDF",
    page_404: None,
};

pub const CHINESE: Edition = Edition {
    lang: "zh-CN",
    dir: "zh-CN",
    title: Some("协程与计算机网络：用 Rust 实践"),
    description: Some(
        "协程、OSI 与 TCP/IP 模型、DNS、TCP 与 UDP，每个示例都是由 cargo test 运行的 Rust 程序。",
    ),
    pdf_link_title: "下载本书的 PDF",
    page_404: Some("404.zh-CN.md"),
};

pub const ALL: [&Edition; 2] = [&ENGLISH, &CHINESE];

impl Edition {
    pub fn by_lang(lang: &str) -> Result<&'static Edition> {
        match ALL.iter().find(|e| e.lang == lang) {
            Some(edition) => Ok(edition),
            None => bail!(
                "no edition in language {lang:?}; the book has {}",
                ALL.map(|e| e.lang).join(", ")
            ),
        }
    }

    pub fn is_source(&self) -> bool {
        self.dir.is_empty()
    }

    /// `mdbook` (build or serve) for this edition: the language, title and
    /// description through mdBook's environment overrides.
    pub fn mdbook(&self) -> Command {
        let mut cmd = tools::command("mdbook");
        cmd.current_dir(root());
        if !self.is_source() {
            cmd.env("MDBOOK_BOOK__LANGUAGE", self.lang);
        }
        if let Some(title) = self.title {
            cmd.env("MDBOOK_BOOK__TITLE", title);
        }
        if let Some(description) = self.description {
            cmd.env("MDBOOK_BOOK__DESCRIPTION", description);
        }
        if let Some(page) = self.page_404 {
            cmd.env("MDBOOK_OUTPUT__HTML__INPUT_404", page);
        }
        cmd
    }

    /// Where `mdbook build -d` puts this edition before it joins the site.
    pub fn build_dir(&self) -> PathBuf {
        if self.is_source() {
            root().join("book")
        } else {
            root().join("book").join(self.lang)
        }
    }

    /// The edition's folder in the published site.
    pub fn site(&self, site_root: &Path) -> PathBuf {
        site_root.join(self.dir)
    }

    /// The parts and chapters of `SUMMARY.md`, with this edition's titles.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let path = root().join("src/SUMMARY.md");
        let summary = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let entries = printbook::entries(&summary)?;
        if self.is_source() {
            return Ok(entries);
        }
        let catalog = Catalog::load(&root().join("po").join(format!("{}.po", self.lang)))?;
        entries
            .into_iter()
            .map(|entry| {
                Ok(match entry {
                    Entry::Part(title) => Entry::Part(catalog.translate(&title)?),
                    Entry::Chapter { title, depth } => Entry::Chapter {
                        title: catalog.translate(&title)?,
                        depth,
                    },
                })
            })
            .collect()
    }
}

/// The translated messages of a PO file, for the titles of `SUMMARY.md`.
struct Catalog {
    path: PathBuf,
    messages: HashMap<String, String>,
}

impl Catalog {
    fn load(path: &Path) -> Result<Catalog> {
        let catalog = polib::po_file::parse(path)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("reading {}", path.display()))?;
        let mut messages = HashMap::new();
        for message in catalog.messages() {
            if message.is_translated() && !message.is_fuzzy() {
                let id = message.msgid();
                let Ok(text) = message.msgstr() else {
                    continue;
                };
                // mdBook gives a chapter's title without its markdown
                // (`yield`: ... → yield: ...); mdbook-gettext does the same.
                messages.insert(strip_markdown(id), strip_markdown(text));
                messages.insert(id.to_owned(), text.to_owned());
            }
        }
        Ok(Catalog {
            path: path.to_path_buf(),
            messages,
        })
    }

    fn translate(&self, title: &str) -> Result<String> {
        match self.messages.get(title) {
            Some(text) => Ok(text.clone()),
            None => bail!(
                "{}: the title {title:?} of SUMMARY.md has no translation (cargo xtask i18n)",
                self.path.display()
            ),
        }
    }
}

fn strip_markdown(s: &str) -> String {
    s.replace('`', "")
}

/// `cargo xtask i18n`: extracts `po/messages.pot` from the English book with
/// mdbook-xgettext, merges it into every translation (`msgmerge`: new
/// messages empty, changed ones fuzzy), and prints the statistics.
pub fn update_catalogs() -> Result {
    tools::ensure_cargo_tools()?;
    let scratch = root().join("target/xgettext");
    let _ = std::fs::remove_dir_all(&scratch);
    run(ENGLISH
        .mdbook()
        .arg("build")
        .arg("-d")
        .arg(&scratch)
        // Only the xgettext renderer; no line numbers, so that editing one
        // paragraph does not touch the references of every message after it.
        .env(
            "MDBOOK_OUTPUT",
            r#"{"xgettext": {"pot-file": "messages.pot", "granularity": 0}}"#,
        ))
    .context("extracting the messages with mdbook-xgettext")?;
    let fresh = std::fs::read_to_string(scratch.join("xgettext/messages.pot"))
        .or_else(|_| std::fs::read_to_string(scratch.join("messages.pot")))
        .context("mdbook-xgettext wrote no messages.pot")?;
    let pot = root().join("po/messages.pot");
    let old = std::fs::read_to_string(&pot).unwrap_or_default();
    // Keep the file when only its creation date would change.
    if without_date(&old) != without_date(&fresh) {
        std::fs::write(&pot, &fresh).with_context(|| format!("writing {}", pot.display()))?;
        println!("==> {} updated", pot.display());
    } else {
        println!("==> {} is up to date", pot.display());
    }
    for edition in ALL.iter().filter(|e| !e.is_source()) {
        let po = root().join("po").join(format!("{}.po", edition.lang));
        if po.is_file() {
            run(Command::new("msgmerge")
                .args(["--quiet", "--update", "--backup=none", "--no-wrap"])
                .arg(&po)
                .arg(&pot))
            .context("msgmerge (Debian package gettext)")?;
            // Messages the English no longer has are dropped, not kept as
            // `#~` comments: the catalog holds what the book says today.
            run(Command::new("msgattrib")
                .args(["--no-obsolete", "--no-wrap", "--output-file"])
                .arg(&po)
                .arg(&po))
            .context("msgattrib (Debian package gettext)")?;
        } else {
            run(Command::new("msginit")
                .args(["--no-translator", "--no-wrap", "--locale", "zh_CN.UTF-8"])
                .arg("--input")
                .arg(&pot)
                .arg("--output-file")
                .arg(&po))
            .context("msginit (Debian package gettext)")?;
        }
        println!("==> {}:", po.display());
        run(Command::new("msgfmt")
            .args(["--check", "--statistics", "--output-file=/dev/null"])
            .arg(&po))?;
    }
    Ok(())
}

fn without_date(pot: &str) -> String {
    pot.lines()
        .filter(|l| !l.starts_with("\"POT-Creation-Date:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_language_is_an_error_naming_the_editions() {
        let err = Edition::by_lang("fr").unwrap_err().to_string();
        assert!(err.contains("en, zh-CN"), "{err}");
        assert_eq!(Edition::by_lang("zh-CN").unwrap().dir, "zh-CN");
    }

    #[test]
    fn only_the_creation_date_is_ignored() {
        let a = "msgid \"\"\n\"POT-Creation-Date: 1\\n\"\nmsgid \"x\"";
        let b = "msgid \"\"\n\"POT-Creation-Date: 2\\n\"\nmsgid \"x\"";
        assert_eq!(without_date(a), without_date(b));
        assert_ne!(without_date(a), without_date("msgid \"y\""));
    }

    #[test]
    fn a_title_without_translation_is_an_error() {
        let catalog = Catalog {
            path: "po/zh-CN.po".into(),
            messages: [("`yield`".to_owned(), "`yield`！".to_owned())].into(),
        };
        assert_eq!(catalog.translate("`yield`").unwrap(), "`yield`！");
        let err = catalog.translate("Glossary").unwrap_err().to_string();
        assert!(
            err.contains("Glossary") && err.contains("xtask i18n"),
            "{err}"
        );
    }
}
