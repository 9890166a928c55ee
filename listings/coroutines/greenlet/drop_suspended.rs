// What happens to a stackful coroutine that is dropped while it is
// suspended: corosensei unwinds its stack, so every value living on that
// stack is dropped, as when a panic unwinds. A guard shows it.

use corosensei::{Coroutine, CoroutineResult};

// ANCHOR: guard
/// Prints when it is dropped, so we can see when the coroutine's stack goes.
struct Guard(&'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        println!("{}: guard dropped", self.0);
    }
}
// ANCHOR_END: guard

// ANCHOR: main
fn main() {
    let mut coroutine: Coroutine<(), &str, ()> = Coroutine::new(|yielder, ()| {
        let _guard = Guard("coroutine");
        println!("coroutine: guard made, suspending");
        yielder.suspend("suspended");
        println!("coroutine: resumed"); // never printed: nobody resumes it
    });

    if let CoroutineResult::Yield(said) = coroutine.resume(()) {
        println!("main: coroutine says {said:?}");
    }
    println!("main: dropping the suspended coroutine");
    drop(coroutine);
    println!("main: dropped");
}
// ANCHOR_END: main
