//! Threaded comments: a comment answers a post, or another comment of the
//! same post (to any depth). `reply_count` on a comment and `comment_count` on
//! its post move with every insert and delete, in the same transaction.
//! Deleting a comment deletes its whole sub-thread.
//!
//! Every write to a post's thread first locks the post's row (PostgreSQL;
//! SQLite has a single writer anyway): writes to one thread are serialised,
//! so locks are always taken post-then-comment (no deadlocks) and the size of
//! a sub-thread counted before deleting it is exact. Other posts' threads are
//! not affected.

use crate::blocks::not_blocked;
use crate::ids::NullableId;
use crate::notifications::{NewNotification, insert_in};
use crate::pool::with_pool;
use crate::{Backend, Store, StoreError};
use parley_core::{CommentId, PostId, Timestamp, UserId};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: CommentId,
    #[sqlx(try_from = "Uuid")]
    pub post_id: PostId,
    #[sqlx(try_from = "NullableId")]
    pub parent_id: Option<CommentId>,
    #[sqlx(try_from = "Uuid")]
    pub author_id: UserId,
    pub author_username: String,
    pub author_display_name: String,
    pub author_avatar_key: Option<String>,
    pub text: String,
    pub reply_count: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewComment {
    pub id: CommentId,
    pub post_id: PostId,
    pub parent_id: Option<CommentId>,
    pub author_id: UserId,
    pub text: String,
    /// Who to tell (the post's author, the parent's author, mentions);
    /// stored only if the comment is.
    pub notifications: Vec<NewNotification>,
    pub created_at: Timestamp,
}

/// Why a comment could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentRejection {
    PostMissing,
    /// The parent does not exist or belongs to another post.
    ParentMissing,
}

/// Who is involved in a deleted comment (for permission checks and events).
#[derive(Debug, Clone, Copy)]
pub struct DeletedComment {
    pub post_id: PostId,
    pub removed: i64,
}

macro_rules! select_comments {
    ($($tail:expr),+ $(,)?) => {
        concat!(
            "SELECT c.id, c.post_id, c.parent_id, c.author_id, u.username AS author_username, ",
            "u.display_name AS author_display_name, u.avatar_key AS author_avatar_key, ",
            "c.text, c.reply_count, c.created_at FROM comments c JOIN users u ON u.id = c.author_id ",
            $($tail),+
        )
    };
}

