//! The shared state every handler and service reaches: configuration, the
//! store, the password hasher, token and CSRF keys, the rate limiter, the
//! realtime publisher and media.
//! Cheap to clone (everything inside is reference-counted).

use crate::auth::csrf::CsrfKey;
use crate::auth::passwords::Passwords;
use crate::auth::tokens::TokenIssuer;
use crate::config::Config;
use crate::ratelimit::RateLimiter;
use crate::realtime::Realtime;
use metrics_exporter_prometheus::PrometheusHandle;
use parley_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub passwords: Passwords,
    pub tokens: Arc<TokenIssuer>,
    pub csrf: CsrfKey,
    pub limiter: RateLimiter,
    pub metrics: PrometheusHandle,
    /// Realtime fan-out to connected sockets (a no-op when disabled).
    pub realtime: Realtime,
    /// Who is online on this node.
    pub presence: crate::realtime::presence::Presence,
    /// Who is typing where on this node.
    pub typing: crate::realtime::typing::Typing,
    /// Media storage, settings and the image-work pool.
    pub media: crate::media::Media,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}
