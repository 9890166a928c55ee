// The note's gevent example in Rust: two tasks, each printing, sleeping one
// second and printing again, spawned and then joined. The runtime starts with
// a paused clock: when every task is waiting, tokio moves the clock straight
// to the next timer, so the run takes one second of virtual time and almost
// no real time, and the output is the same on every run.

use std::time::Duration;

use tokio::time::{Instant, sleep};

// ANCHOR: tasks
async fn task(name: &str, start: Instant) {
    println!(
        "[{:>4} ms] {name}: starts, sleeps 1 s",
        start.elapsed().as_millis()
    );
    sleep(Duration::from_secs(1)).await; // suspends this task; others run
    println!(
        "[{:>4} ms] {name}: wakes up, ends",
        start.elapsed().as_millis()
    );
}
// ANCHOR_END: tasks

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let first = tokio::spawn(task("task 1", start));
    let second = tokio::spawn(task("task 2", start));
    let (a, b) = tokio::join!(first, second); // gevent.joinall
    a.expect("task 1 panicked");
    b.expect("task 2 panicked");
    println!("both joined after {:?} of virtual time", start.elapsed());
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn both_sleeps_overlap_in_one_virtual_second() {
        let start = Instant::now();
        let (a, b) = tokio::join!(
            tokio::spawn(task("x", start)),
            tokio::spawn(task("y", start))
        );
        a.unwrap();
        b.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }
}
