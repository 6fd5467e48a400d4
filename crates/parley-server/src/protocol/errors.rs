//! How an error looks to a client, on every transport: the status and the
//! message of each [`ErrorCode`] (both matches are exhaustive, so a new code
//! cannot ship without them), and the one error body that REST answers and
//! Socket.IO acks both carry: `{"code", "message", "fields"?, "retry_after"?}`.

use http::StatusCode;
use parley_core::{Error, ErrorCode, FieldErrors};
use serde::Serialize;
use std::collections::BTreeMap;

/// The HTTP status that goes with a code.
pub const fn status(code: ErrorCode) -> StatusCode {
    use ErrorCode as C;
    use StatusCode as S;
    match code {
        C::MalformedJson | C::InvalidPayload | C::InvalidToken => S::BAD_REQUEST,
        C::Unauthorized
        | C::InvalidCredentials
        | C::TokenExpired
        | C::InvalidRefreshToken
        | C::RefreshTokenReused
        | C::InvalidClient => S::UNAUTHORIZED,
        C::CsrfFailed
        | C::OriginNotAllowed
        | C::NotAuthor
        | C::NotSender
        | C::NotMediaOwner
        | C::MediaAlreadyAttached
        | C::NotOrgOwner
        | C::NotAgent
        | C::NotCustomer
        | C::Blocked
        | C::FreshSignInRequired
        | C::NotAdmin
        | C::AccountSuspended => S::FORBIDDEN,
        C::NotFound => S::NOT_FOUND,
        C::MethodNotAllowed => S::METHOD_NOT_ALLOWED,
        C::UsernameTaken
        | C::EmailTaken
        | C::AlreadySeeded
        | C::SlugTaken
        | C::DomainTaken
        | C::IdentityTaken
        | C::LastSignInMethod
        | C::TooManyReactions
        | C::AlreadyAgent
        | C::LastOwner
        | C::ConsultationClosed
        | C::ConsultationNotClosed => S::CONFLICT,
        C::MessageDeleted => S::GONE,
        C::PayloadTooLarge => S::PAYLOAD_TOO_LARGE,
        C::UnsupportedMediaType => S::UNSUPPORTED_MEDIA_TYPE,
        C::ValidationFailed => S::UNPROCESSABLE_ENTITY,
        C::RateLimited => S::TOO_MANY_REQUESTS,
        C::InternalError => S::INTERNAL_SERVER_ERROR,
        C::Unavailable => S::SERVICE_UNAVAILABLE,
    }
}

/// The human-readable message that goes with a code.
pub const fn message(code: ErrorCode) -> &'static str {
    use ErrorCode as C;
    match code {
        C::MalformedJson => "The body is not valid JSON.",
        C::InvalidPayload => "The event's payload does not have the expected shape.",
        C::InvalidToken => "This link is invalid, already used or expired; ask for a new one.",
        C::Unauthorized => "Sign in to do this.",
        C::InvalidCredentials => "Wrong login or password.",
        C::TokenExpired => "The access token has expired; refresh it.",
        C::InvalidRefreshToken => "The refresh token is invalid or expired; sign in again.",
        C::RefreshTokenReused => {
            "This refresh token was already used; the session has been revoked."
        }
        C::InvalidClient => "Unknown client secret.",
        C::CsrfFailed => "Missing or wrong X-CSRF-Token header.",
        C::OriginNotAllowed => "Requests from this origin are not allowed.",
        C::NotAuthor => "Only the author may do this.",
        C::NotSender => "Only the sender may do this.",
        C::NotMediaOwner => "You can only attach your own uploads.",
        C::MediaAlreadyAttached => "This upload is already attached to something.",
        C::NotOrgOwner => "Only an owner of the organization may do this.",
        C::NotAgent => "Only an agent of the organization may do this.",
        C::NotCustomer => "Only the consultation's customer may do this.",
        C::Blocked => "You and this user cannot interact: one of you blocks the other.",
        C::FreshSignInRequired => {
            "Sign in again with one of your linked providers, then retry within 10 minutes."
        }
        C::NotAdmin => "Only an admin may do this.",
        C::AccountSuspended => "This account is suspended.",
        C::NotFound => "Not found.",
        C::MethodNotAllowed => "This method is not allowed here.",
        C::UsernameTaken => "This username is taken.",
        C::EmailTaken => "An account with this email already exists.",
        C::AlreadySeeded => "The database already holds data.",
        C::SlugTaken => "An organization with this slug exists.",
        C::DomainTaken => "You have registered this host already.",
        C::IdentityTaken => {
            "This provider account is linked to another Parley account, or you have linked this provider already."
        }
        C::TooManyReactions => "This message has as many different reactions as it can hold.",
        C::LastSignInMethod => {
            "This is your only way to sign in: set a password or link another provider first."
        }
        C::AlreadyAgent => "This user is an agent of the organization already.",
        C::LastOwner => "The organization's last owner cannot be removed.",
        C::ConsultationClosed => "This consultation is closed.",
        C::ConsultationNotClosed => "This consultation is not closed.",
        C::MessageDeleted => "This message was deleted.",
        C::PayloadTooLarge => "The request body is too large.",
        C::UnsupportedMediaType => "This media type is not accepted here.",
        C::ValidationFailed => "Some fields are invalid.",
        C::RateLimited => "Too many requests; retry later.",
        C::InternalError => "Something went wrong on our side.",
        C::Unavailable => "The service is temporarily unavailable.",
    }
}

