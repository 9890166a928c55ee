// The smallest listing: a complete program that `cargo test` runs twice,
// once as a doctest of the chapter and once to compare its output with the
// golden file `first_listing.out` that the chapter shows.

// ANCHOR: all
fn main() {
    let layers = ["application", "transport", "internet", "network interface"];
    for (depth, layer) in layers.iter().enumerate() {
        println!("{}{layer}", "  ".repeat(depth));
    }
}
// ANCHOR_END: all
