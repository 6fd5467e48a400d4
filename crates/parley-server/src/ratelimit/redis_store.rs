//! Redis counter store for the rate limiter, so that every node enforces the same limits.
//!
//! One key per (key, window length, window index) under "{PARLEY_REDIS_PREFIX}:rl:", incremented by a
//! Lua script that also sets the expiry on the first hit: INCR and PEXPIRE happen
//! atomically, so a crash between them can never leave a counter that never expires.
//! Runtime failures return `None` and the limiter fails open: a limiter outage must
//! not take the whole API down with it.

use std::sync::atomic::{AtomicU64, Ordering};

use redis::aio::ConnectionManager;
use redis::{RedisResult, Script};

use super::{RateLimitError, Window, now_ms};

/// Upper bound on what one check may add to a request's latency while Redis is slow or
/// reconnecting; past it we allow the request rather than keep it waiting.
use crate::shared::OP_TIMEOUT;
/// While Redis is down every request fails; one warning per interval is enough.
const WARN_INTERVAL_MS: u64 = 10_000;
/// After a failure, skip Redis (allow at once) for this long: otherwise every request
/// would wait out OP_TIMEOUT on the reconnecting connection during an outage.
const SKIP_AFTER_FAILURE_MS: u64 = 1_000;

const HIT_SCRIPT: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
";

/// Decrements a counter that exists and is above zero; never creates one.
const REFUND_SCRIPT: &str = r"
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
";

pub(super) struct RedisStore {
    /// Multiplexed and reconnecting by itself; clones share the one connection.
    conn: ConnectionManager,
    /// `{PARLEY_REDIS_PREFIX}:rl:`, the start of every counter's key.
    prefix: String,
    script: Script,
    refund_script: Script,
    last_warn_ms: AtomicU64,
    /// Unix ms until which Redis is presumed down and not asked.
    skip_until_ms: AtomicU64,
}

/// The user key goes first and the two numeric parts last, so distinct (key, window)
/// pairs can never produce the same Redis key even when keys contain ':'.
fn stored_key(prefix: &str, key: &str, window: Window) -> String {
    format!("{prefix}{key}:{}:{}", window.window_ms, window.index())
}

impl RedisStore {
    pub(super) async fn connect(url: &str, prefix: &str) -> Result<Self, RateLimitError> {
        let client = redis::Client::open(url).map_err(RateLimitError::InvalidUrl)?;
        // The brisk reconnects of every Parley Redis connection (see there why).
        let config = crate::shared::connection_config();
        let mut conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(RateLimitError::Connect)?;
        let script = Script::new(HIT_SCRIPT);
        // Proves the server answers commands (not just accepts TCP) and saves the
        // NOSCRIPT round trip on the first hit.
        script
            .load_async(&mut conn)
            .await
            .map_err(RateLimitError::Connect)?;
        Ok(Self {
            conn,
            prefix: format!("{prefix}:rl:"),
            script,
            refund_script: Script::new(REFUND_SCRIPT),
            last_warn_ms: AtomicU64::new(0),
            skip_until_ms: AtomicU64::new(0),
        })
    }

    /// Counts one request; its rank in the window, or `None` if Redis failed.
    pub(super) async fn hit(&self, key: &str, window: Window) -> Option<u64> {
        let mut conn = self.conn.clone();
        let mut incr = self.script.key(stored_key(&self.prefix, key, window));
        incr.arg(window.reset_after_ms());
        self.run(key, incr.invoke_async(&mut conn)).await
    }

    /// Takes back one counted request (never below zero); failures are logged.
    pub(super) async fn refund(&self, key: &str, window: Window) {
        let mut conn = self.conn.clone();
        let mut decr = self
            .refund_script
            .key(stored_key(&self.prefix, key, window));
        decr.arg(0);
        let _: Option<i64> = self.run(key, decr.invoke_async(&mut conn)).await;
    }

    /// Requests counted so far in the window, or `None` if Redis failed.
    pub(super) async fn peek(&self, key: &str, window: Window) -> Option<u64> {
        let mut conn = self.conn.clone();
        let mut get = redis::cmd("GET");
        get.arg(stored_key(&self.prefix, key, window));
        let count = self.run(key, get.query_async::<Option<u64>>(&mut conn));
        count.await.map(Option::unwrap_or_default)
    }

