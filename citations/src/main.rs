//! `citations` as an mdBook preprocessor command (`book.toml`:
//! `command = "cargo run -q --locked -p citations --"`).
//!
//! - `citations supports <renderer>`: exit 0 (every renderer is supported).
//! - `citations`: read mdBook's `[context, book]` JSON on stdin, write the book.
//! - `citations list [<book root>]`: print every link the preprocessor makes,
//!   one a line (`chapter<TAB>text<TAB>url`), for reviewing it by eye.

use std::io;
use std::process::ExitCode;

use mdbook_preprocessor::Preprocessor as _;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("supports") => return ExitCode::SUCCESS,
        Some("list") => list(args.get(1).map(String::as_str).unwrap_or(".")),
        None => preprocess(),
        Some(other) => Err(anyhow::anyhow!(
            "unknown argument {other:?}; usage: citations [supports <renderer> | list [<book root>]]"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("citations: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn preprocess() -> anyhow::Result<()> {
    let (ctx, book) = mdbook_preprocessor::parse_input(io::stdin())?;
    let book = citations::Citations.run(&ctx, book)?;
    serde_json::to_writer(io::stdout(), &book)?;
    Ok(())
}

fn list(root: &str) -> anyhow::Result<()> {
    for (chapter, text, url) in citations::list_links(std::path::Path::new(root))? {
        println!("{chapter}\t{text}\t{url}");
    }
    Ok(())
}
