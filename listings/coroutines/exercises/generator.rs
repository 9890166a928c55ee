// Exercise: a generator with two `yield`s, written by hand as a state machine.
//
// The Python generator it stands for:
//
//     def visit(name):
//         yield f"hello, {name}"
//         yield f"goodbye, {name}"

// ANCHOR: solution
/// Where a `visit` generator stopped, plus what it needs to go on.
#[derive(Debug)]
pub enum Visit {
    // ANCHOR: hide
    /// Created, body not started.
    Start { name: String },
    /// Stopped at the first `yield`.
    AfterHello { name: String },
    /// The body has returned.
    Done,
    // ANCHOR_END: hide
}

/// Calling the generator function runs none of its body.
pub fn visit(name: &str) -> Visit {
    // ANCHOR: todo
    Visit::Start {
        name: name.to_owned(),
    }
    // ANCHOR_END: todo
}

impl Iterator for Visit {
    type Item = String;

    /// Runs the body from where it stopped to the next `yield`.
    fn next(&mut self) -> Option<String> {
        // ANCHOR: todo
        match std::mem::replace(self, Visit::Done) {
            Visit::Start { name } => {
                let greeting = format!("hello, {name}");
                *self = Visit::AfterHello { name };
                Some(greeting)
            }
            Visit::AfterHello { name } => Some(format!("goodbye, {name}")),
            Visit::Done => None,
        }
        // ANCHOR_END: todo
    }
}
// ANCHOR_END: solution

fn main() {
    let mut a = visit("a");
    let mut b = visit("b");
    // Two generators resumed in turn, as the chapter's round robin does.
    for _ in 0..3 {
        println!("{:?} | {:?}", a.next(), b.next());
    }
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yields_twice_then_returns() {
        let lines: Vec<String> = visit("Ada").collect();
        assert_eq!(lines, ["hello, Ada", "goodbye, Ada"]);
    }

    #[test]
    fn stays_finished() {
        let mut g = visit("Ada");
        g.by_ref().for_each(drop);
        assert_eq!(g.next(), None);
        assert_eq!(g.next(), None);
    }

    #[test]
    fn resumes_where_it_stopped() {
        let mut a = visit("a");
        let mut b = visit("b");
        assert_eq!(a.next().as_deref(), Some("hello, a"));
        assert_eq!(b.next().as_deref(), Some("hello, b"));
        assert_eq!(a.next().as_deref(), Some("goodbye, a"));
        assert_eq!(b.next().as_deref(), Some("goodbye, b"));
    }

    #[test]
    fn the_state_is_small() {
        // A generator keeps only what it needs across a `yield`: here, the name.
        let g = visit("Ada");
        assert!(std::mem::size_of_val(&g) <= std::mem::size_of::<String>() + 8);
    }
}
// ANCHOR_END: tests
