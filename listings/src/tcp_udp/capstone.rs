//! The capstone: two echo servers, one OS thread per connection and one tokio
//! task per connection, loaded by the same client and measured from outside.
//!
//! Each server runs in a child process (the same program, re-executed with
//! [`SERVE_ENV`] set), so that its memory can be read from
//! `/proc/<pid>/status` without the load client's memory mixed in.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc as tmpsc, watch};
use tokio::time::timeout;

use crate::procfs::{Machine, ProcStatus};

/// Environment variable that turns a re-executed program into a server.
pub const SERVE_ENV: &str = "LISTINGS_CAPSTONE_SERVE";
/// Environment variable carrying the thread stack size (KiB) to the server.
pub const STACK_ENV: &str = "LISTINGS_CAPSTONE_STACK_KIB";
/// The line a server prints once it listens.
const READY_PREFIX: &str = "capstone-server-listening ";
/// Each connection handler reads into a buffer of this size, in both servers.
pub const BUF_SIZE: usize = 16 * 1024;
/// The bound on every single wait (a read, a connect, a barrier).
pub const WAIT: Duration = Duration::from_secs(60);
/// A server process ends itself after this long, whatever happens.
const SERVER_LIFETIME: Duration = Duration::from_secs(900);

/// The two ways of serving many connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// One OS thread per connection, blocking `std::net` I/O.
    ThreadPerConnection,
    /// One tokio task per connection, on a multi-threaded runtime.
    TaskPerConnection,
}

impl Model {
    /// Both models, in the order the report shows them.
    pub const ALL: [Model; 2] = [Model::ThreadPerConnection, Model::TaskPerConnection];

    /// The short name used in reports and in [`SERVE_ENV`].
    pub fn name(self) -> &'static str {
        match self {
            Model::ThreadPerConnection => "thread/conn",
            Model::TaskPerConnection => "task/conn",
        }
    }

    fn from_name(name: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.name() == name)
    }
}

// ANCHOR: thread_server
/// Echoes every connection on its own OS thread until the listener fails.
pub fn serve_threads(listener: TcpListener, stack_size: Option<usize>) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = stream?;
        let mut builder = std::thread::Builder::new();
        if let Some(bytes) = stack_size {
            builder = builder.stack_size(bytes);
        }
        builder.spawn(move || echo_blocking(stream))?;
    }
    Ok(())
}

fn echo_blocking(mut stream: TcpStream) -> io::Result<()> {
    stream.set_read_timeout(Some(WAIT))?;
    stream.set_write_timeout(Some(WAIT))?;
    let mut buf = vec![0u8; BUF_SIZE];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(()); // the client closed its side
        }
        stream.write_all(&buf[..n])?;
    }
}
// ANCHOR_END: thread_server

// ANCHOR: task_server
/// Echoes every connection in its own tokio task until the listener fails.
pub async fn serve_tasks(listener: tokio::net::TcpListener) -> io::Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(echo_async(stream));
    }
}

async fn echo_async(mut stream: tokio::net::TcpStream) -> io::Result<()> {
    let mut buf = vec![0u8; BUF_SIZE];
    loop {
        let n = timeout(WAIT, stream.read(&mut buf)).await??;
        if n == 0 {
            return Ok(());
        }
        timeout(WAIT, stream.write_all(&buf[..n])).await??;
    }
}
// ANCHOR_END: task_server

/// Runs one model's server on `listener` in this process, on background
/// threads that live as long as the process (for tests and small demos).
pub fn start_in_process(model: Model, listener: TcpListener) -> io::Result<()> {
    match model {
        Model::ThreadPerConnection => {
            std::thread::spawn(move || serve_threads(listener, None));
        }
        Model::TaskPerConnection => {
            listener.set_nonblocking(true)?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            std::thread::spawn(move || {
                runtime.block_on(async move {
                    serve_tasks(tokio::net::TcpListener::from_std(listener)?).await
                })
            });
        }
    }
    Ok(())
}

/// If this process was started as a server by [`ServerProcess::spawn`], serve
/// until stdin closes and then exit; otherwise return and let `main` go on.
pub fn serve_if_requested() {
    let Ok(name) = std::env::var(SERVE_ENV) else {
        return;
    };
    let Some(model) = Model::from_name(&name) else {
        eprintln!("{SERVE_ENV}={name:?} is not a server model");
        std::process::exit(2);
    };
    let stack = std::env::var(STACK_ENV)
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .map(|kib| kib * 1024);
    // The parent ends the server by closing our stdin; a deadline backs it up.
    std::thread::spawn(|| {
        let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
        std::process::exit(0);
    });
    std::thread::spawn(|| {
        std::thread::sleep(SERVER_LIFETIME);
        eprintln!("capstone server: lifetime exceeded, exiting");
        std::process::exit(3);
    });
    let result = serve_forever(model, stack);
    eprintln!("capstone server stopped: {result:?}");
    std::process::exit(1);
}

