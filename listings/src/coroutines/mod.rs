//! Part I: coroutines. Code shared by the listings of `coroutines/`.

pub mod procfs;
