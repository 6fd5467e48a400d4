//! Fixed-window rate limiting, counted in-process or shared between nodes through Redis.
//!
//! Windows are aligned to the window length (`index = now_ms / window_ms`), so every
//! node agrees on when a window starts and ends without coordinating, and the
//! `RateLimit-Reset` header is simply the time left until the end of the current window.

mod memory;
mod redis_store;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue};

use self::memory::MemoryStore;
use self::redis_store::RedisStore;

/// A limit: `count` requests per `window`. Parsed from "600/60s" (also "600/60" meaning
/// seconds, "10/5m", "10/1h" and "5/500ms").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub count: u32,
    pub window: Duration,
}

impl Limit {
    pub const fn new(count: u32, window: Duration) -> Self {
        Self { count, window }
    }

    /// Window length in milliseconds, never 0 (a hand-built zero window would otherwise
    /// divide by zero; treating it as 1 ms makes it effectively unlimited, not a panic).
    fn window_ms(&self) -> u64 {
        u64::try_from(self.window.as_millis())
            .unwrap_or(u64::MAX)
            .max(1)
    }
}

impl FromStr for Limit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad =
            |why: &str| format!("invalid rate limit {s:?}: {why} (expected e.g. \"600/60s\")");
        let (count, window) = s.split_once('/').ok_or_else(|| bad("missing '/'"))?;
        let count: u32 = count
            .trim()
            .parse()
            .map_err(|_| bad("count is not a number"))?;
        let window = window.trim();
        // Longest suffix first so "ms" isn't read as "m"; no unit means seconds.
        let (amount, unit_ms) = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]
            .into_iter()
            .find_map(|(unit, ms)| Some((window.strip_suffix(unit)?, ms)))
            .unwrap_or((window, 1_000));
        let amount: u64 = amount
            .trim()
            .parse()
            .map_err(|_| bad("window must be a number and ms/s/m/h"))?;
        let window_ms = amount
            .checked_mul(unit_ms)
            .ok_or_else(|| bad("window too long"))?;
        if count == 0 || window_ms == 0 {
            return Err(bad("count and window must not be zero"));
        }
        Ok(Self::new(count, Duration::from_millis(window_ms)))
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.window.as_millis();
        if ms.is_multiple_of(1_000) {
            write!(f, "{}/{}s", self.count, ms / 1_000)
        } else {
            write!(f, "{}/{}ms", self.count, ms)
        }
    }
}

const LIMIT_HEADER: HeaderName = HeaderName::from_static("ratelimit-limit");
const REMAINING_HEADER: HeaderName = HeaderName::from_static("ratelimit-remaining");
const RESET_HEADER: HeaderName = HeaderName::from_static("ratelimit-reset");

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// The limit's count.
    pub limit: u32,
    /// Requests left in this window after this one (0 when refused).
    pub remaining: u32,
    /// Whole seconds (rounded up, at least 1) until the current window ends.
    pub reset_after_secs: u64,
}

impl Decision {
    /// `used` requests were counted before this one; `counting` says whether this one
    /// is counted too (`hit`) or not (`peek`). Either way it is allowed iff it fits.
    fn after(limit: Limit, used: u64, counting: bool, window: Window) -> Self {
        let left = u64::from(limit.count).saturating_sub(used);
        let allowed = left > 0;
        let remaining = left.saturating_sub(u64::from(counting)); // 0 when refused
        Self {
            allowed,
            limit: limit.count,
            remaining: u32::try_from(remaining).unwrap_or(u32::MAX),
            reset_after_secs: window.reset_after_secs(),
        }
    }

    /// Writes RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset headers, plus
    /// Retry-After when refused. Existing values are replaced, so when several limits
    /// apply the last one written wins.
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        let mut set = |name, value: u64| headers.insert(name, HeaderValue::from(value));
        set(LIMIT_HEADER, self.limit.into());
        set(REMAINING_HEADER, self.remaining.into());
        set(RESET_HEADER, self.reset_after_secs);
        if !self.allowed {
            set(http::header::RETRY_AFTER, self.reset_after_secs);
        }
    }
}

/// The fixed window a given instant falls into, for one window length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    now_ms: u64,
    window_ms: u64,
}

impl Window {
    fn at(now_ms: u64, limit: Limit) -> Self {
        Self {
            now_ms,
            window_ms: limit.window_ms(),
        }
    }

