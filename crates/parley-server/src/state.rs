//! The shared state every handler and service reaches: configuration, the
//! store, the password hasher, token and CSRF keys, the rate limiter, the
//! delivery of events, presence and typing, and media. It holds no transport
//! type: services reach connected clients only through [`Delivery`].
//! Cheap to clone (everything inside is reference-counted).

use crate::auth::csrf::CsrfKey;
use crate::auth::passwords::Passwords;
use crate::auth::tokens::TokenIssuer;
use crate::config::Config;
use crate::delivery::Delivery;
use crate::ratelimit::RateLimiter;
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
    /// Carries what committed use-cases caused to connected sockets.
    pub delivery: Delivery,
    /// Who is online.
    pub presence: crate::services::presence::Presence,
    /// Who is typing where.
    pub typing: crate::services::typing::Typing,
    /// The Redis connection for shared state, when running on many nodes.
    pub shared: Option<crate::shared::SharedRedis>,
    /// Media storage, settings and the image-work pool.
    pub media: crate::media::Media,
    /// The Open API's tokens, secrets and domain registry.
    pub open: crate::open::OpenApi,
    /// Sign-in providers and the sealing of their flow cookies.
    pub oauth: OAuth,
    /// Account mail: SMTP, or the log.
    pub mailer: crate::mail::Mailer,
}

/// The configured sign-in providers and the key of their flow cookies.
#[derive(Clone, Debug)]
pub struct OAuth {
    pub providers: crate::oauth::Providers,
    pub flows: crate::oauth::flow::FlowSealer,
}

impl AppState {
    /// Delivers a use-case's effects (after its commit) and returns its value.
    pub async fn finish<T>(&self, outcome: crate::delivery::Outcome<T>) -> T {
        self.delivery.finish(outcome).await
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}
