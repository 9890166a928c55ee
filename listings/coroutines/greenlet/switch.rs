// The note's greenlet example in Rust: two stackful coroutines that switch
// to each other by name. corosensei gives asymmetric coroutines (resume and
// suspend), so a small driver plays greenlet's part: a coroutine suspends
// with the name of the one to switch to, and the driver resumes that one.

use corosensei::{Coroutine, CoroutineResult, Yielder};

// ANCHOR: types
/// The two coroutines of the example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Green {
    G1,
    G2,
}

/// A coroutine that is resumed with `()`, suspends with the name of the
/// coroutine to switch to, and returns `()` when its function ends.
type Greenlet = Coroutine<(), Green, ()>;

/// What `g.switch()` becomes: suspend, asking the driver to run `to`.
fn switch(yielder: &Yielder<(), Green>, to: Green) {
    yielder.suspend(to);
}
// ANCHOR_END: types

// ANCHOR: functions
fn first(yielder: &Yielder<(), Green>) {
    println!("g1: first line");
    switch(yielder, Green::G2);
    println!("g1: back in g1, last line");
}

fn second(yielder: &Yielder<(), Green>) {
    println!("g2: first line");
    switch(yielder, Green::G1);
    println!("g2: last line"); // never printed: nobody switches back to g2
}
// ANCHOR_END: functions

// ANCHOR: driver
/// Plays greenlet's part: runs `start`, then whichever coroutine the running
/// one switches to, until one of them returns. Like a greenlet whose function
/// ends, control then goes back to the parent, here `main`.
fn run_until_one_returns(g1: &mut Greenlet, g2: &mut Greenlet, start: Green) -> Green {
    let mut current = start;
    loop {
        let coroutine = match current {
            Green::G1 => &mut *g1,
            Green::G2 => &mut *g2,
        };
        match coroutine.resume(()) {
            CoroutineResult::Yield(next) => current = next,
            CoroutineResult::Return(()) => return current,
        }
    }
}

/// Runs the example and hands back g2, still suspended inside `switch`.
fn example() -> Greenlet {
    let mut g1 = Greenlet::new(|yielder, ()| first(yielder));
    let mut g2 = Greenlet::new(|yielder, ()| second(yielder));
    let finished = run_until_one_returns(&mut g1, &mut g2, Green::G1);
    println!("main: {finished:?} returned, so control is back in main");
    println!("main: g2 started = {}, done = {}", g2.started(), g2.done());
    g2
}

fn main() {
    let g2 = example();
    drop(g2); // its stack is unwound here: see `drop_suspended.rs`
}
// ANCHOR_END: driver

#[cfg(test)]
mod tests {
    #[test]
    fn g2_is_left_suspended() {
        let g2 = super::example();
        assert!(g2.started() && !g2.done());
    }
}
