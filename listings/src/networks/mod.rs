//! Part II: network foundations. Code shared by the listings of `networks/`.
