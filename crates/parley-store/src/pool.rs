//! Connecting to the database and running migrations.
//!
//! SQLite gets two pools: one writer connection and several readers. With a
//! single writer, write transactions queue in the pool instead of racing for
//! SQLite's lock, so they can never fail with SQLITE_BUSY; WAL lets readers
//! carry on while the writer commits. PostgreSQL uses one pool for both.

use crate::StoreError;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a connection before the database counts as down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub(crate) enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

/// The handle every service uses to reach the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: Db,
    /// Database round trips started through this store (all clones share it):
    /// lets tests prove that a page costs a fixed number of queries.
    operations: Arc<AtomicU64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish()
    }
}

/// Runs `$body` with `$pool` bound to the right pool for the backend. The body
/// is compiled once per dialect, so one query text serves both databases.
macro_rules! with_pool {
    ($store:expr, read, |$pool:ident| $body:expr) => {{
        $store.count_operation();
        match &$store.db {
            $crate::pool::Db::Sqlite { read: $pool, .. } => $body,
            $crate::pool::Db::Postgres($pool) => $body,
        }
    }};
    ($store:expr, write, |$pool:ident| $body:expr) => {{
        $store.count_operation();
        match &$store.db {
            $crate::pool::Db::Sqlite { write: $pool, .. } => $body,
            $crate::pool::Db::Postgres($pool) => $body,
        }
    }};
}
pub(crate) use with_pool;

/// Appends `(id1, id2, ...)` as bound parameters: the one way every store
/// query takes a list of ids, in both dialects.
pub(crate) fn push_id_list<DB, T>(q: &mut sqlx::QueryBuilder<DB>, ids: &[T])
where
    DB: sqlx::Database,
    T: Copy + Into<uuid::Uuid>,
    uuid::Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    q.push("(");
    let mut list = q.separated(", ");
    for id in crate::ids::raw(ids) {
        list.push_bind(id);
    }
    q.push(")");
}

impl Store {
    /// Connects to `url`: `sqlite://path` (created if missing) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url)?;
            Self::connect_postgres(opts).await
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL scheme in {:?}: use sqlite:// or postgres://",
                url.split(':').next().unwrap_or_default()
            )))
        }
    }

    /// Connects to PostgreSQL inside `schema` (created if missing). Tests use
    /// this to give every test its own empty database on one server.
    pub async fn connect_postgres_schema(url: &str, schema: &str) -> Result<Self, StoreError> {
        if !schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(StoreError::Config(format!(
                "invalid schema name {schema:?}"
            )));
        }
        let opts = PgConnectOptions::from_str(url)?;
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(opts.clone())
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}"
        )))
        .execute(&admin)
        .await?;
        admin.close().await;
        Self::connect_postgres(opts.options([("search_path", schema)])).await
    }

    async fn connect_sqlite(url: &str) -> Result<Self, StoreError> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before we ack it, even across a power loss.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.clone())
            .await?;
        let readers = std::thread::available_parallelism()
            .map_or(4, |n| n.get() * 2)
            .max(4);
        let read = SqlitePoolOptions::new()
            .max_connections(u32::try_from(readers).unwrap_or(8))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(opts.read_only(true))
            .await?;
        Ok(Self::new(Db::Sqlite { read, write }))
    }

    async fn connect_postgres(opts: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(32)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(opts)
            .await?;
        Ok(Self::new(Db::Postgres(pool)))
    }

    fn new(db: Db) -> Self {
        Self {
            db,
            operations: Arc::new(AtomicU64::new(0)),
        }
    }

    pub(crate) fn count_operation(&self) {
        self.operations.fetch_add(1, Ordering::Relaxed);
    }

    /// How many store operations (each one query, or one transaction) have
    /// been started so far.
    pub fn operation_count(&self) -> u64 {
        self.operations.load(Ordering::Relaxed)
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations (same version numbers on both dialects).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Succeeds when the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, read, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Closes every connection, waiting for checked-out ones to come back; on
    /// SQLite this also checkpoints the WAL into the main file.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}
