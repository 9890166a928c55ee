// What `async fn` turns into, written by hand: a `Future` that is a state
// machine, and a tiny executor (a run queue and a `Waker`) that polls two
// futures in turn, one hand-written and one made by `async fn`. No unsafe
// code: the waker is an `Arc<Task>` through `std::task::Wake`.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

// ANCHOR: state_machine
/// Where the task is: the places a `Steps` can be suspended, and the data
/// alive there. The compiler makes such an enum for every `async fn`.
enum State {
    Start,
    AfterStep(u32),
    Done,
}

/// By hand, the future that `async_steps(name, last)` below compiles to.
struct Steps {
    name: &'static str,
    last: u32,
    state: State,
}

impl Future for Steps {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // `Steps` holds no reference to itself, so it is `Unpin` and may be
        // used through a plain `&mut`.
        let this = self.get_mut();
        let step = match this.state {
            State::Start => 1,
            State::AfterStep(done) => done + 1,
            State::Done => panic!("a finished future was polled again"),
        };
        if step > this.last {
            this.state = State::Done;
            return Poll::Ready(());
        }
        println!("{}: step {step}", this.name);
        this.state = State::AfterStep(step);
        // Not waiting for anything: ask to be polled again, then give the
        // thread back. This is a `yield`.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: state_machine

// ANCHOR: async_fn
/// A future that is `Pending` once, then `Ready`: the `yield` of `async`.
#[derive(Default)]
struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// The same task written with `async`: the compiler writes the state machine.
async fn async_steps(name: &'static str, last: u32) {
    for step in 1..=last {
        println!("{name}: step {step}");
        YieldNow::default().await;
    }
}
// ANCHOR_END: async_fn

// ANCHOR: executor
type RunQueue = Arc<Mutex<VecDeque<Arc<Task>>>>;

/// A spawned future, with the run queue it goes back to when woken.
struct Task {
    name: &'static str,
    future: Mutex<Option<Pin<Box<dyn Future<Output = ()> + Send>>>>,
    queue: RunQueue,
}

impl Wake for Task {
    /// Waking a task means putting it back in the run queue.
    fn wake(self: Arc<Self>) {
        let queue = Arc::clone(&self.queue);
        queue.lock().unwrap().push_back(self);
    }
}

#[derive(Default)]
struct Executor {
    queue: RunQueue,
}

impl Executor {
    fn spawn(&self, name: &'static str, future: impl Future<Output = ()> + Send + 'static) {
        let task = Task {
            name,
            future: Mutex::new(Some(Box::pin(future))),
            queue: Arc::clone(&self.queue),
        };
        self.queue.lock().unwrap().push_back(Arc::new(task));
    }

    /// Polls woken tasks, first in first out, until none is left; returns
    /// how many polls that took.
    fn run(&self) -> usize {
        let mut polls = 0;
        loop {
            // Take the queue's lock only to pop: `wake` needs it during `poll`.
            let next = self.queue.lock().unwrap().pop_front();
            let Some(task) = next else { return polls };
            let mut slot = task.future.lock().unwrap();
            let Some(future) = slot.as_mut() else {
                continue;
            }; // already finished
            let waker = Waker::from(Arc::clone(&task));
            polls += 1;
            let poll = future.as_mut().poll(&mut Context::from_waker(&waker));
            println!("  executor: polled {} -> {poll:?}", task.name);
            if poll.is_ready() {
                *slot = None; // drop the finished future
            }
        }
    }
}
// ANCHOR_END: executor

// ANCHOR: main
fn main() {
    let executor = Executor::default();
    executor.spawn(
        "A",
        Steps {
            name: "A",
            last: 2,
            state: State::Start,
        },
    );
    executor.spawn("B", async_steps("B", 2));
    let polls = executor.run();
    println!("run queue empty after {polls} polls");
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::{Executor, State, Steps, async_steps};

    #[test]
    fn each_task_is_polled_once_per_step_plus_once_to_finish() {
        let executor = Executor::default();
        executor.spawn(
            "A",
            Steps {
                name: "A",
                last: 3,
                state: State::Start,
            },
        );
        executor.spawn("B", async_steps("B", 5));
        assert_eq!(executor.run(), (3 + 1) + (5 + 1));
    }
}
