//! Store errors: what a caller can act on (a conflict, an unreachable
//! database) is told apart; everything else is an opaque internal failure
//! whose details go to the logs only.

use parley_core::Error;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule refused the write; the code names which
    /// (`username_taken`, `email_taken`, ...).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The database cannot be reached (pool timeout, I/O error, closed pool).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug, a broken invariant, a failed migration.
    #[error("database error: {0}")]
    Other(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                Self::Unavailable(e.to_string())
            }
            sqlx::Error::Tls(_) => Self::Unavailable(e.to_string()),
            other => Self::Other(other.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Other(format!("migration failed: {e}"))
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(code) => conflict(code),
            StoreError::Unavailable(why) => Error::Unavailable(why),
            StoreError::Other(why) => Error::internal(why),
        }
    }
}

/// If `e` is a unique-constraint violation, the name of the violated
/// constraint or, on SQLite (which has no names), its `table.column` message.
pub(crate) fn unique_violation(e: &sqlx::Error) -> Option<String> {
    let db = e.as_database_error()?;
    if !db.is_unique_violation() {
        return None;
    }
    Some(
        db.constraint()
            .map_or_else(|| db.message().to_owned(), str::to_owned),
    )
}

/// The public code of a uniqueness conflict the store detected.
fn conflict(code: &'static str) -> Error {
    use parley_core::ErrorCode;
    match code {
        "username_taken" => Error::Refused(ErrorCode::UsernameTaken),
        "email_taken" => Error::Refused(ErrorCode::EmailTaken),
        "already_seeded" => Error::Refused(ErrorCode::AlreadySeeded),
        other => Error::internal(format!("unmapped store conflict {other}")),
    }
}
