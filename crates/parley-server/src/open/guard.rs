//! The gate of the Open API's data endpoints: the bearer token must be a
//! valid Open API token of a domain that still exists under the same secret
//! generation; a browser's `Origin`, when present, must be that domain's own
//! host; then the request counts toward the domain's tier limit, whose
//! `RateLimit-*` headers go on the answer. The caller's domain reaches the
//! handler as an [`OpenClient`] extension.

use crate::error::ApiError;
use crate::open::cors::origin_host;
use crate::open::registry::Known;
use crate::ratelimit::Decision;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use parley_core::{Error, ErrorCode};

/// The registered domain a request speaks for.
#[derive(Debug, Clone)]
pub struct OpenClient(pub Known);

impl<S: Send + Sync> FromRequestParts<S> for OpenClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<OpenClient>()
            .cloned()
            // Only reachable if a route forgot the guard: refuse, never serve.
            .ok_or(ApiError::Domain(Error::Refused(ErrorCode::Unauthorized)))
    }
}

fn bearer(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Refuses a browser call from any origin but the domain's own.
pub fn check_origin(request_headers: &http::HeaderMap, host: &str) -> Result<(), ApiError> {
    match request_headers.get(http::header::ORIGIN) {
        None => Ok(()),
        Some(origin) if origin_host(origin).as_deref() == Some(host) => Ok(()),
        Some(_) => Err(ApiError::refused(ErrorCode::OriginNotAllowed)),
    }
}

async fn admit(state: &AppState, headers: &http::HeaderMap) -> Result<(Known, Decision), ApiError> {
    let token = bearer(headers).ok_or(ApiError::refused(ErrorCode::Unauthorized))?;
    let claims = state.open.tokens.verify(token)?;
    let domain = state
        .open
        .registry
        .domain(claims.domain)
        .await?
        .filter(|d| d.generation == claims.generation)
        .ok_or(ApiError::refused(ErrorCode::Unauthorized))?;
    check_origin(headers, &domain.host)?;
    let decision = state.open.charge(state, &domain).await?;
    Ok((domain, decision))
}

pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // A request body is not `Sync`: the checks borrow only its headers.
    let headers = request.headers().clone();
    match admit(&state, &headers).await {
        Ok((domain, decision)) => {
            request.extensions_mut().insert(OpenClient(domain));
            let mut response = next.run(request).await;
            decision.write_headers(response.headers_mut());
            response
        }
        Err(refused) => refused.into_response(),
    }
}
