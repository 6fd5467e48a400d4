//! The Open API for registered sites (`/open/v1`, docs/api.md "Open API for
//! registered sites"): a site's owner registers its host in the developer
//! portal and gets a client secret ([`secrets`]); the site trades it for a
//! short token ([`tokens`]) and reads public data with it. Requests pass
//! the per-origin CORS of [`cors`] and the [`guard`] (token, origin, the
//! domain's tier limit); [`registry`] answers "is this domain still the
//! same" on every node without a database query per request.
//!
//! `last_used_at` is written at most once per [`TOUCH_EVERY`] per domain and
//! node, so a busy site does not turn every read into a write.

pub mod cors;
pub mod guard;
pub mod host;
pub mod registry;
pub mod secrets;
pub mod tokens;

use crate::error::ApiError;
use crate::middleware::rate_limit;
use crate::ratelimit::Decision;
use crate::state::AppState;
use parley_core::{DomainId, DomainTier, Timestamp};
use registry::{Known, Registry};
use secrets::SecretHasher;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokens::OpenTokens;

/// Metric: Open API requests per domain, `outcome` = `allowed` or `limited`.
pub const REQUESTS_TOTAL: &str = "open_api_requests_total";
/// How often a domain's `last_used_at` is written at most (per node).
const TOUCH_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct OpenApi {
    pub tokens: OpenTokens,
    pub secrets: SecretHasher,
    pub registry: Registry,
    touched: Arc<Mutex<HashMap<DomainId, Instant>>>,
}

impl OpenApi {
    pub fn new(tokens: OpenTokens, secrets: SecretHasher, registry: Registry) -> Self {
        Self {
            tokens,
            secrets,
            registry,
            touched: Arc::default(),
        }
    }

    /// Counts one request of `domain` against its tier's limit (shared by
    /// every node through the rate-limit store), in the metrics, and in its
    /// `last_used_at`.
    pub async fn charge(&self, state: &AppState, domain: &Known) -> Result<Decision, ApiError> {
        let limits = &state.config.rate_limits;
        let limit = match domain.tier {
            DomainTier::Free => limits.open_api_free,
            DomainTier::Premium => limits.open_api_premium,
        };
        let decision =
            rate_limit::enforce(state, &format!("open:domain:{}", domain.id), limit).await;
        let outcome = if decision.is_ok() {
            "allowed"
        } else {
            "limited"
        };
        metrics::counter!(REQUESTS_TOTAL, "domain" => domain.id.to_string(), "outcome" => outcome)
            .increment(1);
        self.touch(state, domain.id);
        decision
    }

    fn touch(&self, state: &AppState, id: DomainId) {
        let now = Instant::now();
        let due = match self.touched.lock() {
            Ok(mut touched) => match touched.get(&id) {
                Some(last) if now.duration_since(*last) < TOUCH_EVERY => false,
                _ => {
                    touched.insert(id, now);
                    true
                }
            },
            Err(_) => false,
        };
        if due {
            let store = state.store.clone();
            tokio::spawn(async move {
                if let Err(e) = store.touch_domain(id, Timestamp::now()).await {
                    tracing::warn!(error = %e, %id, "open api: recording last_used_at failed");
                }
            });
        }
    }
}
