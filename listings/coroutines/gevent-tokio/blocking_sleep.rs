// The counter-example: the same two tasks, once with `tokio::time::sleep`
// (the task yields to the runtime while it waits) and once with
// `std::thread::sleep` (the task blocks the only thread the runtime has).
// This is what gevent does with an un-patched `time.sleep`. The clock is
// real here, so the listing prints only what is certain: the order of the
// lines, and whether the run took at least the sum of the two sleeps.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::runtime::Builder;

// ANCHOR: tasks
// Long enough that the async run ends well before two naps, even on a busy
// machine: only a stall of a whole nap could make its line print `true`.
const NAP: Duration = Duration::from_millis(300);

#[derive(Clone, Copy)]
enum Sleep {
    /// `tokio::time::sleep(NAP).await`: suspends the task, frees the thread.
    Async,
    /// `std::thread::sleep(NAP)`: blocks the thread, and every task on it.
    Blocking,
}

type Log = Arc<Mutex<Vec<String>>>;

async fn task(name: &'static str, how: Sleep, log: Log) {
    log.lock().unwrap().push(format!("{name}: starts"));
    match how {
        Sleep::Async => tokio::time::sleep(NAP).await,
        Sleep::Blocking => std::thread::sleep(NAP),
    }
    log.lock().unwrap().push(format!("{name}: ends"));
}
// ANCHOR_END: tasks

// ANCHOR: run
/// Runs two tasks on a fresh single-threaded runtime; returns the lines they
/// logged and the real time the run took.
fn run_two_tasks(how: Sleep) -> (Vec<String>, Duration) {
    let runtime = Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("build a runtime");
    let log = Log::default();
    let started = Instant::now();
    runtime.block_on(async {
        let one = tokio::spawn(task("task 1", how, log.clone()));
        let two = tokio::spawn(task("task 2", how, log.clone()));
        let (a, b) = tokio::join!(one, two);
        a.expect("task 1 panicked");
        b.expect("task 2 panicked");
    });
    let took = started.elapsed();
    let lines = log.lock().unwrap().clone();
    (lines, took)
}

fn main() {
    for (label, how) in [
        ("tokio::time::sleep", Sleep::Async),
        ("std::thread::sleep", Sleep::Blocking),
    ] {
        let (lines, took) = run_two_tasks(how);
        println!("with {label}:");
        for line in &lines {
            println!("  {line}");
        }
        let serial = took >= 2 * NAP;
        println!("  took at least 2 x {NAP:?}, the sum of both sleeps: {serial}");
    }
}
// ANCHOR_END: run

#[cfg(test)]
mod tests {
    use super::{NAP, Sleep, run_two_tasks};

    #[test]
    fn blocking_sleep_serialises_the_tasks() {
        let (lines, took) = run_two_tasks(Sleep::Blocking);
        assert_eq!(
            lines,
            [
                "task 1: starts",
                "task 1: ends",
                "task 2: starts",
                "task 2: ends"
            ]
        );
        assert!(took >= 2 * NAP);
    }

    #[test]
    fn async_sleep_interleaves_the_tasks() {
        let (lines, _) = run_two_tasks(Sleep::Async);
        assert_eq!(
            lines,
            [
                "task 1: starts",
                "task 2: starts",
                "task 1: ends",
                "task 2: ends"
            ]
        );
    }
}
