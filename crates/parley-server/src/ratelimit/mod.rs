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
        u64::try_from(self.window.as_millis()).unwrap_or(u64::MAX).max(1)
    }
}

impl FromStr for Limit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| {
            format!("invalid rate limit {s:?}: {why} (expected \"<count>/<window>\" such as \"600/60s\", \"10/5m\" or \"100/1h\")")
        };
        let (count, window) = s.trim().split_once('/').ok_or_else(|| bad("missing '/'"))?;
        let count: u32 = count.trim().parse().map_err(|_| bad("count is not a number"))?;
        if count == 0 {
            return Err(bad("count must be at least 1"));
        }
        let window = window.trim();
        // Longest suffix first so "ms" isn't read as "m".
        let (digits, unit_ms) = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]
            .iter()
            .find_map(|&(suffix, ms)| window.strip_suffix(suffix).map(|d| (d, ms)))
            .unwrap_or((window, 1_000));
        let amount: u64 = digits.trim().parse().map_err(|_| bad("window is not a number with an optional unit ms/s/m/h"))?;
        let window_ms = amount.checked_mul(unit_ms).ok_or_else(|| bad("window is too long"))?;
        if window_ms == 0 {
            return Err(bad("window must be longer than zero"));
        }
        Ok(Self::new(count, Duration::from_millis(window_ms)))
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.window.as_millis();
        if ms % 1_000 == 0 {
            write!(f, "{}/{}s", self.count, ms / 1_000)
        } else {
            write!(f, "{}/{}ms", self.count, ms)
        }
    }
}

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
    fn new(limit: Limit, allowed: bool, remaining: u64, window: Window) -> Self {
        Self {
            allowed,
            limit: limit.count,
            remaining: if allowed { u32::try_from(remaining).unwrap_or(u32::MAX) } else { 0 },
            reset_after_secs: window.reset_after_secs(),
        }
    }

    /// After counting this request as the `n`-th of the window.
    fn after_hit(limit: Limit, n: u64, window: Window) -> Self {
        let count = u64::from(limit.count);
        Self::new(limit, n <= count, count.saturating_sub(n), window)
    }

    /// When `used` requests were already made in the window (nothing counted now).
    fn after_peek(limit: Limit, used: u64, window: Window) -> Self {
        let count = u64::from(limit.count);
        Self::new(limit, used < count, count.saturating_sub(used), window)
    }

    /// What we answer when we cannot count (limiter disabled or store down): allow.
    fn open(limit: Limit, window: Window) -> Self {
        Self::new(limit, true, limit.count.into(), window)
    }

    /// Writes RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset headers, plus
    /// Retry-After when refused. Existing values are replaced, so when several limits
    /// apply the last one written wins.
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        headers.insert(HeaderName::from_static("ratelimit-limit"), HeaderValue::from(self.limit));
        headers.insert(HeaderName::from_static("ratelimit-remaining"), HeaderValue::from(self.remaining));
        headers.insert(HeaderName::from_static("ratelimit-reset"), HeaderValue::from(self.reset_after_secs));
        if !self.allowed {
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from(self.reset_after_secs));
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
        Self { now_ms, window_ms: limit.window_ms() }
    }

    fn now(limit: Limit) -> Self {
        Self::at(now_ms(), limit)
    }

    fn index(&self) -> u64 {
        self.now_ms / self.window_ms
    }

    /// Unix ms at which the window ends; identifies the window for a given length.
    fn end_ms(&self) -> u64 {
        self.index().saturating_add(1).saturating_mul(self.window_ms)
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
        f.debug_struct("RateLimiter").field("backend", &self.backend_name()).finish()
    }
}

impl RateLimiter {
    /// Counters in this process only (single node).
    pub fn in_memory() -> Self {
        Self { backend: Arc::new(Backend::Memory(MemoryStore::new())) }
    }

    /// Shared limits across nodes: counters in Redis (INCR + PEXPIRE in one Lua script,
    /// key prefix "parley:rl:"). Fails if Redis is unreachable now; later outages fail open.
    pub async fn redis(url: &str) -> Result<Self, RateLimitError> {
        let store = RedisStore::connect(url).await?;
        Ok(Self { backend: Arc::new(Backend::Redis(store)) })
    }

    /// A limiter that allows everything (PARLEY_RATE_LIMITS=off).
    pub fn disabled() -> Self {
        Self { backend: Arc::new(Backend::Disabled) }
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
        let window = Window::now(limit);
        match &*self.backend {
            Backend::Memory(store) => {
                Decision::after_hit(limit, store.hit(key, window).into(), window)
            }
            Backend::Redis(store) => match store.hit(key, window).await {
                Some(n) => Decision::after_hit(limit, n, window),
                None => Decision::open(limit, window),
            },
            Backend::Disabled => Decision::open(limit, window),
        }
    }