    fn now(limit: Limit) -> Self {
        Self::at(now_ms(), limit)
    }

    fn index(&self) -> u64 {
        self.now_ms / self.window_ms
    }

    /// Unix ms at which the window ends; identifies the window for a given length.
    fn end_ms(&self) -> u64 {
        self.index()
            .saturating_add(1)
            .saturating_mul(self.window_ms)
    }

    /// Milliseconds until the window ends (≥ 1).
    fn reset_after_ms(&self) -> u64 {
        self.window_ms - self.now_ms % self.window_ms
    }

    fn reset_after_secs(&self) -> u64 {
        self.reset_after_ms().div_ceil(1_000).max(1)
    }
}

fn now_ms() -> u64 {
    // A clock before 1970 is a broken host; counting everything in window 0 is harmless.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[derive(Debug, thiserror::Error)]
pub enum RateLimitError {
    #[error("invalid Redis URL for rate limiting: {0}")]
    InvalidUrl(#[source] redis::RedisError),
    #[error("cannot connect to Redis for rate limiting: {0}")]
    Connect(#[source] redis::RedisError),
}

enum Backend {
    Memory(MemoryStore),
    Redis(RedisStore),
    Disabled,
}

/// Rate limiter handle; clones share the same counters.
#[derive(Clone)]
pub struct RateLimiter {
    backend: Arc<Backend>,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("backend", &self.backend_name())
            .finish()
    }
}

impl RateLimiter {
    /// Counters in this process only (single node).
    pub fn in_memory() -> Self {
        Self::with(Backend::Memory(MemoryStore::new()))
    }

    /// Shared limits across nodes: counters in Redis (INCR + PEXPIRE in one Lua script,
    /// key prefix "parley:rl:"). Fails if Redis is unreachable now; later outages fail open.
    pub async fn redis(url: &str, prefix: &str) -> Result<Self, RateLimitError> {
        Ok(Self::with(Backend::Redis(
            RedisStore::connect(url, prefix).await?,
        )))
    }

    /// A limiter that allows everything (PARLEY_RATE_LIMITS=off).
    pub fn disabled() -> Self {
        Self::with(Backend::Disabled)
    }

    fn with(backend: Backend) -> Self {
        Self {
            backend: Arc::new(backend),
        }
    }

    /// "memory", "redis" or "disabled", for startup logs.
    pub fn backend_name(&self) -> &'static str {
        match *self.backend {
            Backend::Memory(_) => "memory",
            Backend::Redis(_) => "redis",
            Backend::Disabled => "disabled",
        }
    }

    /// Counts one request against `key` under `limit` and says whether it is allowed.
    /// Different windows never share a counter: the window length is part of the stored key.
    pub async fn hit(&self, key: &str, limit: Limit) -> Decision {
        self.check(key, limit, true).await
    }

    /// Like `hit` but does not count (e.g. to check sign-in failure counters before
    /// verifying a password): allowed iff fewer than `count` requests were counted.
    pub async fn peek(&self, key: &str, limit: Limit) -> Decision {
        self.check(key, limit, false).await
    }

    /// Takes back one request counted by `hit` in the current window: for
    /// limits that count only failures but must count attempts up front (so
    /// that concurrent attempts cannot all slip under the limit).
    pub async fn refund(&self, key: &str, limit: Limit) {
        let window = Window::now(limit);
        match &*self.backend {
            Backend::Memory(store) => store.refund(key, window),
            Backend::Redis(store) => store.refund(key, window).await,
            Backend::Disabled => {}
        }
    }

    async fn check(&self, key: &str, limit: Limit, counting: bool) -> Decision {
        let window = Window::now(limit);
        // Requests counted before this one, or None when the store failed (fail open).
        let used = match &*self.backend {
            Backend::Memory(store) if counting => Some(store.hit(key, window).saturating_sub(1)),
            Backend::Memory(store) => Some(store.peek(key, window)),
            Backend::Redis(store) if counting => {
                store.hit(key, window).await.map(|n| n.saturating_sub(1))
            }
            Backend::Redis(store) => store.peek(key, window).await,
            Backend::Disabled => None,
        };
        Decision::after(limit, used.unwrap_or(0), counting && used.is_some(), window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(s: &str) -> Limit {
        s.parse()
            .unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    #[test]
    fn parses_and_displays_limits() {
        let secs = |count, s| Limit::new(count, Duration::from_secs(s));
        assert_eq!(limit("600/60s"), secs(600, 60));
        assert_eq!(limit("600/60"), secs(600, 60));
        assert_eq!(limit(" 10 / 5m "), secs(10, 300));
        assert_eq!(limit("10/1h"), secs(10, 3600));
        assert_eq!(limit("5/250ms"), Limit::new(5, Duration::from_millis(250)));
        assert_eq!(limit("10/5m").to_string(), "10/300s");
        assert_eq!(limit("5/250ms").to_string(), "5/250ms");
        let huge = format!("10/{}h", u64::MAX);
        for bad in [
            "", "600", "0/60s", "10/0s", "10/0", "-1/60s", "x/60s", "10/s", "10/5d",
        ]
        .into_iter()
        .chain(["10/5m/2", "99999999999/1s", &huge])
        {
            let err = bad.parse::<Limit>().expect_err(bad);
            assert!(err.contains("invalid rate limit"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn windows_are_aligned_and_reset_rounds_up() {
        let w = Window::at(125_000, limit("10/60s"));
        assert_eq!(
            (w.index(), w.end_ms(), w.reset_after_ms()),
            (2, 180_000, 55_000)
        );
        // (now ms, limit, expected Reset seconds)
        for (now, l, secs) in [
            (125_000, "10/60s", 55),
            (179_001, "10/60s", 1),
            (179_999, "10/60s", 1),
            (120_000, "10/60s", 60),
            (120_001, "10/60s", 60),
            (5, "1/250ms", 1),
        ] {
            assert_eq!(
                Window::at(now, limit(l)).reset_after_secs(),
                secs,
                "{now} {l}"
            );
        }
        // A hand-built zero window neither panics nor divides by zero.
        assert_eq!(
            Window::at(7, Limit::new(1, Duration::ZERO)).reset_after_ms(),
            1
        );
    }

    #[test]
    fn decisions_count_remaining() {
        let (l, w) = (limit("3/60s"), Window::at(0, limit("3/60s")));
        let summary = |counting| -> Vec<_> {
            let d = (0..=4).map(|used| Decision::after(l, used, counting, w));
            d.map(|d| (d.allowed, d.remaining)).collect()
        };
        // hit: the (used+1)-th request; peek: would one more fit?
        let (yes, no) = (true, false);
        assert_eq!(
            summary(yes),
            [(yes, 2), (yes, 1), (yes, 0), (no, 0), (no, 0)]
        );
        assert_eq!(
            summary(no),
            [(yes, 3), (yes, 2), (yes, 1), (no, 0), (no, 0)]
        );
        let d = Decision::after(l, 0, true, w);
        assert_eq!((d.limit, d.reset_after_secs), (3, 60));
    }

    #[test]
    fn writes_headers() {
        let ok = Decision {
            allowed: true,
            limit: 600,
            remaining: 599,
            reset_after_secs: 42,
        };
        let refused = Decision {
            allowed: false,
            remaining: 0,
            reset_after_secs: 7,
            ..ok
        };
        let mut headers = HeaderMap::new();
        let mut written = |d: Decision| -> Vec<String> {
            d.write_headers(&mut headers);
            let names = [
                "RateLimit-Limit",
                "RateLimit-Remaining",
                "RateLimit-Reset",
                "Retry-After",
            ];
            let value = |n| {
                headers
                    .get(n)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-")
                    .to_owned()
            };
            names.into_iter().map(value).collect()
        };
        assert_eq!(written(ok), ["600", "599", "42", "-"]);
        // Values are replaced, not appended.
        assert_eq!(written(refused), ["600", "0", "7", "7"]);
    }

    #[tokio::test]
    async fn disabled_always_allows() {
        let limiter = RateLimiter::disabled();
        for _ in 0..5 {
            let d = limiter.hit("global:ip:1.2.3.4", limit("1/1h")).await;
            assert_eq!((d.allowed, d.remaining), (true, 1));
            assert!(
                limiter
                    .peek("global:ip:1.2.3.4", limit("1/1h"))
                    .await
                    .allowed
            );
        }
        assert_eq!(limiter.backend_name(), "disabled");
        assert_eq!(RateLimiter::in_memory().backend_name(), "memory");
    }
}
