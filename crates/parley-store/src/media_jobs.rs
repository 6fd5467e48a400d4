//! The thumbnail job queue: one row per pending media, claimed by a worker,
//! then finished (the media is `ready`), retried later, or failed. Jobs are
//! rows so that they survive a restart; a worker that starts re-queues what
//! a stopped process left `running`.

use crate::pool::{Db, with_pool};
use crate::{Store, StoreError};
use parley_core::{MediaId, MediaStatus, Timestamp};
use uuid::Uuid;

/// A job a worker has claimed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedJob {
    #[sqlx(try_from = "Uuid")]
    pub media_id: MediaId,
    /// How many times it has been claimed, this time included.
    pub attempts: i64,
}

/// Picks the oldest due job and marks it `running`. The pick and the mark are
/// one statement; on PostgreSQL `SKIP LOCKED` lets workers on several nodes
/// claim different jobs without waiting on each other (SQLite has a single
/// writer, so claims are serialised anyway).
const CLAIM_POSTGRES: &str = "UPDATE media_jobs SET state = 'running', attempts = attempts + 1, \
     claimed_at = $1 WHERE media_id = (SELECT media_id FROM media_jobs \
     WHERE state = 'queued' AND run_after <= $1 ORDER BY run_after, media_id LIMIT 1 \
     FOR UPDATE SKIP LOCKED) RETURNING media_id, attempts";
const CLAIM_SQLITE: &str = "UPDATE media_jobs SET state = 'running', attempts = attempts + 1, \
     claimed_at = $1 WHERE media_id = (SELECT media_id FROM media_jobs \
     WHERE state = 'queued' AND run_after <= $1 ORDER BY run_after, media_id LIMIT 1) \
     RETURNING media_id, attempts";

impl Store {
    /// Claims the next due job, if any.
    pub async fn claim_media_job(&self, now: Timestamp) -> Result<Option<ClaimedJob>, StoreError> {
        self.count_operation();
        let job = match &self.db {
            Db::Sqlite { write, .. } => {
                sqlx::query_as::<_, ClaimedJob>(CLAIM_SQLITE)
                    .bind(now.as_millis())
                    .fetch_optional(write)
                    .await?
            }
            Db::Postgres(pool) => {
                sqlx::query_as::<_, ClaimedJob>(CLAIM_POSTGRES)
                    .bind(now.as_millis())
                    .fetch_optional(pool)
                    .await?
            }
        };
        Ok(job)
    }

    /// Puts `running` jobs claimed before `claimed_before` back in the queue
    /// (all of them with `None`): a worker that starts takes back what a
    /// stopped process left half done. Returns how many.
    pub async fn requeue_media_jobs(
        &self,
        claimed_before: Option<Timestamp>,
    ) -> Result<u64, StoreError> {
        let cutoff = claimed_before.map_or(i64::MAX, |t| t.as_millis());
        Ok(with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE media_jobs SET state = 'queued', claimed_at = NULL \
                 WHERE state = 'running' AND claimed_at < $1",
            )
            .bind(cutoff)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?)
    }

    /// The thumbnail is stored: the media becomes `ready` and its job goes.
    /// False if the media was deleted meanwhile (its thumbnail is then garbage).
    /// `blurhash` is the image's placeholder, made with the thumbnail.
    pub async fn finish_media_job(
        &self,
        media: MediaId,
        blurhash: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.end_job(media, MediaStatus::Ready, None, blurhash)
            .await
    }

    /// The job failed for good: the media becomes `failed` with `reason`.
    pub async fn fail_media_job(&self, media: MediaId, reason: &str) -> Result<bool, StoreError> {
        self.end_job(media, MediaStatus::Failed, Some(reason), None)
            .await
    }

    async fn end_job(
        &self,
        media: MediaId,
        status: MediaStatus,
        reason: Option<&str>,
        blurhash: Option<&str>,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE media SET status = $2, failure_reason = $3, blurhash = $4 \
                 WHERE id = $1 AND status = 'processing'",
            )
            .bind(media.0)
            .bind(status.as_str())
            .bind(reason)
            .bind(blurhash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query("DELETE FROM media_jobs WHERE media_id = $1")
                .bind(media.0)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?)
    }

    /// Gives a failed attempt another go at `run_after`.
    pub async fn retry_media_job(
        &self,
        media: MediaId,
        run_after: Timestamp,
    ) -> Result<(), StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE media_jobs SET state = 'queued', claimed_at = NULL, run_after = $2 \
                 WHERE media_id = $1",
            )
            .bind(media.0)
            .bind(run_after.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// `(queued, running)` job counts, for metrics and tests.
    pub async fn media_job_counts(&self) -> Result<(i64, i64), StoreError> {
        let rows = with_pool!(self, write, |pool| {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT state, COUNT(*) FROM media_jobs GROUP BY state",
            )
            .fetch_all(pool)
            .await
        })?;
        let count = |state: &str| rows.iter().find(|(s, _)| s == state).map_or(0, |(_, n)| *n);
        Ok((count("queued"), count("running")))
    }
}