    /// Runs `op` with a deadline; on failure logs and returns `None` (fail open).
    async fn run<T>(&self, key: &str, op: impl Future<Output = RedisResult<T>>) -> Option<T> {
        if now_ms() < self.skip_until_ms.load(Ordering::Relaxed) {
            return None;
        }
        // Only outages pause Redis use; a bad value under one key must not affect others.
        let (error, outage) = match tokio::time::timeout(OP_TIMEOUT, op).await {
            Ok(Ok(value)) => return Some(value),
            Ok(Err(e)) => (e.to_string(), e.is_io_error() || e.is_unrecoverable_error()),
            Err(_) => (format!("no answer within {OP_TIMEOUT:?}"), true),
        };
        let now = now_ms();
        if outage {
            let until = now.saturating_add(SKIP_AFTER_FAILURE_MS);
            self.skip_until_ms.store(until, Ordering::Relaxed);
        }
        let last = self.last_warn_ms.load(Ordering::Relaxed);
        // The exchange lets a single caller per interval log at warn level.
        let due = now.saturating_sub(last) >= WARN_INTERVAL_MS
            && (self.last_warn_ms)
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok();
        if due {
            tracing::warn!(%error, "rate limiter store (Redis) failed; allowing requests");
        } else {
            tracing::debug!(%error, key, "rate limiter store (Redis) failed; allowing request");
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use redis::AsyncCommands;

    use super::super::{Decision, Limit, RateLimiter};
    use super::*;

    const URL: &str = "redis://127.0.0.1:6379";
    const HOUR: Duration = Duration::from_secs(3600);

    async fn limiter() -> RateLimiter {
        RateLimiter::redis(URL, "parley-test")
            .await
            .unwrap_or_else(|e| {
                panic!("Redis tests need a Redis server at {URL} (e.g. `redis-server`): {e}")
            })
    }

    async fn raw() -> redis::aio::MultiplexedConnection {
        let client = redis::Client::open(URL).expect("valid URL");
        let conn = client.get_multiplexed_async_connection().await;
        conn.unwrap_or_else(|e| panic!("Redis tests need a Redis server at {URL}: {e}"))
    }

    /// A key prefix no other run or test shares.
    fn unique(name: &str) -> String {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("test:{}:{nanos}:{name}", std::process::id())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_hits_are_counted_exactly() {
        let limiter = limiter().await;
        let key = unique("concurrent");
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (limiter, key) = (limiter.clone(), key.clone());
                tokio::spawn(async move { limiter.hit(&key, Limit::new(10, HOUR)).await })
            })
            .collect();
        let mut allowed = 0;
        for task in tasks {
            allowed += u32::from(task.await.expect("task panicked").allowed);
        }
        assert_eq!(allowed, 10);
    }

    #[tokio::test]
    async fn counts_peeks_and_separates_keys_and_windows() {
        let (limiter, key, limit) = (limiter().await, unique("alice"), Limit::new(2, HOUR));
        let summary = |d: Decision| (d.allowed, d.remaining);
        assert_eq!(summary(limiter.peek(&key, limit).await), (true, 2));
        let first = limiter.hit(&key, limit).await;
        assert_eq!((first.allowed, first.limit, first.remaining), (true, 2, 1));
        assert!((1..=3600).contains(&first.reset_after_secs));
        assert_eq!(summary(limiter.peek(&key, limit).await), (true, 1));
        assert_eq!(summary(limiter.hit(&key, limit).await), (true, 0));
        assert_eq!(summary(limiter.peek(&key, limit).await), (false, 0));
        assert_eq!(summary(limiter.hit(&key, limit).await), (false, 0));
        // Other keys and other windows have their own counters.
        assert_eq!(summary(limiter.hit(&unique("bob"), limit).await), (true, 1));
        let other_window = Limit::new(2, Duration::from_secs(1800));
        assert_eq!(summary(limiter.hit(&key, other_window).await), (true, 1));
    }

    #[tokio::test]
    async fn counter_expires_at_window_end() {
        let (limiter, key, limit) = (limiter().await, unique("ttl"), Limit::new(5, HOUR));
        limiter.hit(&key, limit).await;
        let window = Window::now(limit);
        let ttl: i64 = raw()
            .await
            .pttl(stored_key("parley-test:rl:", &key, window))
            .await
            .expect("PTTL");
        let expected = i64::try_from(window.reset_after_ms()).expect("fits");
        assert!(
            ttl > 0 && (ttl - expected).abs() < 5_000,
            "PTTL {ttl}, expected {expected}"
        );
    }

    #[tokio::test]
    async fn refund_takes_back_one_count_but_not_below_zero() {
        let limiter = limiter().await;
        let key = unique("refund");
        let limit = Limit {
            count: 5,
            window: std::time::Duration::from_secs(3600),
        };
        limiter.hit(&key, limit).await;
        limiter.hit(&key, limit).await;
        limiter.refund(&key, limit).await;
        assert_eq!(limiter.peek(&key, limit).await.remaining, 4);
        limiter.refund(&key, limit).await;
        limiter.refund(&key, limit).await;
        assert_eq!(limiter.peek(&key, limit).await.remaining, 5);
    }

    #[tokio::test]
    async fn fails_open_when_redis_errors() {
        let (limiter, key, limit) = (limiter().await, unique("broken"), Limit::new(1, HOUR));
        // A non-integer value makes both INCR and the integer parse of GET fail.
        let stored = stored_key("parley-test:rl:", &key, Window::now(limit));
        let set = raw().await.set_ex::<_, _, ()>(&stored, "oops", 3600).await;
        set.expect("SET");
        for _ in 0..3 {
            assert!(limiter.hit(&key, limit).await.allowed);
            assert!(limiter.peek(&key, limit).await.allowed);
        }
        // A bad value under one key is not an outage: other keys are still counted.
        let healthy = unique("healthy");
        assert!(limiter.hit(&healthy, limit).await.allowed);
        assert!(!limiter.hit(&healthy, limit).await.allowed);
    }

    #[tokio::test]
    async fn connect_fails_when_unreachable_or_invalid() {
        let down = RateLimiter::redis("redis://127.0.0.1:1", "parley-test").await;
        assert!(matches!(down, Err(RateLimitError::Connect(_))), "{down:?}");
        let bad = RateLimiter::redis("http://nope", "parley-test").await;
        assert!(matches!(bad, Err(RateLimitError::InvalidUrl(_))), "{bad:?}");
    }
}