    /// Like `hit` but does not count (e.g. to check sign-in failure counters before
    /// verifying a password): allowed iff fewer than `count` requests were counted.
    pub async fn peek(&self, key: &str, limit: Limit) -> Decision {
        let window = Window::now(limit);
        match &*self.backend {
            Backend::Memory(store) => {
                Decision::after_peek(limit, store.peek(key, window).into(), window)
            }
            Backend::Redis(store) => match store.peek(key, window).await {
                Some(n) => Decision::after_peek(limit, n, window),
                None => Decision::open(limit, window),
            },
            Backend::Disabled => Decision::open(limit, window),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(s: &str) -> Limit {
        s.parse().unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    #[test]
    fn parses_limits() {
        assert_eq!(limit("600/60s"), Limit::new(600, Duration::from_secs(60)));
        assert_eq!(limit("600/60"), Limit::new(600, Duration::from_secs(60)));
        assert_eq!(limit(" 10 / 5m "), Limit::new(10, Duration::from_secs(300)));
        assert_eq!(limit("10/1h"), Limit::new(10, Duration::from_secs(3600)));
        assert_eq!(limit("5/250ms"), Limit::new(5, Duration::from_millis(250)));
        assert_eq!(limit("10/5m").to_string(), "10/300s");
        assert_eq!(limit("5/250ms").to_string(), "5/250ms");
        assert_eq!(limit(&limit("600/60s").to_string()), limit("600/60s"));
    }

    #[test]
    fn rejects_bad_limits() {
        for bad in ["", "600", "0/60s", "10/0s", "10/0", "-1/60s", "x/60s", "10/s", "10/5d", "10/5m/2"]
        {
            let err = bad.parse::<Limit>().expect_err(bad);
            assert!(err.contains("invalid rate limit"), "{bad:?}: {err}");
        }
        assert!("99999999999/1s".parse::<Limit>().is_err());
        assert!(format!("10/{}h", u64::MAX).parse::<Limit>().is_err());
    }

    #[test]
    fn windows_are_aligned_and_reset_rounds_up() {
        let l = limit("10/60s");
        let w = Window::at(125_000, l);
        assert_eq!((w.index(), w.end_ms(), w.reset_after_ms()), (2, 180_000, 55_000));
        assert_eq!(w.reset_after_secs(), 55);
        assert_eq!(Window::at(179_001, l).reset_after_secs(), 1);
        assert_eq!(Window::at(179_999, l).reset_after_secs(), 1);
        assert_eq!(Window::at(120_000, l).reset_after_secs(), 60);
        assert_eq!(Window::at(120_001, l).reset_after_secs(), 60);
        assert_eq!(Window::at(5, limit("1/250ms")).reset_after_secs(), 1);
        // A hand-built zero window neither panics nor divides by zero.
        assert_eq!(Window::at(7, Limit::new(1, Duration::ZERO)).reset_after_ms(), 1);
    }

    #[test]
    fn decisions_count_remaining() {
        let l = limit("3/60s");
        let w = Window::at(0, l);
        let hits: Vec<_> = (1..=4).map(|n| Decision::after_hit(l, n, w)).collect();
        let got: Vec<_> = hits.iter().map(|d| (d.allowed, d.remaining)).collect();
        assert_eq!(got, [(true, 2), (true, 1), (true, 0), (false, 0)]);
        assert_eq!(hits[0].limit, 3);
        assert_eq!(hits[0].reset_after_secs, 60);
        let peeks: Vec<_> = (0..=4).map(|n| Decision::after_peek(l, n, w)).collect();
        let got: Vec<_> = peeks.iter().map(|d| (d.allowed, d.remaining)).collect();
        assert_eq!(got, [(true, 3), (true, 2), (true, 1), (false, 0), (false, 0)]);
    }

    #[test]
    fn writes_headers() {
        let mut headers = HeaderMap::new();
        let ok = Decision { allowed: true, limit: 600, remaining: 599, reset_after_secs: 42 };
        ok.write_headers(&mut headers);
        assert_eq!(headers["ratelimit-limit"], "600");
        assert_eq!(headers["ratelimit-remaining"], "599");
        assert_eq!(headers["ratelimit-reset"], "42");
        assert!(!headers.contains_key(http::header::RETRY_AFTER));

        let refused = Decision { allowed: false, limit: 600, remaining: 0, reset_after_secs: 7 };
        refused.write_headers(&mut headers);
        assert_eq!(headers["RateLimit-Remaining"], "0");
        assert_eq!(headers["retry-after"], "7");
        assert_eq!(headers.len(), 4, "values are replaced, not appended");
    }

    #[tokio::test]
    async fn disabled_always_allows() {
        let limiter = RateLimiter::disabled();
        let l = limit("1/1h");
        for _ in 0..5 {
            let d = limiter.hit("global:ip:1.2.3.4", l).await;
            assert!(d.allowed);
            assert_eq!(d.remaining, 1);
            assert!(limiter.peek("global:ip:1.2.3.4", l).await.allowed);
        }
        assert_eq!(limiter.backend_name(), "disabled");
        assert_eq!(RateLimiter::in_memory().backend_name(), "memory");
    }
}
