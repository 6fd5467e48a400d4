//! In-process counter store for the rate limiter (single node, no external service).
//!
//! Counters live in a `DashMap`; each update happens under the entry's shard lock, so
//! concurrent hits on one key are counted exactly. Entries of finished windows are
//! pruned opportunistically from `hit` so the map cannot grow without bound, with no
//! background task to manage.

use std::sync::atomic::{AtomicU64, Ordering};

use dashmap::DashMap;

use super::Window;

/// Prune no more often than every this many hits, and otherwise only after as many hits as
/// the map had entries after the last prune: the `retain` sweep is O(entries), so this
/// keeps its amortised cost per hit constant however many keys are live.
const MIN_HITS_BETWEEN_PRUNES: u64 = 1024;

pub(super) struct MemoryStore {
    /// "<key>@<window ms>" → (end of the window the count belongs to in unix ms, count).
    /// We store the window's end rather than its index so pruning needs no knowledge of
    /// the window length: an entry is stale once its end has passed.
    counters: DashMap<String, (u64, u32)>,
    hits: AtomicU64,
    /// Value of `hits` at which the next prune is due; `u64::MAX` while one is running.
    next_prune: AtomicU64,
}

fn stored_key(key: &str, window: Window) -> String {
    format!("{key}@{}", window.window_ms)
}

impl MemoryStore {
    pub(super) fn new() -> Self {
        Self {
            counters: DashMap::new(),
            hits: AtomicU64::new(0),
            next_prune: AtomicU64::new(MIN_HITS_BETWEEN_PRUNES),
        }
    }

    /// Counts one request and returns its rank (1-based) in the current window.
    pub(super) fn hit(&self, key: &str, window: Window) -> u64 {
        let end = window.end_ms();
        let n = {
            let mut entry = self
                .counters
                .entry(stored_key(key, window))
                .or_insert((end, 0));
            let (entry_end, count) = entry.value_mut();
            // Only ever move forward: a request that read the clock just before another
            // one rolled the window over is counted in the newer window rather than
            // wiping its count.
            if *entry_end < end {
                *entry_end = end;
                *count = 0;
            }
            *count = count.saturating_add(1);
            *count
        }; // shard lock released here: `retain` below would deadlock otherwise.
        self.maybe_prune(window.now_ms);
        n.into()
    }

    /// Takes back one counted request of the current window (never below zero).
    pub(super) fn refund(&self, key: &str, window: Window) {
        if let Some(mut entry) = self.counters.get_mut(&stored_key(key, window)) {
            let (entry_end, count) = entry.value_mut();
            if *entry_end >= window.end_ms() {
                *count = count.saturating_sub(1);
            }
        }
    }

    /// Requests already counted in the current window.
    pub(super) fn peek(&self, key: &str, window: Window) -> u64 {
        self.counters.get(&stored_key(key, window)).map_or(0, |e| {
            if e.0 >= window.end_ms() {
                e.1.into()
            } else {
                0
            }
        })
    }

    fn maybe_prune(&self, now_ms: u64) {
        let hits = self.hits.fetch_add(1, Ordering::Relaxed).saturating_add(1);
        let due = self.next_prune.load(Ordering::Relaxed);
        // The exchange elects a single pruner; others carry on without waiting.
        if hits < due
            || self
                .next_prune
                .compare_exchange(due, u64::MAX, Ordering::AcqRel, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        self.prune(now_ms);
        let gap = MIN_HITS_BETWEEN_PRUNES.max(self.counters.len() as u64);
        self.next_prune
            .store(hits.saturating_add(gap), Ordering::Release);
    }

    fn prune(&self, now_ms: u64) {
        self.counters.retain(|_, (end, _)| *end > now_ms);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::{Limit, RateLimiter};
    use super::*;

    const MINUTE: Limit = Limit::new(10, Duration::from_secs(60));

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_hits_are_counted_exactly() {
        let limiter = RateLimiter::in_memory();
        let limit = Limit::new(10, Duration::from_secs(3600));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move { limiter.hit("global:ip:1.2.3.4", limit).await })
            })
            .collect();
        let mut allowed = 0;
        let mut remaining = Vec::new();
        for task in tasks {
            let d = task.await.expect("task panicked");
            if d.allowed {
                allowed += 1;
                remaining.push(d.remaining);
            } else {
                assert_eq!(d.remaining, 0);
            }
        }
        assert_eq!(allowed, 10);
        remaining.sort_unstable();
        assert_eq!(remaining, (0..10).collect::<Vec<u32>>());
    }

    #[tokio::test]
    async fn peek_does_not_count_and_keys_are_independent() {
        let limiter = RateLimiter::in_memory();
        let limit = Limit::new(2, Duration::from_secs(3600));
        let fresh = limiter.peek("signin:account:alice", limit).await;
        assert!(fresh.allowed);
        assert_eq!(fresh.remaining, 2);
        assert_eq!(limiter.peek("signin:account:alice", limit).await, fresh);

        assert_eq!(
            limiter.hit("signin:account:alice", limit).await.remaining,
            1
        );
        assert_eq!(
            limiter.peek("signin:account:alice", limit).await.remaining,
            1
        );
        assert!(limiter.hit("signin:account:alice", limit).await.allowed);
        let peeked = limiter.peek("signin:account:alice", limit).await;
        assert!(!peeked.allowed);
        assert_eq!(peeked.remaining, 0);
        assert!(!limiter.hit("signin:account:alice", limit).await.allowed);

        // Another key, and the same key under another window, start from scratch.
        assert_eq!(limiter.hit("signin:account:bob", limit).await.remaining, 1);
        let other_window = Limit::new(2, Duration::from_secs(60));
        assert_eq!(
            limiter
                .hit("signin:account:alice", other_window)
                .await
                .remaining,
            1
        );
    }

    #[test]
    fn refund_takes_back_one_count_but_not_below_zero() {
        let store = MemoryStore::new();
        let window = Window::now(Limit {
            count: 5,
            window: std::time::Duration::from_secs(3600),
        });
        store.hit("k", window);
        store.hit("k", window);
        store.refund("k", window);
        assert_eq!(store.peek("k", window), 1);
        store.refund("k", window);
        store.refund("k", window);
        assert_eq!(store.peek("k", window), 0);
        store.refund("missing", window);
        assert_eq!(store.peek("missing", window), 0);
    }

    #[test]
    fn counts_reset_when_the_window_ends() {
        let store = MemoryStore::new();
        let at = |ms| Window::at(ms, MINUTE);
        assert_eq!(store.hit("k", at(60_000)), 1);
        assert_eq!(store.hit("k", at(119_999)), 2);
        assert_eq!(store.peek("k", at(119_999)), 2);
        assert_eq!(store.peek("k", at(120_000)), 0);
        assert_eq!(store.hit("k", at(120_000)), 1);
        // A late request from the previous window is counted in the current one.
        assert_eq!(store.hit("k", at(119_999)), 2);
        assert_eq!(store.peek("k", at(120_001)), 2);
    }

    #[test]
    fn stale_windows_are_pruned() {
        let store = MemoryStore::new();
        for i in 0..5_000 {
            store.hit(&format!("ip:{i}"), Window::at(0, MINUTE));
        }
        assert!(
            store.counters.len() > 1_000,
            "entries of the live window are kept"
        );
        // Hits in a later window eventually sweep the old entries away.
        for _ in 0..10_000 {
            store.hit("busy", Window::at(60_000, MINUTE));
        }
        assert_eq!(store.counters.len(), 1);
        assert_eq!(store.peek("busy", Window::at(60_000, MINUTE)), 10_000);
    }
}
