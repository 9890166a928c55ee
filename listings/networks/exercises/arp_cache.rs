// Exercise: an ARP cache whose entries expire. RFC 826 leaves ageing to the
// implementation; RFC 1122 §2.3.2.1 requires a way to flush stale entries,
// and a timeout is the usual one. Time is passed in, so tests need no sleep.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

pub type Mac = [u8; 6];

// ANCHOR: solution
pub struct ArpCache {
    // ANCHOR: hide
    ttl: Duration,
    entries: HashMap<Ipv4Addr, (Mac, Instant)>,
    // ANCHOR_END: hide
}

impl ArpCache {
    /// An empty cache whose entries live for `ttl` after they were learnt.
    pub fn new(ttl: Duration) -> ArpCache {
        // ANCHOR: todo
        ArpCache {
            ttl,
            entries: HashMap::new(),
        }
        // ANCHOR_END: todo
    }

    /// Learns (or re-learns) that `ip` is at `mac`, at time `now`.
    pub fn insert(&mut self, ip: Ipv4Addr, mac: Mac, now: Instant) {
        // ANCHOR: todo
        self.entries.insert(ip, (mac, now));
        // ANCHOR_END: todo
    }

    /// The MAC address of `ip`, if it was learnt less than `ttl` before `now`.
    pub fn lookup(&self, ip: Ipv4Addr, now: Instant) -> Option<Mac> {
        // ANCHOR: todo
        let (mac, learnt) = self.entries.get(&ip)?;
        (now.saturating_duration_since(*learnt) < self.ttl).then_some(*mac)
        // ANCHOR_END: todo
    }

    /// Forgets every expired entry and returns how many it forgot.
    pub fn purge(&mut self, now: Instant) -> usize {
        // ANCHOR: todo
        let before = self.entries.len();
        let ttl = self.ttl;
        self.entries
            .retain(|_, (_, learnt)| now.saturating_duration_since(*learnt) < ttl);
        before - self.entries.len()
        // ANCHOR_END: todo
    }

    /// How many entries the cache holds, expired or not.
    pub fn count(&self) -> usize {
        // ANCHOR: todo
        self.entries.len()
        // ANCHOR_END: todo
    }
}
// ANCHOR_END: solution

fn main() {
    let t0 = Instant::now();
    let gateway = Ipv4Addr::new(192, 168, 1, 1);
    let mut cache = ArpCache::new(Duration::from_secs(60));
    cache.insert(gateway, [0x02, 0, 0, 0, 0, 0x01], t0);
    for secs in [0, 59, 60] {
        let found = cache.lookup(gateway, t0 + Duration::from_secs(secs));
        println!("after {secs:>2} s: {found:02x?}");
    }
    let forgot = cache.purge(t0 + Duration::from_secs(60));
    println!("purged {forgot}, {} left", cache.count());
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    const IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
    const OTHER: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);
    const MAC: Mac = [2, 0, 0, 0, 0, 1];
    const NEW_MAC: Mac = [2, 0, 0, 0, 0, 9];

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn fresh_entries_are_found_and_unknown_ones_are_not() {
        let t0 = Instant::now();
        let mut cache = ArpCache::new(secs(60));
        cache.insert(IP, MAC, t0);
        assert_eq!(cache.lookup(IP, t0), Some(MAC));
        assert_eq!(cache.lookup(OTHER, t0), None);
    }

    #[test]
    fn an_entry_expires_exactly_at_its_ttl() {
        let t0 = Instant::now();
        let mut cache = ArpCache::new(secs(60));
        cache.insert(IP, MAC, t0);
        assert_eq!(cache.lookup(IP, t0 + secs(59)), Some(MAC));
        assert_eq!(cache.lookup(IP, t0 + secs(60)), None);
    }

    #[test]
    fn relearning_refreshes_and_replaces() {
        let t0 = Instant::now();
        let mut cache = ArpCache::new(secs(60));
        cache.insert(IP, MAC, t0);
        cache.insert(IP, NEW_MAC, t0 + secs(50));
        assert_eq!(cache.lookup(IP, t0 + secs(100)), Some(NEW_MAC));
        assert_eq!(cache.count(), 1);
    }

    #[test]
    fn purge_forgets_only_expired_entries() {
        let t0 = Instant::now();
        let mut cache = ArpCache::new(secs(60));
        cache.insert(IP, MAC, t0);
        cache.insert(OTHER, NEW_MAC, t0 + secs(30));
        assert_eq!(cache.purge(t0 + secs(70)), 1);
        assert_eq!(cache.count(), 1);
        assert_eq!(cache.lookup(OTHER, t0 + secs(70)), Some(NEW_MAC));
    }
}
// ANCHOR_END: tests
