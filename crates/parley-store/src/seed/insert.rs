//! Batched multi-row `INSERT`s: rows go in as `INSERT ... VALUES (..), (..)`
//! statements sized under the backend's bind-parameter limit, several
//! statements per transaction. One round trip per few thousand rows and one
//! commit (one fsync) per transaction is what makes a million-row seed take
//! seconds instead of minutes.

use sqlx::query_builder::Separated;
use sqlx::{Database, Executor, IntoArguments, Pool, QueryBuilder};
use std::time::{Duration, Instant};

/// How often a long table reports progress.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

/// Where a batch of rows goes and how big its pieces are.
pub(super) struct Batch<'a> {
    /// Table name, for progress messages.
    pub table: &'a str,
    /// `INSERT INTO table (col, ...) ` — the `VALUES` list is appended.
    pub head: &'a str,
    /// Binds per row.
    pub columns: usize,
    /// Rows per transaction.
    pub rows_per_transaction: usize,
    /// The backend's cap on binds in one statement.
    pub max_binds: usize,
}

/// Inserts `rows`, each written into the `VALUES` tuple by `push`.
pub(super) async fn insert_rows<DB, T>(
    pool: &Pool<DB>,
    batch: Batch<'_>,
    rows: &[T],
    progress: &dyn Fn(&str),
    mut push: impl FnMut(Separated<'_, DB, &'static str>, &T),
) -> Result<(), sqlx::Error>
where
    DB: Database,
    DB::Arguments: IntoArguments<DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    if rows.is_empty() {
        return Ok(());
    }
    // Full statements all have the same text, so each backend prepares it
    // once and reuses it from the statement cache.
    let per_statement = (batch.max_binds / batch.columns)
        .min(batch.rows_per_transaction)
        .max(1);
    let per_transaction = batch.rows_per_transaction.max(per_statement);
    let mut last_report = Instant::now();
    let mut done = 0;
    for chunk in rows.chunks(per_transaction) {
        let mut tx = pool.begin().await?;
        for statement in chunk.chunks(per_statement) {
            let mut query = QueryBuilder::<DB>::new(batch.head);
            query.push_values(statement, &mut push);
            query.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        done += chunk.len();
        if done == rows.len() || last_report.elapsed() >= PROGRESS_EVERY {
            progress(&format!("{}: {done}/{}", batch.table, rows.len()));
            last_report = Instant::now();
        }
    }
    Ok(())
}
