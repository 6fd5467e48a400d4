//! The errors services return. Transport layers map each variant to a status
//! (HTTP) or an error ack (Socket.IO); nothing here knows about either.

use crate::FieldErrors;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error, boxed: the cause carried by [`Error::Internal`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input broke a rule; the fields say which and why.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// Not signed in, or the credentials/token are not acceptable. The code is
    /// the public error code (`unauthorized`, `invalid_credentials`, `token_expired`...).
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// Signed in but not allowed to do this.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The thing does not exist (or the caller may not know it exists).
    #[error("not found")]
    NotFound,
    /// The request conflicts with current state (`username_taken`, ...).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// It existed once and is gone for good.
    #[error("gone: {0}")]
    Gone(&'static str),
    /// Too many requests under a limit of `limit` per window; retry after
    /// this many seconds.
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
}
