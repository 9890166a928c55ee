// no-golden: measurements vary from run to run and machine to machine
//
// The capstone: the same load against two echo servers, one OS thread per
// connection and one tokio task per connection. Each server runs in a child
// process (this program again, with an environment variable set), so its
// memory is read from /proc/<pid>/status apart from the client's.
//
//   cargo run -q -p listings -- tcp-udp/capstone/echo_load
//   cargo run -q --release -p listings -- tcp-udp/capstone/echo_load \
//       --connections 100,1000,10000 --bytes 65536
//
// Flags: --connections N[,N...] (default 100), --bytes M per connection
// (default 16384), --stack-kib K for the server threads (default: std's 2 MiB).
// 10,000 connections need about 10,000 file descriptors in each process:
// check `ulimit -n`.

use std::process::{Command, ExitCode};

use listings::tcp_udp::capstone::{self, Measurement, Model};

struct Options {
    connections: Vec<usize>,
    bytes: usize,
    stack_kib: Option<usize>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        connections: vec![100],
        bytes: 16 * 1024,
        stack_kib: None,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |s: &str| s.parse::<usize>().map_err(|e| format!("{flag} {s:?}: {e}"));
        match flag.as_str() {
            "--connections" => {
                options.connections = value.split(',').map(number).collect::<Result<_, _>>()?
            }
            "--bytes" => options.bytes = number(value)?,
            "--stack-kib" => options.stack_kib = Some(number(value)?),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if options.connections.contains(&0) || options.bytes == 0 {
        return Err("--connections and --bytes must be positive".into());
    }
    Ok(options)
}

/// This program again, with the same arguments: the child reaches
/// `serve_if_requested` first and becomes a server. `/proc/self/exe` is this
/// very program even if its file has been rebuilt since it started.
fn this_program() -> Command {
    let mut command = Command::new("/proc/self/exe");
    command.args(std::env::args_os().skip(1));
    command
}

// ANCHOR: report
fn print_row(m: &Measurement) {
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "{:<12} {:>6} {:>8.1} {:>8.1} {:>8.1} {:>7} {:>9.0} {:>8.1} {:>8.1} {:>8.1} {:>5}",
        m.model.name(),
        m.load.connections,
        m.load.connect_time.as_secs_f64() * 1e3,
        m.load.echo_time.as_secs_f64() * 1e3,
        m.load.throughput() / (1024.0 * 1024.0),
        m.loaded.threads,
        mib(m.loaded.virtual_kib),
        mib(m.idle_rss_kib),
        mib(m.peak_kib),
        m.peak_per_connection_kib(),
        m.load.bytes_expected() - m.load.bytes_echoed,
    );
}
// ANCHOR_END: report

fn main() -> ExitCode {
    capstone::serve_if_requested(); // returns only in the parent
    let options = match parse_options(&listings::cli::args()) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("echo_load: {message}");
            return ExitCode::from(2);
        }
    };
    let stack = options
        .stack_kib
        .map_or("std default, 2048 KiB".to_owned(), |k| format!("{k} KiB"));
    println!("machine: {}", capstone::machine_description());
    println!(
        "build: {}",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "load: each connection sends {} bytes and reads them back; server read buffer {} bytes; thread stack {stack}",
        options.bytes,
        capstone::BUF_SIZE
    );
    println!();
    println!(
        "{:<12} {:>6} {:>8} {:>8} {:>8} {:>7} {:>9} {:>8} {:>8} {:>8} {:>5}",
        "server",
        "conns",
        "conn ms",
        "echo ms",
        "MiB/s",
        "threads",
        "virt MiB",
        "idle MiB",
        "peak MiB",
        "KiB/conn",
        "lost"
    );
    let mut failed = false;
    for &connections in &options.connections {
        let mut row = Vec::new();
        for model in Model::ALL {
            let measured = capstone::measure(
                this_program(),
                model,
                connections,
                options.bytes,
                options.stack_kib,
            );
            match measured {
                Ok(m) => {
                    print_row(&m);
                    failed |= m.load.bytes_echoed != m.load.bytes_expected();
                    row.push(m);
                }
                Err(e) => {
                    println!(
                        "{:<12} {connections:>6} failed: {e} (is `ulimit -n` high enough?)",
                        model.name()
                    );
                    failed = true;
                }
            }
        }
        if let [threads, tasks] = &row[..] {
            println!(
                "{:<12} {connections:>6} throughput {:.2}x, peak memory {:.2}x, memory per connection {:.2}x",
                "thread/task",
                threads.load.throughput() / tasks.load.throughput(),
                threads.peak_kib as f64 / tasks.peak_kib as f64,
                threads.peak_per_connection_kib() / tasks.peak_per_connection_kib().max(1e-9),
            );
        }
    }
    if failed {
        println!("some bytes did not come back");
        return ExitCode::FAILURE;
    }
    println!("every byte came back");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test binary re-executed as a server runs only this test, which turns
    /// into the server when the environment variable is set. Its name is unique
    /// in the test binary, so a plain substring filter finds it, wherever
    /// `build.rs` places this listing's module.
    #[test]
    fn capstone_echo_load_server_child_entry() {
        capstone::serve_if_requested();
    }

    fn child_command() -> Command {
        let mut command = Command::new("/proc/self/exe");
        command.args([
            "capstone_echo_load_server_child_entry",
            "--nocapture",
            "--test-threads=1",
        ]);
        command
    }

    #[test]
    fn both_servers_return_every_byte_and_report_positive_numbers() {
        for model in Model::ALL {
            let m = capstone::measure(child_command(), model, 8, 50_000, None).unwrap();
            assert_eq!(m.load.connections_failed, 0);
            assert_eq!(m.load.bytes_echoed, m.load.bytes_expected());
            assert!(m.load.throughput() > 0.0);
            assert!(m.idle_rss_kib > 0 && m.peak_kib >= m.idle_rss_kib);
            assert!(m.loaded.rss_kib > 0);
            if model == Model::ThreadPerConnection {
                assert!(m.loaded.threads > 8, "one thread per open connection");
            }
        }
    }

    #[test]
    fn flags_are_parsed_and_checked() {
        let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let o = parse_options(&args("--connections 10,20 --bytes 5 --stack-kib 64")).unwrap();
        assert_eq!(
            (o.connections, o.bytes, o.stack_kib),
            (vec![10, 20], 5, Some(64))
        );
        assert!(parse_options(&args("--connections")).is_err());
        assert!(parse_options(&args("--bytes 0")).is_err());
        assert!(parse_options(&args("--frobnicate 1")).is_err());
    }
}
