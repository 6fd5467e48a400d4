//! Blocks and mutes. A block is symmetric in effect: neither user sees the
//! other's posts, comments or notifications, and the follows between them
//! end when it is made (counters moved in the same transaction). A mute is
//! one-sided and softer: the muter stops seeing the muted user's posts in
//! feeds and their notifications. Feed and comment queries filter with the
//! SQL fragments [`not_blocked!`] and [`not_muted!`], so pages stay full.

use crate::follows::{UserSummaryRecord, adjust_follow_counts};
use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::page::Cursor;
use parley_core::{ConversationId, Timestamp, UserId};
use uuid::Uuid;

/// SQL condition: no block either way between the user whose id is the
/// column `$author` and `$viewer` (a bound parameter; NULL for a signed-out
/// viewer, for whom the condition is always true).
macro_rules! not_blocked {
    ($author:literal, $viewer:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM user_blocks bl WHERE (bl.blocker_id = ",
            $viewer,
            " AND bl.blocked_id = ",
            $author,
            ") OR (bl.blocker_id = ",
            $author,
            " AND bl.blocked_id = ",
            $viewer,
            "))"
        )
    };
}
pub(crate) use not_blocked;

/// SQL condition: `$viewer` has not muted the user whose id is `$author`.
macro_rules! not_muted {
    ($author:literal, $viewer:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM user_mutes mu WHERE mu.muter_id = ",
            $viewer,
            " AND mu.muted_id = ",
            $author,
            ")"
        )
    };
}
pub(crate) use not_muted;

/// Which of a user's two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    Block,
    Mute,
}

/// The statements of one restriction kind, spelled out per table (sqlx takes
/// only static SQL, and two short lists read better than a template).
struct Statements {
    insert: &'static str,
    delete: &'static str,
    page: &'static str,
}

/// The page query of one table: each target's summary, newest first.
macro_rules! restriction_page {
    ($table:literal, $owner:literal, $target:literal) => {
        concat!(
            "SELECT u.id, u.username, u.display_name, u.avatar_key, r.created_at AS since FROM ",
            $table,
            " r JOIN users u ON u.id = r.",
            $target,
            " WHERE r.",
            $owner,
            " = $1 AND (r.created_at < $2 OR (r.created_at = $2 AND r.",
            $target,
            " < $3)) ORDER BY r.created_at DESC, r.",
            $target,
            " DESC LIMIT $4"
        )
    };
}

impl Restriction {
    fn statements(self) -> Statements {
        match self {
            Restriction::Block => Statements {
                insert: "INSERT INTO user_blocks (blocker_id, blocked_id, created_at) \
                         VALUES ($1, $2, $3) ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
                delete: "DELETE FROM user_blocks WHERE blocker_id = $1 AND blocked_id = $2",
                page: restriction_page!("user_blocks", "blocker_id", "blocked_id"),
            },
            Restriction::Mute => Statements {
                insert: "INSERT INTO user_mutes (muter_id, muted_id, created_at) \
                         VALUES ($1, $2, $3) ON CONFLICT (muter_id, muted_id) DO NOTHING",
                delete: "DELETE FROM user_mutes WHERE muter_id = $1 AND muted_id = $2",
                page: restriction_page!("user_mutes", "muter_id", "muted_id"),
            },
        }
    }
}

