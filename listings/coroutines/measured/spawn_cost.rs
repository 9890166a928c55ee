// no-golden: measurements vary from run to run and machine to machine
//
// N processes, N OS threads and N tokio tasks, each doing the same small job:
// start, report that it is waiting, wait at a closed gate until all N exist,
// then finish. For each kind it prints the time to spawn, run and join one
// unit, and the memory one unit holds while all N wait, as the kernel reports
// it. Flags raise N: `--processes N`, `--threads N`, `--tasks N`.

use std::error::Error;
use std::io::pipe;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use listings::procfs;

type Res<T> = Result<T, Box<dyn Error>>;

/// No unit may take longer than this to start waiting; then the run fails.
const DEADLINE: Duration = Duration::from_secs(60);

// ANCHOR: measured
/// What one run of one kind of unit measured.
struct Measured {
    kind: &'static str,
    units: usize,
    /// Units that ran to the end and reported success.
    finished: usize,
    /// Spawn until all are waiting, plus release until all are joined.
    elapsed: Duration,
    /// Memory the units held while all of them were waiting, KiB.
    memory_kib: u64,
    /// Where `memory_kib` comes from.
    memory_source: &'static str,
}
// ANCHOR_END: measured

// ANCHOR: processes
/// Each process is `cat` with its standard input on one shared pipe: it
/// blocks reading until the parent closes the pipe's write end, then exits.
fn processes(units: usize) -> Res<Measured> {
    let (gate, gate_writer) = pipe()?;
    let start = Instant::now();
    let mut children = Vec::with_capacity(units);
    for _ in 0..units {
        let child = Command::new("cat")
            .stdin(gate.try_clone()?)
            .stdout(Stdio::null())
            .spawn()?;
        children.push(child);
    }
    drop(gate);
    for child in &children {
        wait_until(|| procfs::is_blocked_on_pipe(child.id()))?;
    }
    let to_wait = start.elapsed();

    // Not timed: read each child's proportional set size.
    let memory_kib = children
        .iter()
        .map(|c| procfs::pss_kib(c.id()))
        .sum::<Result<u64, _>>()?;

    let release = Instant::now();
    drop(gate_writer); // end of file: every `cat` exits
    let mut finished = 0;
    for child in &mut children {
        finished += usize::from(child.wait()?.success());
    }
    let elapsed = to_wait + release.elapsed();
    Ok(Measured {
        kind: "processes",
        units,
        finished,
        elapsed,
        memory_kib,
        memory_source: "Pss of each child",
    })
}

/// Polls `ready` until it says yes, for at most `DEADLINE`.
fn wait_until(mut ready: impl FnMut() -> Result<bool, procfs::ProcError>) -> Res<()> {
    let deadline = Instant::now() + DEADLINE;
    while !ready()? {
        if Instant::now() > deadline {
            return Err("a unit did not start waiting in time".into());
        }
        std::thread::sleep(Duration::from_micros(50));
    }
    Ok(())
}
// ANCHOR_END: processes

// ANCHOR: threads
/// Counts units that have started, so the parent can wait for all of them.
#[derive(Default)]
struct Arrivals {
    count: Mutex<usize>,
    changed: Condvar,
}

impl Arrivals {
    fn arrive(&self) {
        *self.count.lock().unwrap() += 1;
        self.changed.notify_all();
    }

    fn wait_for(&self, units: usize) -> Res<()> {
        let count = self.count.lock().unwrap();
        let (count, timeout) = self
            .changed
            .wait_timeout_while(count, DEADLINE, |c| *c < units)
            .unwrap();
        drop(count);
        if timeout.timed_out() {
            Err("threads did not start in time".into())
        } else {
            Ok(())
        }
    }
}

