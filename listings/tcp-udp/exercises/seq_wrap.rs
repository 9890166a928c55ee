// Exercise: comparing TCP sequence numbers across the wrap. Sequence numbers
// are 32-bit and wrap from 2^32 - 1 to 0, so RFC 9293 §3.4 compares them
// modulo 2^32 ("=<" there means "less than or equal (modulo 2**32)").

// ANCHOR: solution
/// True when `a` comes before `b`: `b` lies less than 2^31 ahead of `a`
/// (RFC 1982 §3.2 defines this serial-number order; it leaves the pair
/// exactly 2^31 apart undefined, and here that pair compares false).
pub fn seq_lt(a: u32, b: u32) -> bool {
    // ANCHOR: todo
    (b.wrapping_sub(a) as i32) > 0
    // ANCHOR_END: todo
}

/// `a` before or equal to `b`.
pub fn seq_le(a: u32, b: u32) -> bool {
    // ANCHOR: todo
    a == b || seq_lt(a, b)
    // ANCHOR_END: todo
}

/// The receive test of RFC 9293 §3.4 for one octet: `RCV.NXT =< seq <
/// RCV.NXT + RCV.WND`. A zero window accepts nothing.
pub fn in_window(seq: u32, rcv_nxt: u32, rcv_wnd: u32) -> bool {
    // ANCHOR: todo
    seq.wrapping_sub(rcv_nxt) < rcv_wnd
    // ANCHOR_END: todo
}
// ANCHOR_END: solution

fn main() {
    let near_the_top = u32::MAX - 1;
    let after_the_wrap = near_the_top.wrapping_add(5);
    println!(
        "{near_the_top} < {after_the_wrap}: {}",
        seq_lt(near_the_top, after_the_wrap)
    );
    println!("naive u32 <: {}", near_the_top < after_the_wrap);
    println!(
        "octet {after_the_wrap} in window [{near_the_top}, +100): {}",
        in_window(after_the_wrap, near_the_top, 100)
    );
    println!("seq_le(7, 7): {}", seq_le(7, 7));
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_numbers() {
        assert!(seq_lt(1, 2));
        assert!(!seq_lt(2, 1));
        assert!(!seq_lt(5, 5));
        assert!(seq_le(5, 5));
        assert!(!seq_le(6, 5));
    }

    #[test]
    fn across_the_wrap() {
        assert!(seq_lt(u32::MAX, 0));
        assert!(seq_lt(u32::MAX - 10, 10));
        assert!(!seq_lt(10, u32::MAX - 10));
        assert!(seq_le(u32::MAX, 3));
    }

    #[test]
    fn half_the_space_is_ahead_and_half_behind() {
        for a in [0, 1, 0x7fff_ffff, 0x8000_0000, u32::MAX] {
            assert!(seq_lt(a, a.wrapping_add(1)));
            assert!(seq_lt(a, a.wrapping_add(0x7fff_ffff)));
            assert!(!seq_lt(a, a.wrapping_add(0x8000_0001)));
            assert!(seq_lt(a.wrapping_add(0x8000_0001), a));
        }
    }

    #[test]
    fn the_receive_window() {
        assert!(in_window(100, 100, 10));
        assert!(in_window(109, 100, 10));
        assert!(!in_window(110, 100, 10));
        assert!(!in_window(99, 100, 10));
        assert!(!in_window(100, 100, 0));
        // A window that straddles the wrap.
        assert!(in_window(2, u32::MAX - 2, 10));
        assert!(!in_window(u32::MAX - 3, u32::MAX - 2, 10));
    }
}
// ANCHOR_END: tests
