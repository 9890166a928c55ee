//! The engine: two interfaces, the wire between them and the virtual clock.

use std::collections::VecDeque;

use smoltcp::iface::{
    Config, Interface, PollIngressSingleResult, PollResult, SocketHandle, SocketSet,
};
use smoltcp::phy::{self, Device, DeviceCapabilities, Medium};
use smoltcp::socket::tcp::{self, State};
use smoltcp::time::{Duration, Instant};
use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr, Ipv4Address};

use crate::decode::{Row, decode};
use crate::trace::{Event, Segment, Side, Trace, preview};

/// The client's address on the lab's wire.
pub const CLIENT_ADDR: Ipv4Address = Ipv4Address::new(10, 0, 0, 1);
/// The server's address on the lab's wire.
pub const SERVER_ADDR: Ipv4Address = Ipv4Address::new(10, 0, 0, 2);
/// The client's port: the first port of the dynamic range (RFC 6335 §6).
pub const CLIENT_PORT: u16 = 49152;
/// The server's port.
pub const SERVER_PORT: u16 = 80;

/// Everything that can go wrong while running a scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabError {
    /// The scenario ran for more steps than [`LabConfig::max_steps`].
    #[error("scenario did not finish within {0} steps")]
    TooManySteps(usize),
    /// Virtual time passed [`LabConfig::max_time_ms`] before the scenario finished.
    #[error("scenario did not finish by virtual time {at_ms} ms")]
    TooLate { at_ms: i64 },
    /// The stacks kept asking to be polled "now" without making progress.
    #[error("stacks made no progress at {at_ms} ms")]
    Stuck { at_ms: i64 },
    /// The scenario waited for something, but nothing was scheduled.
    #[error("nothing left to happen at {at_ms} ms, but the scenario is not done")]
    Idle { at_ms: i64 },
    /// The scenario asked for a socket that side does not have.
    #[error("the {} has no socket", .0.name())]
    NoSocket(Side),
    /// A smoltcp call failed.
    #[error("socket call failed: {0}")]
    Socket(String),
    /// A packet on the wire could not be decoded.
    #[error("undecodable packet on the wire: {0}")]
    Decode(String),
}

/// The knobs of a run. Two runs with equal configs give equal traces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabConfig {
    /// `Config::random_seed` of the client; the server uses `seed + 1`.
    pub seed: u64,
    /// One-way latency of the wire, in milliseconds.
    pub latency_ms: i64,
    /// Size of each socket's receive and transmit buffer, in bytes. smoltcp
    /// advertises the free space of the receive buffer as its window.
    pub buffer: usize,
    /// MTU of both interfaces, in bytes (the MSS is this minus 40).
    pub mtu: usize,
    /// A run that is not finished after this many steps is an error.
    pub max_steps: usize,
    /// A run that is not finished at this virtual time is an error.
    pub max_time_ms: i64,
}

impl Default for LabConfig {
    fn default() -> Self {
        LabConfig {
            seed: 0x5EED,
            latency_ms: 50,
            buffer: 4096,
            mtu: 1500,
            max_steps: 10_000,
            max_time_ms: 120_000,
        }
    }
}

/// One end of the in-memory wire, seen by smoltcp as a network device.
#[derive(Default)]
struct WireEnd {
    rx: VecDeque<Vec<u8>>,
    tx: Vec<Vec<u8>>,
    mtu: usize,
}

struct RxToken(Vec<u8>);
struct TxToken<'a>(&'a mut Vec<Vec<u8>>);

impl phy::RxToken for RxToken {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(&self.0)
    }
}

impl phy::TxToken for TxToken<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let mut buf = vec![0; len];
        let r = f(&mut buf);
        self.0.push(buf);
        r
    }
}

impl Device for WireEnd {
    type RxToken<'a> = RxToken;
    type TxToken<'a> = TxToken<'a>;

    fn receive(&mut self, _: Instant) -> Option<(RxToken, TxToken<'_>)> {
        let packet = self.rx.pop_front()?;
        Some((RxToken(packet), TxToken(&mut self.tx)))
    }

    fn transmit(&mut self, _: Instant) -> Option<TxToken<'_>> {
        Some(TxToken(&mut self.tx))
    }

    fn capabilities(&self) -> DeviceCapabilities {
        // `DeviceCapabilities` is non-exhaustive: start from the default
        // (all checksums computed and verified in software).
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ip;
        caps.max_transmission_unit = self.mtu;
        caps
    }
}