/// The error body of every REST answer, as documented in the OpenAPI spec.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// One error, as a client sees it: the REST body's `error` and a refused
/// Socket.IO event's ack `error` are this same value.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, ts_rs::TS)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `username_taken`.
    #[schema(value_type = String)]
    pub code: ErrorCode,
    /// Human-readable explanation.
    pub message: String,
    /// Per-field reasons, on validation errors (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fields: Option<BTreeMap<String, String>>,
    /// Seconds until a retry may succeed, on 429.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retry_after: Option<u64>,
}

impl ErrorDetail {
    /// A code with its standard message and nothing else.
    pub fn plain(code: ErrorCode) -> Self {
        Self {
            code,
            message: message(code).to_owned(),
            fields: None,
            retry_after: None,
        }
    }

    /// What a client is told about a service's error. Internal causes are
    /// logged here (with their whole chain) and never sent.
    pub fn of(error: &Error) -> Self {
        let mut detail = Self::plain(error.code());
        match error {
            Error::Validation(errors) => detail.fields = Some(fields_of(errors)),
            Error::RateLimited {
                retry_after_secs, ..
            } => detail.retry_after = Some(*retry_after_secs),
            Error::Unavailable(why) => tracing::error!(error = %why, "dependency unavailable"),
            Error::Internal(cause) => {
                tracing::error!(error = %ErrorChain(cause.as_ref()), "internal error");
            }
            Error::NotFound | Error::Refused(_) => {}
        }
        detail
    }

    /// A payload that did not decode: `invalid_payload`, naming the field
    /// serde stopped at when there is one.
    pub fn invalid_payload(path: &str, why: impl std::fmt::Display) -> Self {
        let why = why.to_string();
        let mut detail = Self::plain(ErrorCode::InvalidPayload);
        // serde reports a missing field at the object that lacks it, so the
        // field's name is only in the message ("missing field `text`").
        let missing = why
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        let field = match (path, missing) {
            ("" | ".", Some(name)) => name.to_owned(),
            ("" | ".", None) => "payload".to_owned(),
            (path, Some(name)) => format!("{path}.{name}"),
            (path, None) => path.to_owned(),
        };
        detail.fields = Some(BTreeMap::from([(field, why)]));
        detail
    }
}

fn fields_of(errors: &FieldErrors) -> BTreeMap<String, String> {
    errors.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Displays an error and each of its sources: `a: b: c`.
struct ErrorChain<'a>(&'a (dyn std::error::Error + 'static));

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_status_and_a_message() {
        for code in ErrorCode::ALL {
            assert!(status(*code).is_client_error() || status(*code).is_server_error());
            assert!(!message(*code).is_empty());
        }
    }

    #[test]
    fn invalid_payload_names_the_field() {
        let field = |path: &str, why: &str| {
            ErrorDetail::invalid_payload(path, why)
                .fields
                .and_then(|f| f.into_keys().next())
        };
        assert_eq!(field(".", "missing field `text`").as_deref(), Some("text"));
        assert_eq!(field("seq", "invalid type").as_deref(), Some("seq"));
        assert_eq!(
            field(".", "invalid type: string").as_deref(),
            Some("payload")
        );
        assert_eq!(
            field("body", "missing field `seq`").as_deref(),
            Some("body.seq")
        );
    }

    #[test]
    fn docs_list_every_code() {
        let docs = include_str!("../../../../docs/api.md");
        for code in ErrorCode::ALL {
            assert!(
                docs.contains(&format!("`{}`", code.as_str())),
                "docs/api.md does not document the error code `{code}`"
            );
        }
    }
}
