//! Part III: TCP and UDP. Code shared by the listings of `tcp-udp/`.
