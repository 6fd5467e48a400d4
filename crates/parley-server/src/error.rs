//! The HTTP error: a service's [`Error`] or a refusal at the HTTP edge
//! (malformed body, wrong media type, no route, a limit), rendered through the
//! protocol layer as `{"error": {"code", "message", "fields"?}}` with the
//! status of its [`ErrorCode`]. Internal details are logged, never sent.

use crate::protocol::errors::{self, ErrorBody, ErrorDetail};
use crate::ratelimit::Decision;
use axum::Json;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use parley_core::{Error, ErrorCode};

#[derive(Debug)]
pub enum ApiError {
    /// A service's error.
    Domain(Error),
    /// The body is not well-formed JSON (400).
    MalformedBody(String),
    /// The body is larger than this route accepts (413).
    PayloadTooLarge,
    /// The body's media type is not one this route accepts (415).
    UnsupportedMediaType(&'static str),
    /// A rate limit refused the request (429, with the limit's headers).
    RateLimited(Decision),
    /// No route has this path (404) or method (405).
    NoRoute,
    MethodNotAllowed,
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self::Domain(e)
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self::Domain(Error::Refused(code))
    }
}

impl From<parley_store::StoreError> for ApiError {
    fn from(e: parley_store::StoreError) -> Self {
        Self::Domain(e.into())
    }
}

impl ApiError {
    pub fn validation(field: &str, why: impl Into<String>) -> Self {
        Self::Domain(Error::validation(field, why))
    }

    pub fn refused(code: ErrorCode) -> Self {
        Self::Domain(Error::Refused(code))
    }

    /// What the client is told: the same value on REST and in Socket.IO acks.
    pub fn detail(&self) -> ErrorDetail {
        let with_message = |code, message: String| ErrorDetail {
            message,
            ..ErrorDetail::plain(code)
        };
        match self {
            Self::Domain(e) => ErrorDetail::of(e),
            Self::MalformedBody(why) => with_message(
                ErrorCode::MalformedJson,
                format!("The body is not valid JSON: {why}"),
            ),
            Self::PayloadTooLarge => ErrorDetail::plain(ErrorCode::PayloadTooLarge),
            Self::UnsupportedMediaType(expected) => with_message(
                ErrorCode::UnsupportedMediaType,
                format!("Expected a body of type {expected}."),
            ),
            Self::RateLimited(decision) => ErrorDetail {
                retry_after: Some(decision.reset_after_secs),
                ..ErrorDetail::plain(ErrorCode::RateLimited)
            },
            Self::NoRoute => with_message(ErrorCode::NotFound, "No such endpoint.".into()),
            Self::MethodNotAllowed => ErrorDetail::plain(ErrorCode::MethodNotAllowed),
        }
    }

    /// The headers of the refusing rate limit, if this is a 429.
    fn rate_limit_headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let refused = match self {
            Self::Domain(Error::RateLimited {
                retry_after_secs,
                limit,
            }) => Decision {
                allowed: false,
                limit: *limit,
                remaining: 0,
                reset_after_secs: *retry_after_secs,
            },
            Self::RateLimited(decision) => *decision,
            _ => return headers,
        };
        refused.write_headers(&mut headers);
        headers
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let detail = self.detail();
        let status = errors::status(detail.code);
        let body = ErrorBody { error: detail };
        (status, self.rate_limit_headers(), Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
