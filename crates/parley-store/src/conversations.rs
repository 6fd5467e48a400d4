//! Conversations and their members: direct (one per pair of users, enforced
//! by a unique key), group and support. Membership is the access rule for
//! every chat read and write, so `is_member` is cheap (primary-key lookup).

use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::page::Cursor;
use parley_core::{ConversationId, ConversationKind, Timestamp, UserId};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConversationRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: ConversationId,
    #[sqlx(try_from = "String")]
    pub kind: ConversationKind,
    pub title: Option<String>,
    pub created_at: i64,
    pub last_seq: i64,
    pub last_activity_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRecord {
    #[sqlx(try_from = "Uuid")]
    pub conversation_id: ConversationId,
    #[sqlx(try_from = "Uuid")]
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub avatar_key: Option<String>,
    pub last_read_seq: i64,
}

const SELECT_CONVERSATION: &str = "SELECT id, kind, title, created_at, last_seq, last_activity_at FROM conversations WHERE id = $1";

/// The key that makes a direct conversation unique per (unordered) pair.
fn direct_key(a: UserId, b: UserId) -> String {
    let (lo, hi) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    format!("{lo}:{hi}")
}

impl Store {
    /// The direct conversation of `a` and `b`, created if missing. The bool is
    /// true when this call created it.
    pub async fn open_direct(
        &self,
        a: UserId,
        b: UserId,
        at: Timestamp,
    ) -> Result<(ConversationRecord, bool), StoreError> {
        let key = direct_key(a, b);
        let id = Uuid::now_v7();
        let created = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "INSERT INTO conversations (id, kind, direct_key, created_by, created_at, last_activity_at) \
                 VALUES ($1, 'direct', $2, $3, $4, $4) ON CONFLICT (direct_key) DO NOTHING",
            )
            .bind(id)
            .bind(&key)
            .bind(a.0)
            .bind(at.as_millis())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                for user in [a, b] {
                    sqlx::query("INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(user.0)
                        .bind(at.as_millis())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?;
        let conversation = with_pool!(self, write, |pool| {
            sqlx::query_as::<_, ConversationRecord>(
                "SELECT id, kind, title, created_at, last_seq, last_activity_at FROM conversations WHERE direct_key = $1",
            )
            .bind(&key)
            .fetch_one(pool)
            .await
        })?;
        Ok((conversation, created))
    }

    /// A new conversation of `kind` with `members` (the creator first).
    pub async fn create_conversation(
        &self,
        kind: ConversationKind,
        title: Option<&str>,
        members: &[UserId],
        at: Timestamp,
    ) -> Result<ConversationRecord, StoreError> {
        let id = Uuid::now_v7();
        with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO conversations (id, kind, title, created_by, created_at, last_activity_at) \
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(id)
            .bind(kind.as_str())
            .bind(title)
            .bind(members.first().map(|m| m.0))
            .bind(at.as_millis())
            .execute(&mut *tx)
            .await?;
            for user in members {
                sqlx::query(
                    "INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (conversation_id, user_id) DO NOTHING",
                )
                .bind(id)
                .bind(user.0)
                .bind(at.as_millis())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        })?;
        self.conversation(ConversationId(id))
            .await?
            .ok_or_else(|| StoreError::Invariant("conversation vanished after insert"))
    }

