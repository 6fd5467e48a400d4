//! Reactions on chat messages: adding one (refused past a bounded number of
//! distinct emoji per message), removing one, and every message's reactions
//! in one query.

use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{ErrorCode, MessageId, Timestamp, UserId};
use uuid::Uuid;

/// One person's reaction, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReactionRecord {
    #[sqlx(try_from = "Uuid")]
    pub message_id: MessageId,
    #[sqlx(try_from = "Uuid")]
    pub user_id: UserId,
    pub emoji: String,
    pub created_at: i64,
}

impl Store {
    /// Adds `user`'s reaction `emoji` to `message`; `false` if it was there
    /// already. A new emoji on a message that has `max_distinct` different
    /// ones is `Conflict(too_many_reactions)`. The message row is written
    /// first, which locks it on PostgreSQL (SQLite has one writer), so two
    /// new emoji at once cannot both pass the count.
    pub async fn add_reaction(
        &self,
        message: MessageId,
        user: UserId,
        emoji: &str,
        at: Timestamp,
        max_distinct: i64,
    ) -> Result<bool, StoreError> {
        let outcome = with_pool!(self, write, |pool| {
            async {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE messages SET seq = seq WHERE id = $1")
                .bind(message.0)
                .execute(&mut *tx)
                .await?;
            let (known, distinct): (bool, i64) = sqlx::query_as(
                "SELECT EXISTS (SELECT 1 FROM message_reactions WHERE message_id = $1 AND emoji = $2), \
                 (SELECT COUNT(DISTINCT emoji) FROM message_reactions WHERE message_id = $1)",
            )
            .bind(message.0)
            .bind(emoji)
            .fetch_one(&mut *tx)
            .await?;
            if !known && distinct >= max_distinct {
                return Ok(None);
            }
            let added = sqlx::query(
                "INSERT INTO message_reactions (message_id, user_id, emoji, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(message.0)
            .bind(user.0)
            .bind(emoji)
            .bind(at.as_millis())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(added == 1))
        }
        .await
        })?;
        outcome.ok_or(StoreError::Conflict(ErrorCode::TooManyReactions))
    }

    /// Removes `user`'s reaction `emoji`; `false` if there was none.
    pub async fn remove_reaction(
        &self,
        message: MessageId,
        user: UserId,
        emoji: &str,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query(
                "DELETE FROM message_reactions WHERE message_id = $1 AND user_id = $2 AND emoji = $3",
            )
            .bind(message.0)
            .bind(user.0)
            .bind(emoji)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Every reaction on `messages`, oldest first: one query.
    pub async fn reactions_of(
        &self,
        messages: &[MessageId],
    ) -> Result<Vec<ReactionRecord>, StoreError> {
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT message_id, user_id, emoji, created_at FROM message_reactions WHERE message_id IN ",
            );
            crate::pool::push_id_list(&mut q, messages);
            q.push(" ORDER BY created_at, emoji, user_id");
            q.build_query_as::<ReactionRecord>().fetch_all(pool).await
        })?)
    }
}
