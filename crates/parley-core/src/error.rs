//! The errors services return, and the one list of public error codes. The
//! transports render an [`Error`] through `parley-server`'s protocol layer
//! (HTTP status and message per [`ErrorCode`], exhaustively); nothing here
//! knows about HTTP or Socket.IO.

use crate::FieldErrors;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error, boxed: the cause carried by [`Error::Internal`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input broke a rule; the fields say which and why (`validation_failed`).
    #[error("validation failed")]
    Validation(FieldErrors),
    /// The thing does not exist, or the caller may not know it exists (`not_found`).
    #[error("not found")]
    NotFound,
    /// A rule refused the action; the code says which (`token_expired`,
    /// `not_author`, `username_taken`...) and decides the status.
    #[error("refused: {0}")]
    Refused(ErrorCode),
    /// Too many requests under a limit of `limit` per window; retry after
    /// this many seconds (`rate_limited`).
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64, limit: u32 },
    /// A dependency (the database) is unreachable; worth retrying later.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A bug or an unexpected failure. The cause (with its whole chain) is
    /// for logs, never for clients.
    #[error("internal: {0}")]
    Internal(#[source] BoxError),
}

impl Error {
    pub fn validation(field: &str, why: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::one(field, why))
    }

    /// An internal error keeping `e` (and its sources) for the logs.
    pub fn internal(e: impl Into<BoxError>) -> Self {
        Self::Internal(e.into())
    }

    /// The public code a client sees for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::NotFound => ErrorCode::NotFound,
            Self::Refused(code) => *code,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Unavailable(_) => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::InternalError,
        }
    }
}

impl From<ErrorCode> for Error {
    fn from(code: ErrorCode) -> Self {
        Self::Refused(code)
    }
}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $word:literal),+ $(,)?) => {
        /// Every error code Parley answers, on REST and Socket.IO alike. The
        /// wire word is the snake_case name; docs/api.md lists each one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, ts_rs::TS)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $variant),+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The word sent on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word),+
                }
            }
        }
    };
}

error_codes! {
    // 400
    /// The body is not well-formed JSON.
    MalformedJson => "malformed_json",
    /// A Socket.IO event's payload does not have the event's shape.
    InvalidPayload => "invalid_payload",
    /// A mailed link's token that is unknown, used, expired, or for an
    /// address the account no longer has.
    InvalidToken => "invalid_token",
    // 401
    /// Not signed in, or the token is not acceptable.
    Unauthorized => "unauthorized",
    /// Wrong login or password (the same for an unknown user).
    InvalidCredentials => "invalid_credentials",
    /// The access token has expired: refresh it.
    TokenExpired => "token_expired",
    /// The refresh token is unknown, expired or revoked.
    InvalidRefreshToken => "invalid_refresh_token",
    /// An Open API `client_secret` that no registered domain has.
    InvalidClient => "invalid_client",
    /// A refresh token was used twice: its whole family is revoked.
    RefreshTokenReused => "refresh_token_reused",
    // 403
    /// A cookie-authenticated unsafe request without the right `X-CSRF-Token`.
    CsrfFailed => "csrf_failed",
    /// The request's `Origin` is not allowed.
    OriginNotAllowed => "origin_not_allowed",
    /// Only the author may change this post.
    NotAuthor => "not_author",
    /// Only the sender may change this message.
    NotSender => "not_sender",
    /// Only the uploader may attach this upload.
    NotMediaOwner => "not_media_owner",
    /// The upload is attached to something already.
    MediaAlreadyAttached => "media_already_attached",
    /// Only an owner of the organization may do this.
    NotOrgOwner => "not_org_owner",
    /// Only an agent (or owner) of the organization may do this.
    NotAgent => "not_agent",
    /// Only the consultation's customer may do this.
    NotCustomer => "not_customer",
    /// One of the two users blocks the other, so they cannot follow each
    /// other or talk directly.
    Blocked => "blocked",
    /// Deleting an account that has no password needs a session signed in
    /// through one of its providers in the last few minutes.
    FreshSignInRequired => "fresh_sign_in_required",
    /// Only an admin may do this (the moderation queue and its actions).
    NotAdmin => "not_admin",
    /// The account is suspended by a moderator: it cannot sign in.
    AccountSuspended => "account_suspended",
    // 404, 405
    NotFound => "not_found",
    MethodNotAllowed => "method_not_allowed",
    // 409
    UsernameTaken => "username_taken",
    EmailTaken => "email_taken",
    /// `parley seed` on a database that already has data.
    AlreadySeeded => "already_seeded",
    /// An organization with this slug exists.
    SlugTaken => "slug_taken",
    /// The user registered this host already.
    DomainTaken => "domain_taken",
    /// This provider account is linked to another Parley account, or the
    /// user has another account of this provider linked already.
    IdentityTaken => "identity_taken",
    /// Unlinking the account's only way to sign in (no password, one provider).
    LastSignInMethod => "last_sign_in_method",
    /// A new emoji on a message that has the most distinct reactions allowed.
    TooManyReactions => "too_many_reactions",
    /// The user is an agent of the organization already.
    AlreadyAgent => "already_agent",
    /// The organization's only owner cannot be removed.
    LastOwner => "last_owner",
    /// The consultation is closed: nothing more can be said or done there
    /// until its customer reopens it.
    ConsultationClosed => "consultation_closed",
    /// Only a closed consultation can be reopened.
    ConsultationNotClosed => "consultation_not_closed",
    // 410
    /// The message was deleted.
    MessageDeleted => "message_deleted",
    // 413, 415, 422
    PayloadTooLarge => "payload_too_large",
    UnsupportedMediaType => "unsupported_media_type",
    /// Some fields are invalid; `fields` says which and why.
    ValidationFailed => "validation_failed",
    // 429, 500, 503
    /// Too many requests; `Retry-After` (or `retry_after`) says when to retry.
    RateLimited => "rate_limited",
    InternalError => "internal_error",
    /// A dependency (the database) is unreachable.
    Unavailable => "unavailable",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_words_are_the_serde_names() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).ok(),
                Some(serde_json::Value::String(code.as_str().to_owned()))
            );
        }
    }
}
