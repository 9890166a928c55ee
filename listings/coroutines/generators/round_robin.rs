// Two tasks written as hand-made state machines that implement `Iterator`,
// and a driver that resumes them in turn for a fixed number of rounds: the
// Rust twin of two Python generators driven by `next(m1); next(m2)` forever.
// The clock is simulated, so the listing runs instantly and its output is
// the same on every run.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

// ANCHOR: world
/// What both tasks share: a simulated clock (milliseconds) and the lines
/// they print, kept so that tests can check them.
#[derive(Default)]
struct World {
    clock_ms: Cell<u64>,
    lines: RefCell<Vec<String>>,
}

impl World {
    fn say(&self, who: &str, what: &str) {
        let line = format!("[{:>4} ms] {who}: {what}", self.clock_ms.get());
        self.lines.borrow_mut().push(line);
    }

    /// Stands in for Python's `time.sleep`: the clock moves on, and nothing
    /// else runs meanwhile.
    fn sleep(&self, ms: u64) {
        self.clock_ms.set(self.clock_ms.get() + ms);
    }
}
// ANCHOR_END: world

// ANCHOR: task
/// Where a task stopped: the one piece of state a generator keeps between
/// two calls of `next`.
enum Resume {
    /// Never run yet: start at the top of the loop body.
    AtStart,
    /// Suspended at `yield`: the next resume starts with the code after it.
    AfterYield,
}

struct Task {
    name: &'static str,
    resume: Resume,
    world: Rc<World>,
}

impl Iterator for Task {
    type Item = ();

    /// One resume. The Python loop body is `print; yield; sleep`, so a resume
    /// runs the code after the previous `yield` (the sleep), then the code
    /// up to the next `yield` (the print), then returns: that return is the
    /// `yield`.
    fn next(&mut self) -> Option<()> {
        if let Resume::AfterYield = self.resume {
            self.world
                .say(self.name, "resumed after yield, sleeps 500 ms");
            self.world.sleep(500);
        }
        self.world.say(self.name, "works, then yields");
        self.resume = Resume::AfterYield;
        Some(())
    }
}
// ANCHOR_END: task

// ANCHOR: driver
/// Resumes every task once per round, like `next(m1); next(m2)`, but stops
/// after `rounds` rounds instead of looping forever.
fn round_robin(tasks: &mut [Task], rounds: u32) {
    for round in 1..=rounds {
        if let Some(first) = tasks.first() {
            first
                .world
                .lines
                .borrow_mut()
                .push(format!("round {round}"));
        }
        for task in tasks.iter_mut() {
            task.next();
        }
    }
}

fn simulate(rounds: u32) -> Rc<World> {
    let world = Rc::new(World::default());
    let task = |name| Task {
        name,
        resume: Resume::AtStart,
        world: Rc::clone(&world),
    };
    let mut tasks = [task("task 1"), task("task 2")];
    round_robin(&mut tasks, rounds);
    world
}

fn main() {
    let world = simulate(3);
    for line in world.lines.borrow().iter() {
        println!("{line}");
    }
    println!(
        "3 rounds: {} ms of sleeping, one sleep after another",
        world.clock_ms.get()
    );
}
// ANCHOR_END: driver

#[cfg(test)]
mod tests {
    use super::simulate;

    #[test]
    fn tasks_alternate_and_the_driver_stops() {
        let world = simulate(4);
        let lines = world.lines.borrow();
        let works: Vec<&str> = lines
            .iter()
            .filter_map(|line| {
                line.split_once("] ")?
                    .1
                    .strip_suffix(": works, then yields")
            })
            .collect();
        assert_eq!(works, ["task 1", "task 2"].repeat(4));
    }

    #[test]
    fn every_sleep_adds_to_the_clock() {
        // Round 1 does not sleep; each later round sleeps once per task.
        assert_eq!(simulate(1).clock_ms.get(), 0);
        assert_eq!(simulate(4).clock_ms.get(), 3 * 2 * 500);
    }
}
