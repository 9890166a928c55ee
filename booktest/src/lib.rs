//! Hermetic checks of the book; see `tests/`.