/// A listener on 127.0.0.1, port 0, with a backlog deep enough for thousands
/// of connections arriving at once (std's `bind` asks for only 128; the kernel
/// caps it at `net.core.somaxconn`).
pub fn listen_loopback() -> io::Result<TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
    socket.listen(4096)?;
    Ok(socket.into())
}

fn serve_forever(model: Model, stack: Option<usize>) -> io::Result<()> {
    let listener = listen_loopback()?;
    let announce = |listener: &TcpListener| -> io::Result<()> {
        let mut out = io::stdout().lock();
        writeln!(out, "{READY_PREFIX}{}", listener.local_addr()?)?;
        out.flush()
    };
    match model {
        Model::ThreadPerConnection => {
            announce(&listener)?;
            serve_threads(listener, stack)
        }
        Model::TaskPerConnection => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            listener.set_nonblocking(true)?;
            announce(&listener)?;
            runtime.block_on(async move {
                serve_tasks(tokio::net::TcpListener::from_std(listener)?).await
            })
        }
    }
}

/// A server running in a child process. Dropping it closes the child's stdin,
/// which ends the child, and reaps it.
pub struct ServerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Where the server listens.
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Starts `command` (this program, re-executed so that it reaches
    /// [`serve_if_requested`]) as a `model` server and waits for its address.
    pub fn spawn(
        mut command: Command,
        model: Model,
        stack_kib: Option<usize>,
    ) -> io::Result<ServerProcess> {
        command
            .env(SERVE_ENV, model.name())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        match stack_kib {
            Some(kib) => command.env(STACK_ENV, kib.to_string()),
            None => command.env_remove(STACK_ENV),
        };
        let mut child = command.spawn()?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no stdout"))?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // A test harness may print chatter before and around the line; skip it.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some((_, addr)) = line.split_once(READY_PREFIX) {
                    let _ = tx.send(addr.trim().to_owned());
                }
            }
        });
        let mut server = ServerProcess {
            child,
            stdin,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "the server did not start"))?;
        server.addr = addr.parse().map_err(io::Error::other)?;
        Ok(server)
    }

    /// The child's memory and thread count, read from `/proc/<pid>/status`.
    pub fn status(&self) -> io::Result<ProcStatus> {
        Ok(ProcStatus::of_pid(self.child.id())?)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        for _ in 0..200 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the load client saw.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadResult {
    pub connections: usize,
    pub bytes_per_connection: usize,
    /// Bytes that came back equal to what was sent, summed over connections.
    pub bytes_echoed: u64,
    /// Connections whose echo was short or different.
    pub connections_failed: usize,
    /// From the first connect until all `connections` were open.
    pub connect_time: Duration,
    /// From the start signal until every echo was back.
    pub echo_time: Duration,
}

impl LoadResult {
    /// Bytes the client expected back in total.
    pub fn bytes_expected(&self) -> u64 {
        (self.connections * self.bytes_per_connection) as u64
    }

    /// Echoed bytes per second of the echo phase.
    pub fn throughput(&self) -> f64 {
        self.bytes_echoed as f64 / self.echo_time.as_secs_f64().max(1e-9)
    }
}

// ANCHOR: client
/// Opens `connections` connections to `addr` and keeps them all open; then
/// each sends `bytes` bytes and reads them back. `while_all_open` runs once
/// every echo is back and before any connection closes.
pub async fn run_load<F>(
    addr: SocketAddr,
    connections: usize,
    bytes: usize,
    while_all_open: F,
) -> io::Result<LoadResult>
where
    F: FnOnce(),
{
    let (event_tx, mut events) = tmpsc::unbounded_channel::<Event>();
    let (go_tx, go_rx) = watch::channel(false);
    let (release_tx, release_rx) = watch::channel(false);
    let connect_limit = std::sync::Arc::new(tokio::sync::Semaphore::new(256));

    let start = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for id in 0..connections {
        let (events, mut go, mut release) = (event_tx.clone(), go_rx.clone(), release_rx.clone());
        let limit = connect_limit.clone();
        clients.spawn(async move {
            let stream = {
                let _permit = limit.acquire().await.map_err(io::Error::other)?;
                timeout(WAIT, tokio::net::TcpStream::connect(addr)).await??
            };
            let _ = events.send(Event::Connected);
            timeout(WAIT, go.wait_for(|&go| go))
                .await?
                .map_err(io::Error::other)?;
            let (echoed, stream) = match echo_once(stream, id, bytes).await {
                Ok((n, stream)) => (Ok(n), Some(stream)),
                Err(e) => (Err(e), None),
            };
            let _ = events.send(Event::Echoed(echoed));
            // Hold the connection open until every client is done.
            timeout(WAIT, release.wait_for(|&r| r))
                .await?
                .map_err(io::Error::other)?;
            drop(stream);
            io::Result::Ok(())
        });
    }
    drop(event_tx);

    let connected =
        count_events(&mut events, connections, |e| matches!(e, Event::Connected)).await?;
    let connect_time = start.elapsed();
    let go_time = Instant::now();
    go_tx.send_replace(true);

    let mut bytes_echoed = 0;
    let mut connections_failed = connections - connected.len();
    for event in count_events(&mut events, connected.len(), |e| {
        matches!(e, Event::Echoed(_))
    })
    .await?
    {
        match event {
            Event::Echoed(Ok(n)) if n == bytes => bytes_echoed += n as u64,
            _ => connections_failed += 1,
        }
    }
    let echo_time = go_time.elapsed();
    while_all_open();
    release_tx.send_replace(true);
    while let Some(joined) = clients.join_next().await {
        joined.map_err(io::Error::other)??;
    }
    Ok(LoadResult {
        connections,
        bytes_per_connection: bytes,
        bytes_echoed,
        connections_failed,
        connect_time,
        echo_time,
    })
}

/// Sends `bytes` bytes (a pattern that depends on `id`) and reads them back
/// concurrently. Returns how many came back equal to what was sent, and the
/// stream, still open.
async fn echo_once(
    stream: tokio::net::TcpStream,
    id: usize,
    bytes: usize,
) -> io::Result<(usize, tokio::net::TcpStream)> {
    let payload: Vec<u8> = (0..bytes)
        .map(|i| (i.wrapping_mul(31) ^ id) as u8)
        .collect();
    let (mut reader, mut writer) = stream.into_split();
    let send = async {
        timeout(WAIT, writer.write_all(&payload)).await??;
        io::Result::Ok(())
    };
    let receive = async {
        let mut back = vec![0u8; bytes];
        timeout(WAIT, reader.read_exact(&mut back)).await??;
        io::Result::Ok(back)
    };
    let ((), back) = tokio::try_join!(send, receive)?;
    let stream = reader.reunite(writer).map_err(io::Error::other)?;
    Ok((if back == payload { bytes } else { 0 }, stream))
}
// ANCHOR_END: client

#[derive(Debug)]
enum Event {
    Connected,
    Echoed(io::Result<usize>),
}

/// Collects `n` events that match `wanted`; a client that failed before
/// reporting shows up as fewer events once every sender is gone.
async fn count_events(
    events: &mut tmpsc::UnboundedReceiver<Event>,
    n: usize,
    wanted: impl Fn(&Event) -> bool,
) -> io::Result<Vec<Event>> {
    let mut got = Vec::with_capacity(n);
    while got.len() < n {
        match timeout(WAIT, events.recv()).await {
            Ok(Some(event)) if wanted(&event) => got.push(event),
            Ok(Some(other)) => return Err(io::Error::other(format!("unexpected {other:?}"))),
            Ok(None) => break,
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the clients stalled",
                ));
            }
        }
    }
    Ok(got)
}

