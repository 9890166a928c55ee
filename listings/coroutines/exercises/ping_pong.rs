// Exercise: greenlet-style ping-pong between two stackful coroutines.
// Each player is a coroutine with its own stack; it hits the ball, then
// suspends, and the driver resumes the other player.

use corosensei::{Coroutine, CoroutineResult};

// ANCHOR: solution
/// A player: resumed with `()`, suspends with what it just did, returns the
/// number of hits when its `hits` are used up.
pub type Player = Coroutine<(), String, u32>;

/// A player called `name` that hits `hits` times: each resume runs it to its
/// next hit, `"<name> <n>"` with `n` counting from 1.
pub fn player(name: &'static str, hits: u32) -> Player {
    // ANCHOR: todo
    Coroutine::new(move |yielder, ()| {
        for n in 1..=hits {
            yielder.suspend(format!("{name} {n}"));
        }
        hits
    })
    // ANCHOR_END: todo
}

/// The driver, greenlet's `switch` done from outside: resumes `a`, then `b`,
/// then `a`, ... and returns every hit in order, stopping when either
/// player returns.
pub fn rally(a: &mut Player, b: &mut Player) -> Vec<String> {
    // ANCHOR: todo
    let mut hits = Vec::new();
    let players = [a, b];
    for turn in 0.. {
        match players[turn % 2].resume(()) {
            CoroutineResult::Yield(hit) => hits.push(hit),
            CoroutineResult::Return(_) => break,
        }
    }
    hits
    // ANCHOR_END: todo
}
// ANCHOR_END: solution

fn main() {
    let mut ping = player("ping", 3);
    let mut pong = player("pong", 3);
    for hit in rally(&mut ping, &mut pong) {
        println!("{hit}");
    }
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_player_suspends_after_each_hit() {
        let mut p = player("ping", 2);
        assert!(matches!(p.resume(()), CoroutineResult::Yield(s) if s == "ping 1"));
        assert!(matches!(p.resume(()), CoroutineResult::Yield(s) if s == "ping 2"));
        assert!(matches!(p.resume(()), CoroutineResult::Return(2)));
        assert!(p.done());
    }

    #[test]
    fn players_alternate() {
        let mut ping = player("ping", 2);
        let mut pong = player("pong", 2);
        assert_eq!(
            rally(&mut ping, &mut pong),
            ["ping 1", "pong 1", "ping 2", "pong 2"]
        );
    }

    #[test]
    fn the_rally_ends_when_one_player_is_done() {
        let mut ping = player("ping", 1);
        let mut pong = player("pong", 5);
        assert_eq!(rally(&mut ping, &mut pong), ["ping 1", "pong 1"]);
        // pong is still suspended in the middle of its loop, on its own stack.
        assert!(ping.done());
        assert!(!pong.done());
        assert!(matches!(pong.resume(()), CoroutineResult::Yield(s) if s == "pong 2"));
    }
}
// ANCHOR_END: tests