impl Store {
    /// `owner` blocks or mutes `target`; true if this call created it. A new
    /// block also removes the follows between the two, both ways.
    pub async fn restrict(
        &self,
        kind: Restriction,
        owner: UserId,
        target: UserId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let insert = kind.statements().insert;
        let created = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(insert)
                .bind(owner.0)
                .bind(target.0)
                .bind(at.as_millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 && kind == Restriction::Block {
                for (follower, followee) in [(owner, target), (target, owner)] {
                    let removed = sqlx::query(
                        "DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2",
                    )
                    .bind(follower.0)
                    .bind(followee.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if removed == 1 {
                        adjust_follow_counts(&mut tx, follower, followee, -1).await?;
                    }
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?;
        Ok(created)
    }

    /// Lifts a block or mute; true if there was one.
    pub async fn unrestrict(
        &self,
        kind: Restriction,
        owner: UserId,
        target: UserId,
    ) -> Result<bool, StoreError> {
        let delete = kind.statements().delete;
        let n = with_pool!(self, write, |pool| {
            sqlx::query(delete)
                .bind(owner.0)
                .bind(target.0)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Whether either of the two users blocks the other.
    pub async fn blocked_between(&self, a: UserId, b: UserId) -> Result<bool, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, bool>(
                "SELECT EXISTS (SELECT 1 FROM user_blocks WHERE \
                 (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1))",
            )
            .bind(a.0)
            .bind(b.0)
            .fetch_one(pool)
            .await
        })?)
    }

    /// Whether `me` and anyone else in `conversation` block one another
    /// (asked only of direct conversations, whose one other member it is).
    pub async fn blocked_in_conversation(
        &self,
        conversation: ConversationId,
        me: UserId,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, bool>(
                "SELECT EXISTS (SELECT 1 FROM conversation_members m JOIN user_blocks b \
                 ON (b.blocker_id = $2 AND b.blocked_id = m.user_id) \
                 OR (b.blocker_id = m.user_id AND b.blocked_id = $2) \
                 WHERE m.conversation_id = $1 AND m.user_id <> $2)",
            )
            .bind(conversation.0)
            .bind(me.0)
            .fetch_one(pool)
            .await
        })?)
    }

    /// Those of `others` who block `me` or whom `me` blocks.
    pub async fn blocked_among(
        &self,
        me: UserId,
        others: &[UserId],
    ) -> Result<Vec<UserId>, StoreError> {
        if others.is_empty() {
            return Ok(Vec::new());
        }
        let ids = with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM user_blocks b \
                 WHERE (b.blocker_id = u.id AND b.blocked_id = ",
            );
            q.push_bind(me.0)
                .push(") OR (b.blocked_id = u.id AND b.blocker_id = ")
                .push_bind(me.0)
                .push(")) AND u.id IN ");
            crate::pool::push_id_list(&mut q, others);
            q.build_query_scalar::<Uuid>().fetch_all(pool).await
        })?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// Those of `recipients` who must not hear from `actor`: they block or
    /// mute the actor, or the actor blocks them. One query for any number.
    pub async fn shielded_from(
        &self,
        actor: UserId,
        recipients: &[UserId],
    ) -> Result<Vec<UserId>, StoreError> {
        if recipients.is_empty() {
            return Ok(Vec::new());
        }
        let ids = with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT u.id FROM users u WHERE (EXISTS (SELECT 1 FROM user_blocks b \
                 WHERE (b.blocker_id = u.id AND b.blocked_id = ",
            );
            q.push_bind(actor.0)
                .push(") OR (b.blocked_id = u.id AND b.blocker_id = ")
                .push_bind(actor.0)
                .push(")) OR EXISTS (SELECT 1 FROM user_mutes m WHERE m.muter_id = u.id AND m.muted_id = ")
                .push_bind(actor.0)
                .push(")) AND u.id IN ");
            crate::pool::push_id_list(&mut q, recipients);
            q.build_query_scalar::<Uuid>().fetch_all(pool).await
        })?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// The people `owner` blocks or mutes, most recent first, after
    /// `cursor`; fetches `limit + 1` so the caller can tell if there is more.
    pub async fn restriction_page(
        &self,
        kind: Restriction,
        owner: UserId,
        cursor: Option<Cursor>,
        limit: u32,
    ) -> Result<Vec<UserSummaryRecord>, StoreError> {
        let sql = kind.statements().page;
        let (at, id) = cursor.map_or((i64::MAX, Uuid::max()), |c| (c.at, c.id));
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, UserSummaryRecord>(sql)
                .bind(owner.0)
                .bind(at)
                .bind(id)
                .bind(i64::from(limit) + 1)
                .fetch_all(pool)
                .await
        })?)
    }
}
