// A stackful coroutine can suspend from anywhere in its call stack: here an
// ordinary recursive function, three calls deep, hands each leaf of a tree to
// the caller and waits to be resumed. A stackless coroutine (a Python
// generator, a Rust `async fn`) can suspend only in its own body, so every
// level of the recursion would have to be a coroutine too.

use corosensei::{Coroutine, CoroutineResult, Yielder};

// ANCHOR: all
enum Tree {
    Leaf(&'static str),
    Node(Vec<Tree>),
}

/// A plain recursive function, not a coroutine, yet it suspends the
/// coroutine that called it, at any depth.
fn walk(tree: &Tree, depth: usize, yielder: &Yielder<(), (&'static str, usize)>) {
    match tree {
        Tree::Leaf(name) => yielder.suspend((name, depth)),
        Tree::Node(children) => children
            .iter()
            .for_each(|child| walk(child, depth + 1, yielder)),
    }
}

fn main() {
    use Tree::{Leaf, Node};
    let tree = Node(vec![
        Leaf("a"),
        Node(vec![Leaf("b"), Node(vec![Leaf("c")])]),
        Leaf("d"),
    ]);
    let mut leaves = Coroutine::new(move |yielder, ()| walk(&tree, 0, yielder));
    while let CoroutineResult::Yield((leaf, depth)) = leaves.resume(()) {
        println!("main: got leaf {leaf} from depth {depth}; resuming");
    }
    println!("main: the walk returned");
}
// ANCHOR_END: all
