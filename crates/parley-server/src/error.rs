//! The HTTP error: renders api.md's error shape
//! `{"error": {"code", "message", "fields"?}}` with the right status. Every
//! variant maps to exactly one status (the match is exhaustive), and internal
//! details are logged, never sent.

use crate::ratelimit::Decision;
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use parley_core::{Error, FieldErrors};
use serde::Serialize;
use std::collections::BTreeMap;

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

/// The error body, as documented in the OpenAPI spec.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `username_taken`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// Per-field reasons, on validation errors (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// Seconds until a retry may succeed, on 429.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self::Domain(e)
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

    pub fn forbidden(code: &'static str) -> Self {
        Self::Domain(Error::Forbidden(code))
    }

    pub fn unauthorized(code: &'static str) -> Self {
        Self::Domain(Error::Unauthorized(code))
    }

    /// The code, message and retry delay a client sees (for Socket.IO acks).
    pub fn public_parts(&self) -> (String, String, Option<u64>) {
        let (_, code, message) = self.parts();
        let retry_after = match self {
            Self::Domain(Error::RateLimited {
                retry_after_secs, ..
            }) => Some(*retry_after_secs),
            Self::RateLimited(decision) => Some(decision.reset_after_secs),
            _ => None,
        };
        (code, message, retry_after)
    }

    /// Status, code and message; internals are logged here and replaced.
    fn parts(&self) -> (StatusCode, String, String) {
        use StatusCode as S;
        let owned = |s: S, code: &str, msg: &str| (s, code.to_owned(), msg.to_owned());
        match self {
            Self::Domain(e) => match e {
                Error::Validation(_) => owned(
                    S::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    "Some fields are invalid.",
                ),
                Error::Unauthorized(code) => (
                    S::UNAUTHORIZED,
                    (*code).to_owned(),
                    unauthorized_message(code).to_owned(),
                ),
                Error::Forbidden(code) => (
                    S::FORBIDDEN,
                    (*code).to_owned(),
                    forbidden_message(code).to_owned(),
                ),
                Error::NotFound => owned(S::NOT_FOUND, "not_found", "Not found."),
                Error::Conflict(code) => (
                    S::CONFLICT,
                    (*code).to_owned(),
                    conflict_message(code).to_owned(),
                ),
                Error::Gone(code) => (S::GONE, (*code).to_owned(), "This is gone.".to_owned()),
                Error::RateLimited { .. } => owned(
                    S::TOO_MANY_REQUESTS,
                    "rate_limited",
                    "Too many requests; retry later.",
                ),
                Error::Unavailable(why) => {
                    tracing::error!(error = %why, "dependency unavailable");
                    owned(
                        S::SERVICE_UNAVAILABLE,
                        "unavailable",
                        "The service is temporarily unavailable.",
                    )
                }
                Error::Internal(why) => {
                    tracing::error!(error = %why, "internal error");
                    owned(
                        S::INTERNAL_SERVER_ERROR,
                        "internal_error",
                        "Something went wrong on our side.",
                    )
                }
            },
            Self::MalformedBody(why) => (
                S::BAD_REQUEST,
                "malformed_json".into(),
                format!("The body is not valid JSON: {why}"),
            ),
            Self::PayloadTooLarge => owned(
                S::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "The request body is too large.",
            ),
            Self::UnsupportedMediaType(expected) => (
                S::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type".into(),
                format!("Expected a body of type {expected}."),
            ),
            Self::RateLimited(_) => owned(
                S::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many requests; retry later.",
            ),
            Self::NoRoute => owned(S::NOT_FOUND, "not_found", "No such endpoint."),
            Self::MethodNotAllowed => owned(
                S::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This method is not allowed here.",
            ),
        }
    }
}

fn unauthorized_message(code: &str) -> &'static str {
    match code {
        "invalid_credentials" => "Wrong login or password.",
        "token_expired" => "The access token has expired; refresh it.",
        "invalid_refresh_token" => "The refresh token is invalid or expired; sign in again.",
        "refresh_token_reused" => {
            "This refresh token was already used; the session has been revoked."
        }
        _ => "Sign in to do this.",
    }
}

fn forbidden_message(code: &str) -> &'static str {
    match code {
        "csrf_failed" => "Missing or wrong X-CSRF-Token header.",
        "origin_not_allowed" => "Requests from this origin are not allowed.",
        _ => "You are not allowed to do this.",
    }
}

fn conflict_message(code: &str) -> &'static str {
    match code {
        "username_taken" => "This username is taken.",
        "email_taken" => "An account with this email already exists.",
        _ => "This conflicts with the current state.",
    }
}

fn fields_of(errors: &FieldErrors) -> BTreeMap<String, String> {
    errors.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        let mut headers = HeaderMap::new();
        let (fields, retry_after) = match &self {
            Self::Domain(Error::Validation(errors)) => (Some(fields_of(errors)), None),
            Self::Domain(Error::RateLimited {
                retry_after_secs,
                limit,
            }) => {
                // The refusing limit's own headers, as for limits applied at the edge.
                let refused = Decision {
                    allowed: false,
                    limit: *limit,
                    remaining: 0,
                    reset_after_secs: *retry_after_secs,
                };
                refused.write_headers(&mut headers);
                (None, Some(*retry_after_secs))
            }
            Self::RateLimited(decision) => {
                decision.write_headers(&mut headers);
                (None, Some(decision.reset_after_secs))
            }
            _ => (None, None),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message,
                fields,
                retry_after,
            },
        };
        (status, headers, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