/// One host: an interface, its device and its sockets.
struct Host {
    iface: Interface,
    device: WireEnd,
    sockets: SocketSet<'static>,
    socket: Option<SocketHandle>,
    last_state: State,
}

impl Host {
    fn new(addr: Ipv4Address, seed: u64, cfg: &LabConfig) -> Host {
        let mut device = WireEnd {
            mtu: cfg.mtu,
            ..WireEnd::default()
        };
        let mut config = Config::new(HardwareAddress::Ip);
        config.random_seed = seed;
        let mut iface = Interface::new(config, &mut device, Instant::ZERO);
        iface.update_ip_addrs(|addrs| {
            // Capacity is at least one address; a failure here is impossible.
            let _ = addrs.push(IpCidr::new(IpAddress::Ipv4(addr), 24));
        });
        Host {
            iface,
            device,
            sockets: SocketSet::new(vec![]),
            socket: None,
            last_state: State::Closed,
        }
    }

    fn add_socket(&mut self, buffer: usize) -> SocketHandle {
        let rx = tcp::SocketBuffer::new(vec![0; buffer]);
        let tx = tcp::SocketBuffer::new(vec![0; buffer]);
        let handle = self.sockets.add(tcp::Socket::new(rx, tx));
        self.socket = Some(handle);
        handle
    }

    fn state(&self) -> State {
        match self.socket {
            Some(h) => self.sockets.get::<tcp::Socket>(h).state(),
            None => State::Closed,
        }
    }

    fn socket_mut(&mut self, side: Side) -> Result<&mut tcp::Socket<'static>, LabError> {
        let h = self.socket.ok_or(LabError::NoSocket(side))?;
        Ok(self.sockets.get_mut::<tcp::Socket>(h))
    }
}

/// A packet in flight.
struct InFlight {
    deliver_at: Instant,
    to: Side,
    bytes: Vec<u8>,
}

/// A bound on the packets one poll may handle, so a bug cannot spin forever.
const MAX_PACKETS_PER_POLL: usize = 1000;

type DropRule = Box<dyn FnMut(Side, &Row) -> bool>;

/// The lab: two hosts, one wire, one virtual clock, one trace.
pub struct Lab {
    cfg: LabConfig,
    now: Instant,
    client: Host,
    server: Host,
    wire: VecDeque<InFlight>,
    drop_rule: Option<DropRule>,
    events: Vec<Event>,
    steps: usize,
}

/// What the application code of a scenario sees between two polls.
pub struct Ctx<'a> {
    now: Instant,
    client: &'a mut Host,
    server: &'a mut Host,
    events: &'a mut Vec<Event>,
}

impl Ctx<'_> {
    /// The TCP state of one side (CLOSED if it has no socket).
    pub fn state(&self, side: Side) -> State {
        match side {
            Side::Client => self.client.state(),
            Side::Server => self.server.state(),
        }
    }

    /// The socket of one side.
    pub fn socket(&mut self, side: Side) -> Result<&mut tcp::Socket<'static>, LabError> {
        match side {
            Side::Client => self.client.socket_mut(side),
            Side::Server => self.server.socket_mut(side),
        }
    }

    /// Records what the application did, so that the trace can show it.
    pub fn note(&mut self, side: Side, text: impl Into<String>) {
        let at_us = micros(self.now);
        self.events.push(Event::Note {
            at_us,
            side,
            text: text.into(),
        });
    }

    /// Sends `data` from one side and records it as a note.
    pub fn send(&mut self, side: Side, data: &[u8]) -> Result<(), LabError> {
        let sent = self
            .socket(side)?
            .send_slice(data)
            .map_err(|e| LabError::Socket(e.to_string()))?;
        if sent != data.len() {
            return Err(LabError::Socket(format!(
                "only {sent} of {} bytes fit",
                data.len()
            )));
        }
        self.note(side, format!("send({})", preview(data)));
        Ok(())
    }

    /// Reads whatever one side has received, recording it as a note if non-empty.
    pub fn recv(&mut self, side: Side) -> Result<Vec<u8>, LabError> {
        let socket = self.socket(side)?;
        let mut buf = vec![0; 65536];
        let n = if socket.can_recv() {
            socket
                .recv_slice(&mut buf)
                .map_err(|e| LabError::Socket(e.to_string()))?
        } else {
            0
        };
        buf.truncate(n);
        if n > 0 {
            self.note(side, format!("recv() = {}", preview(&buf)));
        }
        Ok(buf)
    }

    /// Closes the sending half of one side and records it as a note.
    pub fn close(&mut self, side: Side) -> Result<(), LabError> {
        self.socket(side)?.close();
        self.note(side, "close()");
        Ok(())
    }
}

