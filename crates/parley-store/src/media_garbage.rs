//! Finding media nobody wants any more and queueing its files for deletion.
//! A row is garbage when its owner is gone, when what it was attached to is
//! gone (a deleted post, message or replaced avatar), or when it was never
//! attached and is older than the orphan limit. Collecting deletes such rows
//! and records their object keys in `media_deletions` in one transaction;
//! the sweeper then deletes the objects and forgets the keys. A crash at any
//! point leaves either the row or its keys, never a file nobody knows about.

use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::Timestamp;

/// Rows to collect per statement: keeps each transaction short.
const BATCH: i64 = 200;

/// The garbage rule (migrations 0004 and 0006); `$1` is the orphan cutoff.
/// An organization's avatar outlives its uploader's account.
macro_rules! garbage {
    () => {
        "((owner_id IS NULL AND org_avatar_of IS NULL) \
          OR (attached_at IS NULL AND created_at < $1) \
          OR (attached_at IS NOT NULL AND post_id IS NULL AND message_id IS NULL AND avatar_of IS NULL \
              AND org_avatar_of IS NULL) \
          OR EXISTS (SELECT 1 FROM messages m WHERE m.id = media.message_id AND m.deleted_at IS NOT NULL))"
    };
}

impl Store {
    /// Deletes up to one batch of garbage rows and queues their objects for
    /// deletion; returns how many rows went. The rule is checked again on
    /// each row as it is deleted, so an upload attached concurrently is kept.
    pub async fn collect_media_garbage(
        &self,
        unattached_before: Timestamp,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let cutoff = unattached_before.as_millis();
        Ok(with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let keys = sqlx::query_as::<_, (String, Option<String>)>(concat!(
                "DELETE FROM media WHERE id IN (SELECT id FROM media WHERE ",
                garbage!(),
                " LIMIT $2) AND ",
                garbage!(),
                " RETURNING original_key, thumbnail_key"
            ))
            .bind(cutoff)
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await?;
            let rows = keys.len();
            let mut objects = Vec::with_capacity(rows * 2);
            for (original, thumbnail) in keys {
                objects.push(original);
                objects.extend(thumbnail);
            }
            for key in &objects {
                sqlx::query(
                    "INSERT INTO media_deletions (object_key, created_at) VALUES ($1, $2) \
                     ON CONFLICT (object_key) DO NOTHING",
                )
                .bind(key)
                .bind(now.as_millis())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(u64::try_from(rows).unwrap_or(u64::MAX))
        })?)
    }

    /// Queues object keys for deletion (e.g. a thumbnail made for a media
    /// that was deleted while it was being made).
    pub async fn queue_object_deletions(
        &self,
        keys: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        if keys.is_empty() {
            return Ok(());
        }
        with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            for key in keys {
                sqlx::query(
                    "INSERT INTO media_deletions (object_key, created_at) VALUES ($1, $2) \
                     ON CONFLICT (object_key) DO NOTHING",
                )
                .bind(key)
                .bind(now.as_millis())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Up to `limit` object keys waiting to be deleted, oldest first.
    pub async fn pending_object_deletions(&self, limit: u32) -> Result<Vec<String>, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            sqlx::query_scalar::<_, String>(
                "SELECT object_key FROM media_deletions ORDER BY created_at, object_key LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
        })?)
    }

    /// Forgets keys whose objects are deleted.
    pub async fn forget_object_deletions(&self, keys: &[String]) -> Result<(), StoreError> {
        if keys.is_empty() {
            return Ok(());
        }
        with_pool!(self, write, |pool| {
            let mut q =
                sqlx::QueryBuilder::new("DELETE FROM media_deletions WHERE object_key IN (");
            let mut list = q.separated(", ");
            for key in keys {
                list.push_bind(key.as_str());
            }
            q.push(")");
            q.build().execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
