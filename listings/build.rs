//! Prepares the book for `cargo test`.
//!
//! 1. Chapters: rustdoc cannot read mdBook's `{{#include}}` and
//!    `{{#rustdoc_include}}`, so this script loads the book with mdBook's own
//!    library (mdbook-driver 0.5.4, the version that renders the site), runs
//!    mdBook's own `links` preprocessor, and writes every expanded chapter to
//!    `$OUT_DIR/book/<chapter path>`. The expansion is therefore exactly
//!    mdBook's: anchors, line ranges, `# ` hidden lines, paths relative to the
//!    chapter and `\{{#...}}` escapes. It then writes `chapters.rs`, one
//!    `doc_comment::doctest!` per chapter, found from `SUMMARY.md`.
//! 2. Listing programs: every `.rs` file under a part folder of `listings/`
//!    (`coroutines/`, `networks/`, `tcp-udp/`, ...) is a complete program. They
//!    are compiled into the `listings` binary, which runs one by name.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use mdbook_driver::MDBook;
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_i18n_helpers::gettext;
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// Folders of `listings/` that hold crate code rather than listing programs.
const NOT_LISTINGS: &[&str] = &["src", "examples", "tests", "target", "proptest-regressions"];

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let book_root = manifest_dir.parent().unwrap().to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());

    println!(
        "cargo::rerun-if-changed={}",
        book_root.join("book.toml").display()
    );
    println!(
        "cargo::rerun-if-changed={}",
        book_root.join("src").display()
    );

    expand_chapters(&book_root, &out_dir);
    register_listings(&manifest_dir, &out_dir);
}

fn expand_chapters(book_root: &Path, out_dir: &Path) {
    let md =
        MDBook::load(book_root).unwrap_or_else(|e| panic!("mdBook could not load the book: {e:#}"));
    let ctx = PreprocessorContext::new(book_root.to_path_buf(), md.config.clone(), "html".into());
    let book = LinkPreprocessor::new()
        .run(&ctx, md.book.clone())
        .unwrap_or_else(|e| panic!("mdBook's links preprocessor failed: {e:#}"));

    let catalog_path = book_root.join("po/zh-CN.po");
    println!("cargo::rerun-if-changed={}", catalog_path.display());
    let mut catalog = polib::po_file::parse(&catalog_path)
        .unwrap_or_else(|e| panic!("{}: {e}", catalog_path.display()));
    gettext::add_stripped_summary_translations(&mut catalog);
    let mut chinese = book.clone();
    gettext::translate_book(&catalog, &mut chinese).unwrap_or_else(|e| {
        panic!(
            "translating the book from {}: {e:#}",
            catalog_path.display()
        )
    });

    let mut doctests = String::new();
    let mut list = String::new();
    for (edition, book, prefix, constant) in [
        ("book", &book, "ch", "DOCTESTED_CHAPTERS"),
        ("book-zh-CN", &chinese, "zh_ch", "DOCTESTED_CHAPTERS_ZH_CN"),
    ] {
        write_doctests(
            out_dir,
            edition,
            book,
            prefix,
            constant,
            &mut doctests,
            &mut list,
        );
    }
    fs::write(out_dir.join("chapters.rs"), doctests).unwrap();
    fs::write(out_dir.join("chapter_list.rs"), list).unwrap();
}

/// Writes every chapter of `book` to `$OUT_DIR/<edition>/` and a doctest
/// module `<prefix>_<chapter>` for each, and lists them in `constant`.
fn write_doctests(
    out_dir: &Path,
    edition: &str,
    book: &Book,
    prefix: &str,
    constant: &str,
    doctests: &mut String,
    list: &mut String,
) {
    let expanded_root = out_dir.join(edition);
    writeln!(
        list,
        "/// Every chapter of `SUMMARY.md` in `{edition}`, as doctested.\npub const {constant}: &[&str] = &["
    )
    .unwrap();
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else {
            continue;
        };
        let Some(path) = chapter.path.as_ref() else {
            panic!(
                "chapter {:?} has no file; write one that says it is not yet written",
                chapter.name
            )
        };
        let target = expanded_root.join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, &chapter.content).unwrap();

        let rel = path
            .to_str()
            .expect("chapter paths are UTF-8")
            .replace('\\', "/");
        writeln!(
            doctests,
            "doc_comment::doctest!(concat!(env!(\"OUT_DIR\"), \"/{edition}/{rel}\"), {});",
            module_name(prefix, &rel)
        )
        .unwrap();
        writeln!(list, "    {rel:?},").unwrap();
    }
    list.push_str("];\n");
}

/// `tcp-udp/handshake.md` → `ch_tcp_udp_handshake`: a valid identifier, never a keyword.
fn module_name(prefix: &str, chapter: &str) -> String {
    let stem = chapter.strip_suffix(".md").unwrap_or(chapter);
    let ident: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{prefix}_{ident}")
}

fn register_listings(manifest_dir: &Path, out_dir: &Path) {
    let mut programs = Vec::new();
    for entry in fs::read_dir(manifest_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if path.is_dir() && !NOT_LISTINGS.contains(&name.as_str()) && !name.starts_with('.') {
            println!("cargo::rerun-if-changed={}", path.display());
            collect_programs(&path, &mut programs);
        }
    }
    programs.sort();
    // `<name>.fail.rs` is a sample that must not compile: it is shown in a
    // `compile_fail` block, and the golden test records rustc's real errors.
    let (failing, programs): (Vec<PathBuf>, Vec<PathBuf>) = programs
        .into_iter()
        .partition(|p| p.to_string_lossy().ends_with(".fail.rs"));

    let mut code = String::new();
    let mut table = String::from(
        "/// Every listing program, by name.\npub(crate) static LISTINGS: &[(&str, Runner)] = &[\n",
    );
    for file in &programs {
        let rel = file.strip_prefix(manifest_dir).unwrap().with_extension("");
        let name = rel.to_str().unwrap().replace('\\', "/");
        let module = format!(
            "l_{}",
            name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        writeln!(
            code,
            "mod {module} {{\n    pub(crate) fn __run_listing() -> std::process::ExitCode {{\n        super::report(main)\n    }}\n    include!({:?});\n}}",
            file.display()
        )
        .unwrap();
        writeln!(table, "    ({name:?}, {module}::__run_listing),").unwrap();
    }
    table.push_str("];\n");
    code.push_str(&table);
    code.push_str("/// Samples that must fail to compile, by name.\npub(crate) static COMPILE_FAIL: &[&str] = &[\n");
    for file in &failing {
        let rel = file.strip_prefix(manifest_dir).unwrap().with_extension("");
        writeln!(code, "    {:?},", rel.to_str().unwrap().replace('\\', "/")).unwrap();
    }
    code.push_str("];\n");
    fs::write(out_dir.join("registry.rs"), code).unwrap();
}

fn collect_programs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_programs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