fn micros(t: Instant) -> u64 {
    u64::try_from(t.total_micros()).unwrap_or(0)
}

impl Lab {
    /// A lab with the client and server interfaces up and no sockets yet.
    pub fn new(cfg: LabConfig) -> Lab {
        let client = Host::new(CLIENT_ADDR, cfg.seed, &cfg);
        let server = Host::new(SERVER_ADDR, cfg.seed.wrapping_add(1), &cfg);
        Lab {
            cfg,
            now: Instant::ZERO,
            client,
            server,
            wire: VecDeque::new(),
            drop_rule: None,
            events: Vec::new(),
            steps: 0,
        }
    }

    /// Makes the wire drop every segment for which `rule(sender, row)` is true.
    /// The segment is still logged (a capture at the sender sees it).
    pub fn drop_if(&mut self, rule: impl FnMut(Side, &Row) -> bool + 'static) {
        self.drop_rule = Some(Box::new(rule));
    }

    /// Makes the wire drop the first `count` segments that `matches` picks out,
    /// and deliver everything after them.
    pub fn drop_first(&mut self, count: usize, matches: impl Fn(Side, &Row) -> bool + 'static) {
        let mut dropped = 0;
        self.drop_if(move |from, row| {
            let hit = dropped < count && matches(from, row);
            dropped += usize::from(hit);
            hit
        });
    }

    /// Opens a socket on the server and puts it in LISTEN on [`SERVER_PORT`].
    pub fn listen(&mut self) -> Result<(), LabError> {
        self.server.add_socket(self.cfg.buffer);
        self.server
            .socket_mut(Side::Server)?
            .listen(SERVER_PORT)
            .map_err(|e| LabError::Socket(e.to_string()))?;
        self.note(Side::Server, format!("listen({SERVER_PORT})"));
        self.record_states();
        Ok(())
    }

    /// Opens a socket on the client and connects it to `port` on the server.
    pub fn connect(&mut self, port: u16) -> Result<(), LabError> {
        self.client.add_socket(self.cfg.buffer);
        let host = &mut self.client;
        let h = host.socket.ok_or(LabError::NoSocket(Side::Client))?;
        host.sockets
            .get_mut::<tcp::Socket>(h)
            .connect(
                host.iface.context(),
                (IpAddress::Ipv4(SERVER_ADDR), port),
                CLIENT_PORT,
            )
            .map_err(|e| LabError::Socket(e.to_string()))?;
        self.note(Side::Client, format!("connect({SERVER_ADDR}:{port})"));
        self.record_states();
        Ok(())
    }

    fn note(&mut self, side: Side, text: String) {
        self.events.push(Event::Note {
            at_us: micros(self.now),
            side,
            text,
        });
    }

