//! The Chinese edition (po/README.md), checked on every `cargo test`: the
//! catalog is complete and up to date, its translations keep what the build
//! needs, and the translated book renders as completely as the English one.

use booktest::{book_root, i18n, site};

fn read(rel: &str) -> String {
    std::fs::read_to_string(book_root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn messages_pot_matches_the_english_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let fresh = i18n::fresh_pot(tmp.path()).unwrap();
    assert!(
        i18n::without_date(&fresh) == i18n::without_date(&read(i18n::TEMPLATE)),
        "{} is stale against the English sources: run `cargo xtask i18n`, then translate \
         the new and fuzzy messages of {} (po/README.md)",
        i18n::TEMPLATE,
        i18n::CATALOG
    );
}

#[test]
fn the_chinese_catalog_is_complete() {
    let pot = i18n::parse(&book_root().join(i18n::TEMPLATE)).unwrap();
    let po = i18n::parse(&book_root().join(i18n::CATALOG)).unwrap();
    let problems = i18n::catalog_problems(&pot, &po);
    let (done, open) = i18n::statistics(&po);
    println!(
        "{}: {done} translated, {open} untranslated or fuzzy",
        i18n::CATALOG
    );
    assert!(
        problems.is_empty(),
        "{} of {} messages of {} need work (po/README.md):\n{}",
        problems.len(),
        pot.count(),
        i18n::CATALOG,
        problems.join("\n")
    );
}

#[test]
fn translations_keep_links_citations_code_and_diagrams() {
    let po = i18n::parse(&book_root().join(i18n::CATALOG)).unwrap();
    let problems = i18n::translation_problems(&po);
    assert!(
        problems.is_empty(),
        "{} translations of {} lost something of their message:\n{}",
        problems.len(),
        i18n::CATALOG,
        problems.join("\n")
    );
}

#[test]
fn the_chinese_edition_renders_complete_and_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, katex_log) = site::render_edition(tmp.path(), Some("zh-CN")).unwrap();
    let problems = site::rendered_problems(&out, &katex_log, "zh-CN").unwrap();
    assert!(
        problems.is_empty(),
        "the rendered Chinese edition has problems:\n{}",
        problems.join("\n")
    );
}
