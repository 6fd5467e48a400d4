//! Structured logs through `tracing`: human-readable by default, JSON with
//! `PARLEY_LOG_FORMAT=json`; the level comes from `RUST_LOG` (default
//! `info`). Request spans carry the method, the route and the request id;
//! headers and bodies are never logged, so tokens and passwords stay out.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let json = std::env::var("PARLEY_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    // try_init: a second call (tests) keeps the first subscriber.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
