// Exercise: `join_all` for a tiny executor. One future that drives many and
// finishes when the last one does, with their outputs in the order given.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

// ANCHOR: solution
/// Waits for every future in `futures`; the output keeps their order.
pub struct JoinAll<F: Future> {
    /// `Some` while a future is still running.
    running: Vec<Option<F>>,
    /// The output of each future, once it has one.
    outputs: Vec<Option<F::Output>>,
}

pub fn join_all<F: Future + Unpin>(futures: Vec<F>) -> JoinAll<F> {
    // ANCHOR: todo
    let outputs = futures.iter().map(|_| None).collect();
    JoinAll {
        running: futures.into_iter().map(Some).collect(),
        outputs,
    }
    // ANCHOR_END: todo
}

impl<F: Future + Unpin> Future for JoinAll<F>
where
    F::Output: Unpin,
{
    type Output = Vec<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        // ANCHOR: todo
        let this = &mut *self;
        for (slot, output) in this.running.iter_mut().zip(&mut this.outputs) {
            if let Some(future) = slot
                && let Poll::Ready(value) = Pin::new(future).poll(cx)
            {
                *output = Some(value);
                *slot = None; // never poll a finished future again
            }
        }
        if this.running.iter().all(Option::is_none) {
            Poll::Ready(this.outputs.iter_mut().filter_map(Option::take).collect())
        } else {
            Poll::Pending
        }
        // ANCHOR_END: todo
    }
}
// ANCHOR_END: solution

// ANCHOR: setup
/// The tiny executor: polls `future` on this thread, parking between polls
/// until a waker says there is progress to make.
pub fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

/// Ready with `value` on its `polls`-th poll; wakes itself before that.
/// Polling it once more after it is ready is a bug, and it panics.
pub struct Countdown {
    pub polls: u32,
    pub value: &'static str,
    pub log: Option<Arc<std::sync::Mutex<Vec<&'static str>>>>,
}

impl Future for Countdown {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        assert!(self.polls > 0, "{} polled after it finished", self.value);
        if let Some(log) = &self.log {
            log.lock().unwrap().push(self.value);
        }
        self.polls -= 1;
        if self.polls == 0 {
            Poll::Ready(self.value)
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

pub fn countdown(polls: u32, value: &'static str) -> Countdown {
    Countdown {
        polls,
        value,
        log: None,
    }
}
// ANCHOR_END: setup

fn main() {
    let all = join_all(vec![
        countdown(3, "slow"),
        countdown(1, "fast"),
        countdown(2, "middle"),
    ]);
    println!("{:?}", block_on(all));
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn outputs_keep_the_order_given() {
        let all = join_all(vec![
            countdown(3, "a"),
            countdown(1, "b"),
            countdown(2, "c"),
        ]);
        assert_eq!(block_on(all), ["a", "b", "c"]);
    }

    #[test]
    fn no_future_is_polled_after_it_finished() {
        // Countdown panics if polled again after it is ready.
        let all = join_all(vec![countdown(1, "quick"), countdown(5, "slow")]);
        assert_eq!(block_on(all), ["quick", "slow"]);
    }

    #[test]
    fn futures_take_turns() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let make = |polls, value| Countdown {
            polls,
            value,
            log: Some(log.clone()),
        };
        block_on(join_all(vec![make(2, "x"), make(2, "y")]));
        assert_eq!(*log.lock().unwrap(), ["x", "y", "x", "y"]);
    }

    #[test]
    fn nothing_to_wait_for() {
        let none: Vec<Countdown> = Vec::new();
        assert!(block_on(join_all(none)).is_empty());
    }
}
// ANCHOR_END: tests
