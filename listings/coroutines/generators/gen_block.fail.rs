fn main() {
    let mut task = gen {
        loop {
            println!("task 1 works");
            yield;
        }
    };
    task.next();
}