/// One model's result: what the client saw and what the server process used.
#[derive(Debug, Clone)]
pub struct Measurement {
    pub model: Model,
    pub load: LoadResult,
    /// The server's resident set before any connection, KiB.
    pub idle_rss_kib: u64,
    /// The server's status while all connections were open.
    pub loaded: ProcStatus,
    /// The server's peak resident set over the whole run, KiB.
    pub peak_kib: u64,
}

impl Measurement {
    /// Peak memory above the idle server, per connection, in KiB.
    pub fn peak_per_connection_kib(&self) -> f64 {
        self.peak_kib.saturating_sub(self.idle_rss_kib) as f64 / self.load.connections.max(1) as f64
    }
}

/// Starts a `model` server with `command`, loads it, and measures it.
pub fn measure(
    command: Command,
    model: Model,
    connections: usize,
    bytes: usize,
    stack_kib: Option<usize>,
) -> io::Result<Measurement> {
    let server = ServerProcess::spawn(command, model, stack_kib)?;
    let idle = server.status()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut loaded = None;
    let load = runtime.block_on(run_load(server.addr, connections, bytes, || {
        loaded = Some(server.status())
    }))?;
    let loaded =
        loaded.ok_or_else(|| io::Error::other("the load never had every connection open"))??;
    let peak_kib = server.status()?.hwm_kib;
    Ok(Measurement {
        model,
        load,
        idle_rss_kib: idle.rss_kib,
        loaded,
        peak_kib,
    })
}

/// One line about the machine: kernel, CPU model and CPU count.
pub fn machine_description() -> String {
    match Machine::read() {
        Ok(Machine {
            cpus,
            cpu_model,
            kernel,
        }) => format!("Linux {kernel}, {cpu_model}, {cpus} CPUs"),
        Err(e) => format!("unknown ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_servers_echo_every_byte_in_process() {
        for model in Model::ALL {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            start_in_process(model, listener).unwrap();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let mut saw_all_open = false;
            let load = runtime
                .block_on(run_load(addr, 20, 40_000, || saw_all_open = true))
                .unwrap();
            assert!(saw_all_open);
            assert_eq!(load.connections_failed, 0, "{model:?}");
            assert_eq!(load.bytes_echoed, load.bytes_expected(), "{model:?}");
            assert!(load.throughput() > 0.0);
        }
    }
}