    pub async fn conversation(
        &self,
        id: ConversationId,
    ) -> Result<Option<ConversationRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, ConversationRecord>(SELECT_CONVERSATION)
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    pub async fn is_member(
        &self,
        conversation: ConversationId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, i64>(
                "SELECT last_read_seq FROM conversation_members WHERE conversation_id = $1 AND user_id = $2",
            )
            .bind(conversation.0)
            .bind(user.0)
            .fetch_optional(pool)
            .await
        })?
        .is_some())
    }

    /// Members of every conversation in `ids`, with their read markers: one query.
    pub async fn members_of(
        &self,
        ids: &[ConversationId],
    ) -> Result<Vec<MemberRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT m.conversation_id, m.user_id, u.username, u.display_name, u.avatar_key, m.last_read_seq \
                 FROM conversation_members m JOIN users u ON u.id = m.user_id WHERE m.conversation_id IN ",
            );
            crate::pool::push_id_list(&mut q, ids);
            q.push(" ORDER BY m.joined_at, u.username");
            q.build_query_as::<MemberRecord>().fetch_all(pool).await
        })?)
    }

    /// Adds a member; false if they already were one.
    pub async fn add_member(
        &self,
        conversation: ConversationId,
        user: UserId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO conversation_members (conversation_id, user_id, joined_at, last_read_seq) \
                 SELECT $1, $2, $3, last_seq FROM conversations WHERE id = $1 \
                 ON CONFLICT (conversation_id, user_id) DO NOTHING",
            )
            .bind(conversation.0)
            .bind(user.0)
            .bind(at.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Removes a member; false if they were not one.
    pub async fn remove_member(
        &self,
        conversation: ConversationId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query(
                "DELETE FROM conversation_members WHERE conversation_id = $1 AND user_id = $2",
            )
            .bind(conversation.0)
            .bind(user.0)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// The user's conversations, most recently active first, after `cursor`;
    /// fetches `limit + 1`.
    pub async fn conversations_page(
        &self,
        user: UserId,
        cursor: Option<Cursor>,
        limit: u32,
    ) -> Result<Vec<ConversationRecord>, StoreError> {
        let (at, id) = cursor.map_or((i64::MAX, Uuid::max()), |c| (c.at, c.id));
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, ConversationRecord>(
                "SELECT c.id, c.kind, c.title, c.created_at, c.last_seq, c.last_activity_at \
                 FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id \
                 WHERE m.user_id = $1 AND (c.last_activity_at < $2 OR (c.last_activity_at = $2 AND c.id < $3)) \
                 ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $4",
            )
            .bind(user.0)
            .bind(at)
            .bind(id)
            .bind(i64::from(limit) + 1)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Every conversation the user belongs to (for joining socket rooms).
    pub async fn conversation_ids_of(
        &self,
        user: UserId,
    ) -> Result<Vec<ConversationId>, StoreError> {
        let ids = with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, Uuid>(
                "SELECT conversation_id FROM conversation_members WHERE user_id = $1",
            )
            .bind(user.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(ids.into_iter().map(ConversationId).collect())
    }

    /// Everyone who shares at least one conversation with `user` (presence audience).
    pub async fn conversation_peers(&self, user: UserId) -> Result<Vec<UserId>, StoreError> {
        let ids = with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, Uuid>(
                "SELECT DISTINCT other.user_id FROM conversation_members mine \
                 JOIN conversation_members other ON other.conversation_id = mine.conversation_id \
                 WHERE mine.user_id = $1 AND other.user_id <> $1",
            )
            .bind(user.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// Moves the user's read marker forward to `seq` (never back, never past
    /// the last message). Returns the new marker if it moved.
    pub async fn mark_read(
        &self,
        conversation: ConversationId,
        user: UserId,
        seq: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            sqlx::query_scalar::<_, i64>(
                "UPDATE conversation_members SET last_read_seq = \
                 (SELECT CASE WHEN $3 < c.last_seq THEN $3 ELSE c.last_seq END FROM conversations c WHERE c.id = $1) \
                 WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $3 \
                 AND last_read_seq < (SELECT last_seq FROM conversations WHERE id = $1) \
                 RETURNING last_read_seq",
            )
            .bind(conversation.0)
            .bind(user.0)
            .bind(seq)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// For each of `ids`: messages from others after the user's read marker
    /// that are not deleted. One query for a whole page of conversations.
    pub async fn unread_counts(
        &self,
        user: UserId,
        ids: &[ConversationId],
    ) -> Result<Vec<(ConversationId, i64)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT m.conversation_id, COUNT(msg.id) FROM conversation_members m \
                 LEFT JOIN messages msg ON msg.conversation_id = m.conversation_id AND msg.seq > m.last_read_seq \
                 AND msg.deleted_at IS NULL AND (msg.sender_id IS NULL OR msg.sender_id <> m.user_id) \
                 WHERE m.user_id = ",
            );
            q.push_bind(user.0);
            q.push(" AND m.conversation_id IN ");
            crate::pool::push_id_list(&mut q, ids);
            q.push(" GROUP BY m.conversation_id");
            q.build_query_as::<(Uuid, i64)>().fetch_all(pool).await
        })?
        .into_iter()
        .map(|(id, n)| (ConversationId(id), n))
        .collect())
    }
}
