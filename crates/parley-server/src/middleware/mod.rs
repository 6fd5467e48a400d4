//! Cross-cutting request handling that every route shares: security headers,
//! the browser-origin check, rate limits and request metrics.

pub mod metrics;
pub mod origin;
pub mod rate_limit;
pub mod security_headers;
