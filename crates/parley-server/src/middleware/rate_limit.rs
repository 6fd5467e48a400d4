//! Applying the rate limits of docs/api.md: the global per-IP limit as a
//! middleware on every route (its `RateLimit-*` headers go on every answer),
//! and helpers for the limits that handlers apply themselves (sign-up per
//! IP; sign-in failures per IP and per account, counted as attempts up front
//! and refunded on success).

use crate::error::ApiError;
use crate::http::client::ClientIp;
use crate::ratelimit::{Decision, Limit};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Counts one request against `key`; refuses it when over the limit.
pub async fn enforce(state: &AppState, key: &str, limit: Limit) -> Result<Decision, ApiError> {
    if !state.config.rate_limits.enabled {
        return Ok(Decision {
            allowed: true,
            limit: limit.count,
            remaining: limit.count,
            reset_after_secs: 0,
        });
    }
    let decision = state.limiter.hit(key, limit).await;
    if decision.allowed {
        Ok(decision)
    } else {
        Err(ApiError::RateLimited(decision))
    }
}

/// Takes back one request counted by [`enforce`] (see `RateLimiter::refund`).
pub async fn refund(state: &AppState, key: &str, limit: Limit) {
    if state.config.rate_limits.enabled {
        state.limiter.refund(key, limit).await;
    }
}

/// The global per-client-IP limit. Health probes and metrics scrapes are
/// exempt: an orchestrator polling them must never be locked out. So is the
/// traffic of an open Socket.IO session (requests carrying its `sid`): a
/// long-polling client makes a request per message and per ~25 s, which is
/// transport, not API use. Socket.IO handshakes (no `sid`) still count.
pub async fn global(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let socket_session = crate::realtime::origin::is_socket_path(path)
        && request
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|pair| pair.starts_with("sid=")));
    if !state.config.rate_limits.enabled
        || socket_session
        || matches!(path, "/healthz" | "/readyz" | "/metrics")
    {
        return next.run(request).await;
    }
    let ip = ClientIp::of(request.headers(), request.extensions(), &state);
    match enforce(
        &state,
        &format!("global:ip:{}", ip.0),
        state.config.rate_limits.global,
    )
    .await
    {
        Ok(decision) => {
            let mut response = next.run(request).await;
            // A handler's own, stricter limit already wrote its headers.
            if !response.headers().contains_key("ratelimit-limit") {
                decision.write_headers(response.headers_mut());
            }
            response
        }
        Err(refused) => refused.into_response(),
    }
}
