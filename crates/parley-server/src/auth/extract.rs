//! Who is calling: the [`Auth`] extractor accepts `Authorization: Bearer` or
//! the access-token cookie, verifies the JWT, requires `X-CSRF-Token` on
//! unsafe cookie-authenticated requests, and checks that the session is still
//! live (so sign-out and password changes take effect immediately, not at
//! token expiry).

use crate::auth::cookies::{self, ACCESS_COOKIE};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use http::request::Parts;
use parley_core::{ErrorCode, SessionId, Timestamp, UserId};

pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVia {
    Bearer,
    Cookie,
}

/// A signed-in caller. Using it in a handler makes the route require sign-in.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    pub user_id: UserId,
    pub session_id: SessionId,
    pub via: AuthVia,
}

/// `Option<Auth>` for routes open to everyone but richer for the signed-in.
pub type MaybeAuth = Option<Auth>;

/// The presented access token and how it came, if any.
fn presented_token(parts: &Parts) -> Result<Option<(String, AuthVia)>, ApiError> {
    if let Some(value) = parts.headers.get(http::header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::refused(ErrorCode::Unauthorized))?;
        return Ok(Some((token.to_owned(), AuthVia::Bearer)));
    }
    Ok(cookies::read(&parts.headers, ACCESS_COOKIE).map(|t| (t, AuthVia::Cookie)))
}

async fn authenticate(
    parts: &Parts,
    state: &AppState,
    token: &str,
    via: AuthVia,
) -> Result<Auth, ApiError> {
    let claims = state.tokens.verify(token)?;
    if via == AuthVia::Cookie && !parts.method.is_safe() {
        let presented = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !state.csrf.verify(claims.session_id, presented) {
            return Err(ApiError::refused(ErrorCode::CsrfFailed));
        }
    }
    let live_user = state
        .store
        .active_session_user(claims.session_id, Timestamp::now())
        .await?;
    if live_user != Some(claims.user_id) {
        return Err(ApiError::refused(ErrorCode::Unauthorized));
    }
    Ok(Auth {
        user_id: claims.user_id,
        session_id: claims.session_id,
        via,
    })
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match presented_token(parts)? {
            Some((token, via)) => authenticate(parts, state, &token, via).await,
            None => Err(ApiError::refused(ErrorCode::Unauthorized)),
        }
    }
}

impl OptionalFromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    /// No credentials: `None`. Credentials that fail: the error, so a client
    /// with a stale token learns it must refresh instead of silently seeing
    /// the signed-out view.
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match presented_token(parts)? {
            Some((token, via)) => authenticate(parts, state, &token, via).await.map(Some),
            None => Ok(None),
        }
    }
}