/// Each thread reports, then blocks on a read lock that the parent holds
/// for writing until all threads exist.
fn threads(units: usize) -> Res<Measured> {
    let gate = Arc::new(RwLock::new(()));
    let closed = gate.write().unwrap();
    let arrivals = Arc::new(Arrivals::default());
    let before_kib = procfs::self_rss_kib()?;

    let start = Instant::now();
    let mut handles = Vec::with_capacity(units);
    for _ in 0..units {
        let (gate, arrivals) = (Arc::clone(&gate), Arc::clone(&arrivals));
        handles.push(std::thread::Builder::new().spawn(move || {
            arrivals.arrive();
            drop(gate.read().unwrap());
            true
        })?);
    }
    arrivals.wait_for(units)?;
    let to_wait = start.elapsed();

    // Not timed: how much this process grew with all threads alive.
    let memory_kib = procfs::self_rss_kib()?.saturating_sub(before_kib);

    let release = Instant::now();
    drop(closed);
    let mut finished = 0;
    for handle in handles {
        finished += usize::from(handle.join().unwrap_or(false));
    }
    let elapsed = to_wait + release.elapsed();
    Ok(Measured {
        kind: "threads",
        units,
        finished,
        elapsed,
        memory_kib,
        memory_source: "VmRSS growth",
    })
}
// ANCHOR_END: threads

// ANCHOR: tasks
/// Each task reports, then awaits a read lock that the parent holds for
/// writing until all tasks exist. A multi-thread runtime, one worker per CPU.
fn tasks(units: usize) -> Res<Measured> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let before_kib = procfs::self_rss_kib()?;
    runtime.block_on(async {
        let gate = Arc::new(tokio::sync::RwLock::new(()));
        let closed = gate.write().await;
        let arrived = Arc::new(AtomicUsize::new(0));
        let all_here = Arc::new(tokio::sync::Notify::new());

        let start = Instant::now();
        let mut handles = Vec::with_capacity(units);
        for _ in 0..units {
            let (gate, arrived, all_here) = (
                Arc::clone(&gate),
                Arc::clone(&arrived),
                Arc::clone(&all_here),
            );
            handles.push(tokio::spawn(async move {
                if arrived.fetch_add(1, Ordering::SeqCst) + 1 == units {
                    all_here.notify_one();
                }
                drop(gate.read().await);
                true
            }));
        }
        if units > 0 {
            tokio::time::timeout(DEADLINE, all_here.notified()).await?;
        }
        let to_wait = start.elapsed();

        let memory_kib = procfs::self_rss_kib()?.saturating_sub(before_kib);

        let release = Instant::now();
        drop(closed);
        let mut finished = 0;
        for handle in handles {
            finished += usize::from(handle.await.unwrap_or(false));
        }
        let elapsed = to_wait + release.elapsed();
        Ok(Measured {
            kind: "tokio tasks",
            units,
            finished,
            elapsed,
            memory_kib,
            memory_source: "VmRSS growth",
        })
    })
}
// ANCHOR_END: tasks

// ANCHOR: report
impl Measured {
    fn micros_per_unit(&self) -> f64 {
        self.elapsed.as_secs_f64() * 1e6 / self.units.max(1) as f64
    }

    fn kib_per_unit(&self) -> f64 {
        self.memory_kib as f64 / self.units.max(1) as f64
    }
}

/// The largest N this machine holds "comfortably", by a stated rule: the
/// units use at most a quarter of the available memory, and at most half of
/// the kernel's limit that binds them, given with its name (`None` for tokio
/// tasks, which the kernel does not see).
fn comfortable(kib_per_unit: f64, kernel_limit: Option<(u64, &str)>) -> Res<(u64, String)> {
    let by_memory = if kib_per_unit > 0.0 {
        (procfs::mem_available_kib()? as f64 / 4.0 / kib_per_unit) as u64
    } else {
        u64::MAX
    };
    Ok(match kernel_limit {
        Some((limit, name)) if limit / 2 < by_memory => {
            (limit / 2, format!("half the kernel's {name}"))
        }
        _ => (by_memory, "a quarter of available memory".to_owned()),
    })
}

