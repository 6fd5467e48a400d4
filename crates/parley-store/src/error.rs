//! Store errors: what a caller can act on (a conflict, an upload it may not
//! use, an unreachable database) is told apart; everything else is an
//! internal failure that keeps its cause (the `sqlx` or migration error) as
//! its `source`, so the logs show the whole chain and never a flattened string.

use parley_core::{Error, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule refused the write; the code names which
    /// (`username_taken`, `email_taken`, ...).
    #[error("conflict: {0}")]
    Conflict(ErrorCode),
    /// One of the uploads named for a post or message is not its author's,
    /// does not exist, or is already attached; nothing was stored.
    #[error("one of the named uploads is not the owner's or is already attached")]
    MediaUnavailable,
    /// The database cannot be reached (pool timeout, I/O error, closed pool).
    #[error("database unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// The database refused or failed a statement (a bug, or a broken rule
    /// the schema enforces).
    #[error("database error")]
    Database(#[source] sqlx::Error),
    /// Applying the migrations failed.
    #[error("migration failed")]
    Migration(#[source] sqlx::migrate::MigrateError),
    /// The database URL or schema name cannot be used.
    #[error("invalid database configuration: {0}")]
    Config(String),
    /// Something the store relies on did not hold (a row read back right
    /// after its insert was missing, a background task died, ...).
    #[error("broken store invariant: {0}")]
    Invariant(&'static str),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_) => Self::Unavailable(e),
            other => Self::Database(other),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Migration(e)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(code) => Error::Refused(code),
            StoreError::MediaUnavailable => Error::Refused(ErrorCode::MediaAlreadyAttached),
            // The core error carries a message here, not a source: keep the
            // cause's text in it so "why unavailable" is not lost.
            StoreError::Unavailable(cause) => {
                Error::Unavailable(format!("database unavailable: {cause}"))
            }
            // Boxed whole, so the cause chain (store error -> sqlx error ->
            // driver error) survives into the logs.
            other => Error::internal(other),
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