impl Store {
    /// `SELECT ... FROM posts WHERE id = $1`, locking the row where the dialect can.
    fn lock_post_sql(&self) -> &'static str {
        match self.backend() {
            Backend::Postgres => "SELECT id FROM posts WHERE id = $1 FOR UPDATE",
            Backend::Sqlite => "SELECT id FROM posts WHERE id = $1",
        }
    }

    /// Adds a comment, counts it on its post (and parent) and inserts its
    /// notifications, in one transaction; a rejection stores nothing.
    pub async fn create_comment(
        &self,
        new: &NewComment,
    ) -> Result<Result<(), CommentRejection>, StoreError> {
        let lock_post = self.lock_post_sql();
        let outcome = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let post = sqlx::query_scalar::<_, Uuid>(lock_post)
                .bind(new.post_id.0)
                .fetch_optional(&mut *tx)
                .await?;
            if post.is_none() {
                return Ok(Err(CommentRejection::PostMissing));
            }
            if let Some(parent) = new.parent_id {
                let parent_post =
                    sqlx::query_scalar::<_, Uuid>("SELECT post_id FROM comments WHERE id = $1")
                        .bind(parent.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                if parent_post != Some(new.post_id.0) {
                    return Ok(Err(CommentRejection::ParentMissing));
                }
            }
            sqlx::query(
                "INSERT INTO comments (id, post_id, parent_id, author_id, text, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new.id.0)
            .bind(new.post_id.0)
            .bind(new.parent_id.map(|p| p.0))
            .bind(new.author_id.0)
            .bind(&new.text)
            .bind(new.created_at.as_millis())
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1")
                .bind(new.post_id.0)
                .execute(&mut *tx)
                .await?;
            if let Some(parent) = new.parent_id {
                sqlx::query("UPDATE comments SET reply_count = reply_count + 1 WHERE id = $1")
                    .bind(parent.0)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_in(&mut tx, &new.notifications).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Ok(()))
        })?;
        Ok(outcome)
    }

    pub async fn comment_by_id(&self, id: CommentId) -> Result<Option<CommentRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, CommentRecord>(select_comments!("WHERE c.id = $1"))
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Top-level comments of a post, oldest first, after `after`; fetches
    /// `limit + 1`. Comments by anyone `viewer` blocks or is blocked by are
    /// left out.
    pub async fn top_comments_page(
        &self,
        post: PostId,
        viewer: Option<UserId>,
        after: Option<CommentId>,
        limit: u32,
    ) -> Result<Vec<CommentRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, CommentRecord>(select_comments!(
                "WHERE c.post_id = $1 AND c.parent_id IS NULL AND c.id > $2 AND ",
                not_blocked!("c.author_id", "$4"),
                " ORDER BY c.id LIMIT $3"
            ))
            .bind(post.0)
            .bind(after.map_or(Uuid::nil(), |c| c.0))
            .bind(i64::from(limit) + 1)
            .bind(viewer.map(|v| v.0))
            .fetch_all(pool)
            .await
        })?)
    }

    /// Direct replies to a comment, oldest first, after `after`; fetches
    /// `limit + 1`, without those of anyone `viewer` blocks or is blocked by.
    pub async fn replies_page(
        &self,
        parent: CommentId,
        viewer: Option<UserId>,
        after: Option<CommentId>,
        limit: u32,
    ) -> Result<Vec<CommentRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, CommentRecord>(select_comments!(
                "WHERE c.parent_id = $1 AND c.id > $2 AND ",
                not_blocked!("c.author_id", "$4"),
                " ORDER BY c.id LIMIT $3"
            ))
            .bind(parent.0)
            .bind(after.map_or(Uuid::nil(), |c| c.0))
            .bind(i64::from(limit) + 1)
            .bind(viewer.map(|v| v.0))
            .fetch_all(pool)
            .await
        })?)
    }

    /// Deletes a comment and its sub-thread, fixing the counters. `None` if it
    /// did not exist.
    pub async fn delete_comment(
        &self,
        id: CommentId,
    ) -> Result<Option<DeletedComment>, StoreError> {
        let Some(comment) = self.comment_by_id(id).await? else {
            return Ok(None);
        };
        let lock_post = self.lock_post_sql();
        let outcome = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query_scalar::<_, Uuid>(lock_post)
                .bind(comment.post_id.0)
                .fetch_optional(&mut *tx)
                .await?;
            // Re-read under the lock: it may have gone meanwhile.
            let row = sqlx::query_as::<_, (Uuid, Option<Uuid>)>(
                "SELECT post_id, parent_id FROM comments WHERE id = $1",
            )
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((post_id, parent_id)) = row else {
                return Ok(None);
            };
            let removed = sqlx::query_scalar::<_, i64>(
                "WITH RECURSIVE thread(id) AS (SELECT id FROM comments WHERE id = $1 \
                 UNION ALL SELECT c.id FROM comments c JOIN thread t ON c.parent_id = t.id) \
                 SELECT COUNT(*) FROM thread",
            )
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM comments WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE posts SET comment_count = comment_count - $2 WHERE id = $1")
                .bind(post_id)
                .bind(removed)
                .execute(&mut *tx)
                .await?;
            if let Some(parent) = parent_id {
                sqlx::query("UPDATE comments SET reply_count = reply_count - 1 WHERE id = $1")
                    .bind(parent)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(DeletedComment {
                post_id: PostId(post_id),
                removed,
            }))
        })?;
        Ok(outcome)
    }
}