    /// Runs until `app` says it is done and nothing is left to happen: no
    /// packet on the wire and no timer pending in either stack.
    ///
    /// `app` is the application code of both ends. It runs after every round
    /// of polls, as the loop of a real program would, and returns `Ok(true)`
    /// once it has done all it wanted to.
    pub fn run(
        &mut self,
        mut app: impl FnMut(&mut Ctx<'_>) -> Result<bool, LabError>,
    ) -> Result<(), LabError> {
        let mut same_instant = 0;
        loop {
            self.steps += 1;
            if self.steps > self.cfg.max_steps {
                return Err(LabError::TooManySteps(self.cfg.max_steps));
            }
            self.deliver_due();
            self.poll_both()?;
            let done = {
                let mut ctx = Ctx {
                    now: self.now,
                    client: &mut self.client,
                    server: &mut self.server,
                    events: &mut self.events,
                };
                app(&mut ctx)?
            };
            self.record_states();

            let next = self.next_event();
            match next {
                None if done => return Ok(()),
                None => {
                    return Err(LabError::Idle {
                        at_ms: self.now.total_millis(),
                    });
                }
                // `poll_at` may answer "now" (even `Instant` 0): poll again at
                // the same instant, a bounded number of times.
                Some(t) if t <= self.now => {
                    same_instant += 1;
                    if same_instant > 100 {
                        return Err(LabError::Stuck {
                            at_ms: self.now.total_millis(),
                        });
                    }
                }
                Some(t) => {
                    same_instant = 0;
                    if t.total_millis() > self.cfg.max_time_ms {
                        return Err(LabError::TooLate {
                            at_ms: t.total_millis(),
                        });
                    }
                    self.now = t;
                }
            }
        }
    }

    /// The trace recorded so far.
    pub fn trace(&self) -> Trace {
        Trace {
            events: self.events.clone(),
        }
    }

    fn next_event(&mut self) -> Option<Instant> {
        let now = self.now;
        [
            self.client.iface.poll_at(now, &self.client.sockets),
            self.server.iface.poll_at(now, &self.server.sockets),
            self.wire.front().map(|p| p.deliver_at),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn deliver_due(&mut self) {
        while self.wire.front().is_some_and(|p| p.deliver_at <= self.now) {
            if let Some(p) = self.wire.pop_front() {
                match p.to {
                    Side::Client => self.client.device.rx.push_back(p.bytes),
                    Side::Server => self.server.device.rx.push_back(p.bytes),
                }
            }
        }
    }

    fn poll_both(&mut self) -> Result<(), LabError> {
        for side in [Side::Client, Side::Server] {
            let now = self.now;
            self.host(side).iface.poll_maintenance(now);
            // What `Interface::poll` does, one packet at a time, so that the
            // trace shows the state after each arriving segment (two segments
            // that arrive at the same instant would otherwise hide the state
            // between them, such as FIN-WAIT-2).
            for _ in 0..=MAX_PACKETS_PER_POLL {
                let host = self.host(side);
                let result =
                    host.iface
                        .poll_ingress_single(now, &mut host.device, &mut host.sockets);
                self.after_poll(side)?;
                if result == PollIngressSingleResult::None {
                    break;
                }
            }
            for _ in 0..=MAX_PACKETS_PER_POLL {
                let host = self.host(side);
                let result = host
                    .iface
                    .poll_egress(now, &mut host.device, &mut host.sockets);
                self.after_poll(side)?;
                if result == PollResult::None {
                    break;
                }
            }
        }
        Ok(())
    }

    fn host(&mut self, side: Side) -> &mut Host {
        match side {
            Side::Client => &mut self.client,
            Side::Server => &mut self.server,
        }
    }

    /// Records state changes, then puts what the host sent on the wire.
    fn after_poll(&mut self, side: Side) -> Result<(), LabError> {
        self.record_states();
        for bytes in std::mem::take(&mut self.host(side).device.tx) {
            self.put_on_wire(side, bytes)?;
        }
        Ok(())
    }

    fn put_on_wire(&mut self, from: Side, bytes: Vec<u8>) -> Result<(), LabError> {
        let at_us = micros(self.now);
        let probe = Segment {
            at_us,
            from,
            bytes,
            lost: false,
        };
        let row = decode(&probe).map_err(|e| LabError::Decode(e.to_string()))?;
        let lost = self.drop_rule.as_mut().is_some_and(|rule| rule(from, &row));
        if !lost {
            self.wire.push_back(InFlight {
                deliver_at: self.now + Duration::from_millis(self.cfg.latency_ms.unsigned_abs()),
                to: from.peer(),
                bytes: probe.bytes.clone(),
            });
        }
        self.events.push(Event::Segment(Segment { lost, ..probe }));
        Ok(())
    }

    fn record_states(&mut self) {
        let at_us = micros(self.now);
        for side in [Side::Client, Side::Server] {
            let host = match side {
                Side::Client => &mut self.client,
                Side::Server => &mut self.server,
            };
            let now = host.state();
            if now != host.last_state {
                self.events.push(Event::State {
                    at_us,
                    side,
                    from: host.last_state,
                    to: now,
                });
                host.last_state = now;
            }
        }
    }
}
