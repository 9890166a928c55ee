// Sequence numbers live on a circle of 2^32 values (RFC 9293 §3.4). Adding
// wraps around, and "a comes before b" means that b is less than half the
// circle ahead of a (RFC 1982 §3.2). A plain `<` on u32 gets it wrong near
// the wrap.

// ANCHOR: seq
/// a + n, modulo 2^32.
fn seq_add(a: u32, n: u32) -> u32 {
    a.wrapping_add(n)
}

/// Does a come before b? True when b - a, modulo 2^32, is in 1..2^31.
fn seq_lt(a: u32, b: u32) -> bool {
    let distance = b.wrapping_sub(a); // (b - a) mod 2^32
    distance != 0 && distance < 1 << 31
}
// ANCHOR_END: seq

// ANCHOR: main
fn main() {
    let last = u32::MAX - 10; // 4294967285, 11 before the wrap
    let next = seq_add(last, 16); // 16 bytes later
    println!("{last} + 16 = {next} (mod 2^32)");
    println!("plain u32:  {last} < {next} is {}", last < next);
    println!("sequence:   {last} < {next} is {}", seq_lt(last, next));
    println!("sequence:   {next} < {last} is {}", seq_lt(next, last));
    let isn = 0xe6a8_6c68; // the note's SYN
    println!(
        "the note's SYN-ACK acknowledges {isn} + 1 = {}",
        seq_add(isn, 1)
    );
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_library() {
        use listings::tcp_udp::tcp_header::seq;
        for (a, b) in [
            (1, 2),
            (2, 1),
            (u32::MAX, 0),
            (0, u32::MAX),
            (7, 7),
            (0, 1 << 31),
            (5, 1 << 30),
        ] {
            assert_eq!(seq_lt(a, b), seq::lt(a, b), "{a} < {b}");
        }
    }
}