fn print_report(results: &[Measured]) -> Res<()> {
    let tasks_limit = (procfs::task_limit()?, "task limit");
    // Each thread stack is two memory mappings (the stack and its guard page),
    // so the number of mappings a process may have bounds its threads too.
    let maps_limit = (
        procfs::kernel_number("/proc/sys/vm/max_map_count")? / 2,
        "memory-map limit",
    );
    let threads_limit = if maps_limit.0 < tasks_limit.0 {
        maps_limit
    } else {
        tasks_limit
    };
    println!("machine: {}", procfs::machine_summary()?);
    println!();
    println!(
        "| kind        |       N |           ran | µs per unit | KiB per unit | memory from       | comfortable N | bound by                           |"
    );
    println!(
        "|-------------|--------:|--------------:|------------:|-------------:|-------------------|--------------:|------------------------------------|"
    );
    for m in results {
        let limit = match m.kind {
            "processes" => Some(tasks_limit),
            "threads" => Some(threads_limit),
            _ => None,
        };
        let (n, why) = comfortable(m.kib_per_unit(), limit)?;
        println!(
            "| {:<11} | {:>7} | {:>13} | {:>11.1} | {:>12.2} | {:<17} | {:>13} | {why:<34} |",
            m.kind,
            m.units,
            format!("{}/{}", m.finished, m.units),
            m.micros_per_unit(),
            m.kib_per_unit(),
            m.memory_source,
            n
        );
    }
    if let Some(task) = results.iter().find(|m| m.kind == "tokio tasks") {
        println!();
        for m in results.iter().filter(|m| m.kind != "tokio tasks") {
            println!(
                "one of the {} costs {:.0}x the time and {:.0}x the memory of one tokio task",
                m.kind,
                m.micros_per_unit() / task.micros_per_unit(),
                m.kib_per_unit() / task.kib_per_unit().max(f64::MIN_POSITIVE)
            );
        }
    }
    Ok(())
}
// ANCHOR_END: report

// ANCHOR: main
struct Sizes {
    processes: usize,
    threads: usize,
    tasks: usize,
}

fn parse_args(args: &[String]) -> Res<Sizes> {
    let mut sizes = Sizes {
        processes: 100,
        threads: 1_000,
        tasks: 10_000,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value: usize = args
            .next()
            .ok_or(format!("{flag} needs a number"))?
            .replace('_', "")
            .parse()?;
        match flag.as_str() {
            "--processes" => sizes.processes = value,
            "--threads" => sizes.threads = value,
            "--tasks" => sizes.tasks = value,
            other => {
                return Err(
                    format!("unknown flag {other}; use --processes, --threads, --tasks").into(),
                );
            }
        }
    }
    Ok(sizes)
}

fn main() -> Res<()> {
    let sizes = parse_args(&listings::cli::args())?;
    let results = [
        processes(sizes.processes)?,
        threads(sizes.threads)?,
        tasks(sizes.tasks)?,
    ];
    print_report(&results)
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    fn check(m: &Measured, units: usize) {
        assert_eq!(m.units, units);
        assert_eq!(m.finished, units, "every {} ran to the end", m.kind);
        assert!(m.elapsed > Duration::ZERO);
        assert!(m.micros_per_unit() > 0.0);
    }

    // One test runs all three kinds, one after the other: tests in one binary
    // run in parallel, and the memory figures are of the whole process.
    #[test]
    fn every_unit_runs_and_the_figures_are_sane() {
        let p = processes(3).unwrap();
        check(&p, 3);
        // A process always has pages of its own.
        assert!(p.memory_kib > 0 && p.kib_per_unit() > 0.0);
        check(&threads(20).unwrap(), 20);
        check(&tasks(200).unwrap(), 200);
    }

    #[test]
    fn flags_raise_n() {
        let args: Vec<String> = ["--tasks", "100_000", "--threads", "10000"]
            .map(String::from)
            .into();
        let sizes = parse_args(&args).unwrap();
        assert_eq!(
            (sizes.processes, sizes.threads, sizes.tasks),
            (100, 10_000, 100_000)
        );
        assert!(parse_args(&["--bogus".to_owned(), "1".to_owned()]).is_err());
        assert!(parse_args(&["--tasks".to_owned()]).is_err());
    }

    #[test]
    fn the_comfortable_n_follows_the_smaller_bound() {
        let (n, why) = comfortable(1.0, Some((10, "task limit"))).unwrap();
        assert_eq!((n, why.as_str()), (5, "half the kernel's task limit"));
        let (n, _) = comfortable(1.0, None).unwrap();
        assert!(n > 5);
    }
}
