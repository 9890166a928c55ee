//! Command-line arguments of a listing program.
//!
//! A listing runs either on its own (as a doctest) or through the `listings`
//! binary, where the first argument is the listing's name. [`args`] returns the
//! arguments meant for the listing in both cases.

use std::sync::OnceLock;

static LISTING_ARGS: OnceLock<Vec<String>> = OnceLock::new();

/// Called once by the `listings` binary before it runs a listing.
pub fn set_listing_args(args: Vec<String>) {
    // A second call would be a bug in the dispatcher; keeping the first is harmless.
    let _ = LISTING_ARGS.set(args);
}

/// The listing's own arguments, without the program name.
pub fn args() -> Vec<String> {
    match LISTING_ARGS.get() {
        Some(args) => args.clone(),
        None => std::env::args().skip(1).collect(),
    }
}
