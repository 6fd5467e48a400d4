//! Posts, their hashtags and likes, and the feeds that list them. Counters
//! (`posts_count`, `like_count`) move by `x = x ± 1` in the transaction that
//! changes the fact they count, so they are exact under concurrency.

use crate::blocks::{not_blocked, not_muted};
use crate::media::{Attachment, attach_in};
use crate::notifications::{NewNotification, insert_in};
use crate::pool::with_pool;
use crate::search::{Doc, reindex_in};
use crate::{Backend, Store, StoreError};
use parley_core::{MediaId, PostId, Timestamp, UserId};
use uuid::Uuid;

/// A post row joined with its author's summary.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: PostId,
    #[sqlx(try_from = "Uuid")]
    pub author_id: UserId,
    pub author_username: String,
    pub author_display_name: String,
    pub author_avatar_key: Option<String>,
    pub text: String,
    pub like_count: i64,
    pub comment_count: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewPost {
    pub id: PostId,
    pub author_id: UserId,
    pub text: String,
    pub hashtags: Vec<String>,
    /// The author's uploads to attach, in display order.
    pub media: Vec<MediaId>,
    /// Who to tell (mentions), stored with the post.
    pub notifications: Vec<NewNotification>,
    pub created_at: Timestamp,
}

/// Which posts a feed shows.
#[derive(Debug, Clone)]
pub enum Feed {
    /// The viewer's own posts and those of everyone they follow.
    Home(UserId),
    /// One author's posts.
    Author(UserId),
    /// Everyone's posts.
    Everyone,
    /// Posts carrying a (lower-case) hashtag.
    Tag(String),
}

/// `SELECT <post + author columns> FROM posts p JOIN users u ... <tail>`.
macro_rules! select_posts {
    ($($tail:expr),+ $(,)?) => {
        concat!(
            "SELECT p.id, p.author_id, u.username AS author_username, ",
            "u.display_name AS author_display_name, u.avatar_key AS author_avatar_key, ",
            "p.text, p.like_count, p.comment_count, p.created_at, p.edited_at ",
            "FROM posts p JOIN users u ON u.id = p.author_id ",
            $($tail),+
        )
    };
}

impl Store {
    /// Stores a post with its hashtags, counts it on the author, attaches its
    /// media and inserts its notifications, in one transaction of at most six
    /// statements whatever the number of tags, uploads or recipients. If one
    /// of the uploads is not the author's or is already attached, nothing is
    /// stored and the result is [`StoreError::MediaUnavailable`]. Returns the
    /// stored post (read back from the same statements, not re-queried).
    pub async fn create_post(&self, new: &NewPost) -> Result<PostRecord, StoreError> {
        let author = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO posts (id, author_id, text, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(new.id.0)
            .bind(new.author_id.0)
            .bind(&new.text)
            .bind(new.created_at.as_millis())
            .execute(&mut *tx)
            .await?;
            if !new.hashtags.is_empty() {
                let mut q = sqlx::QueryBuilder::new("INSERT INTO post_hashtags (post_id, tag) ");
                q.push_values(&new.hashtags, |mut row, tag| {
                    row.push_bind(new.id.0).push_bind(tag.as_str());
                });
                q.build().execute(&mut *tx).await?;
            }
            let author = sqlx::query_as::<_, (String, String, Option<String>)>(
                "UPDATE users SET posts_count = posts_count + 1 WHERE id = $1 \
                 RETURNING username, display_name, avatar_key",
            )
            .bind(new.author_id.0)
            .fetch_one(&mut *tx)
            .await?;
            reindex_in(&mut tx, Doc::Post(new.id), &new.text, false).await?;
            let target = Attachment::Post(new.id);
            if !attach_in(&mut tx, &new.media, new.author_id, target, new.created_at).await? {
                tx.rollback().await?;
                return Err(StoreError::MediaUnavailable);
            }
            insert_in(&mut tx, &new.notifications).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(author)
        })?;
        let (author_username, author_display_name, author_avatar_key) = author;
        Ok(PostRecord {
            id: new.id,
            author_id: new.author_id,
            author_username,
            author_display_name,
            author_avatar_key,
            text: new.text.clone(),
            like_count: 0,
            comment_count: 0,
            created_at: new.created_at.as_millis(),
            edited_at: None,
        })
    }

    /// Replaces a post's text and hashtags and inserts `notifications` (new
    /// mentions), in one transaction. Returns false (and stores nothing) if
    /// the post does not exist.
    pub async fn update_post(
        &self,
        id: PostId,
        text: &str,
        hashtags: &[String],
        at: Timestamp,
        notifications: &[NewNotification],
    ) -> Result<bool, StoreError> {
        let updated = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE posts SET text = $2, edited_at = $3 WHERE id = $1")
                .bind(id.0)
                .bind(text)
                .bind(at.as_millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                sqlx::query("DELETE FROM post_hashtags WHERE post_id = $1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                if !hashtags.is_empty() {
                    let mut q =
                        sqlx::QueryBuilder::new("INSERT INTO post_hashtags (post_id, tag) ");
                    q.push_values(hashtags, |mut row, tag| {
                        row.push_bind(id.0).push_bind(tag.as_str());
                    });
                    q.build().execute(&mut *tx).await?;
                }
                reindex_in(&mut tx, Doc::Post(id), text, true).await?;
                insert_in(&mut tx, notifications).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?;
        Ok(updated)
    }

    /// Deletes a post (hashtags, likes, comments and notifications go with it)
    /// and uncounts it. Returns false if it did not exist.
    pub async fn delete_post(&self, id: PostId) -> Result<bool, StoreError> {
        let deleted = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let author = sqlx::query_scalar::<_, Uuid>(
                "DELETE FROM posts WHERE id = $1 RETURNING author_id",
            )
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(author) = author {
                sqlx::query("UPDATE users SET posts_count = posts_count - 1 WHERE id = $1")
                    .bind(author)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(author.is_some())
        })?;
        Ok(deleted)
    }

    pub async fn post_by_id(&self, id: PostId) -> Result<Option<PostRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, PostRecord>(select_posts!("WHERE p.id = $1"))
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Up to `limit` posts of `feed` older than `before` (newest first), as
    /// `viewer` sees them: without the posts of anyone the viewer blocks or
    /// is blocked by, and (except on an author's own page) of anyone the
    /// viewer mutes. Keyset on the time-ordered id: stable while new posts
    /// arrive.
    pub async fn feed_page(
        &self,
        feed: &Feed,
        viewer: Option<UserId>,
        before: Option<PostId>,
        limit: u32,
    ) -> Result<Vec<PostRecord>, StoreError> {
        let before = before.map_or(Uuid::max(), |id| id.0);
        let limit = i64::from(limit);
        let viewer = viewer.map(|v| v.0);
        // SQLite would otherwise gather every post of every followed author
        // through the author index and sort them; the unary `+` hides that
        // index, so it walks posts newest-first and stops at `limit`.
        // PostgreSQL plans this well by itself (and has no unary + for uuid).
        let home_sql = match self.backend() {
            Backend::Sqlite => select_posts!(
                "WHERE p.id < $2 AND (+p.author_id = $1 OR +p.author_id IN \
                 (SELECT followee_id FROM follows WHERE follower_id = $1)) AND ",
                not_blocked!("p.author_id", "$1"),
                " AND ",
                not_muted!("p.author_id", "$1"),
                " ORDER BY p.id DESC LIMIT $3"
            ),
            Backend::Postgres => select_posts!(
                "WHERE p.id < $2 AND (p.author_id = $1 OR p.author_id IN \
                 (SELECT followee_id FROM follows WHERE follower_id = $1)) AND ",
                not_blocked!("p.author_id", "$1"),
                " AND ",
                not_muted!("p.author_id", "$1"),
                " ORDER BY p.id DESC LIMIT $3"
            ),
        };
        let rows = with_pool!(self, read, |pool| {
            match feed {
                Feed::Home(user) => {
                    sqlx::query_as::<_, PostRecord>(home_sql)
                        .bind(user.0)
                        .bind(before)
                        .bind(limit)
                        .fetch_all(pool)
                        .await
                }
                Feed::Author(user) => {
                    sqlx::query_as::<_, PostRecord>(select_posts!(
                        "WHERE p.author_id = $1 AND p.id < $2 AND ",
                        not_blocked!("p.author_id", "$4"),
                        " ORDER BY p.id DESC LIMIT $3"
                    ))
                    .bind(user.0)
                    .bind(before)
                    .bind(limit)
                    .bind(viewer)
                    .fetch_all(pool)
                    .await
                }
                Feed::Everyone => {
                    sqlx::query_as::<_, PostRecord>(select_posts!(
                        "WHERE p.id < $1 AND ",
                        not_blocked!("p.author_id", "$3"),
                        " AND ",
                        not_muted!("p.author_id", "$3"),
                        " ORDER BY p.id DESC LIMIT $2"
                    ))
                    .bind(before)
                    .bind(limit)
                    .bind(viewer)
                    .fetch_all(pool)
                    .await
                }
                Feed::Tag(tag) => {
                    sqlx::query_as::<_, PostRecord>(select_posts!(
                        "JOIN post_hashtags h ON h.post_id = p.id \
                         WHERE h.tag = $1 AND h.post_id < $2 AND ",
                        not_blocked!("p.author_id", "$4"),
                        " AND ",
                        not_muted!("p.author_id", "$4"),
                        " ORDER BY h.post_id DESC LIMIT $3"
                    ))
                    .bind(tag)
                    .bind(before)
                    .bind(limit)
                    .bind(viewer)
                    .fetch_all(pool)
                    .await
                }
            }
        })?;
        Ok(rows)
    }

    /// `(post_id, tag)` for every post in `ids`: one query for a whole page.
    pub async fn hashtags_of(&self, ids: &[PostId]) -> Result<Vec<(PostId, String)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q =
                sqlx::QueryBuilder::new("SELECT post_id, tag FROM post_hashtags WHERE post_id IN ");
            crate::pool::push_id_list(&mut q, ids);
            q.push(" ORDER BY tag");
            q.build_query_as::<(Uuid, String)>().fetch_all(pool).await
        })?
        .into_iter()
        .map(|(post, tag)| (PostId(post), tag))
        .collect())
    }

    /// Which of `ids` the viewer has liked: one query for a whole page.
    pub async fn liked_among(
        &self,
        viewer: UserId,
        ids: &[PostId],
    ) -> Result<Vec<PostId>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new("SELECT post_id FROM post_likes WHERE user_id = ");
            q.push_bind(viewer.0);
            q.push(" AND post_id IN ");
            crate::pool::push_id_list(&mut q, ids);
            q.build_query_scalar::<Uuid>().fetch_all(pool).await
        })?
        .into_iter()
        .map(PostId)
        .collect())
    }

    /// Likes a post once. `None` if the post does not exist; `Some(true)` if
    /// this call created the like (and counted it, and inserted
    /// `notification`), `Some(false)` if it existed (nothing changes).
    pub async fn like_post(
        &self,
        post: PostId,
        user: UserId,
        at: Timestamp,
        notification: Option<&NewNotification>,
    ) -> Result<Option<bool>, StoreError> {
        let outcome = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let exists = sqlx::query_scalar::<_, Uuid>("SELECT id FROM posts WHERE id = $1")
                .bind(post.0)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if !exists {
                return Ok(None);
            }
            let inserted = sqlx::query(
                "INSERT INTO post_likes (post_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (post_id, user_id) DO NOTHING",
            )
            .bind(post.0)
            .bind(user.0)
            .bind(at.as_millis())
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if inserted {
                sqlx::query("UPDATE posts SET like_count = like_count + 1 WHERE id = $1")
                    .bind(post.0)
                    .execute(&mut *tx)
                    .await?;
                insert_in(
                    &mut tx,
                    notification.map(std::slice::from_ref).unwrap_or_default(),
                )
                .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(inserted))
        })?;
        Ok(outcome)
    }

    /// Removes a like. `None` if the post does not exist; `Some(true)` if a like was removed.
    pub async fn unlike_post(
        &self,
        post: PostId,
        user: UserId,
    ) -> Result<Option<bool>, StoreError> {
        let outcome = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let exists = sqlx::query_scalar::<_, Uuid>("SELECT id FROM posts WHERE id = $1")
                .bind(post.0)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if !exists {
                return Ok(None);
            }
            let removed = sqlx::query("DELETE FROM post_likes WHERE post_id = $1 AND user_id = $2")
                .bind(post.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if removed {
                sqlx::query("UPDATE posts SET like_count = like_count - 1 WHERE id = $1")
                    .bind(post.0)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(removed))
        })?;
        Ok(outcome)
    }

    /// Hashtags starting with `prefix`, most used first, with post counts.
    pub async fn search_tags(
        &self,
        prefix: &str,
        limit: u32,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let pattern = format!("{}%", escape_like(prefix));
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT tag, COUNT(*) AS posts FROM post_hashtags WHERE tag LIKE $1 ESCAPE '\\' \
                 GROUP BY tag ORDER BY posts DESC, tag LIMIT $2",
            )
            .bind(&pattern)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
        })?)
    }
}

/// Escapes LIKE's wildcards so user input matches literally.
pub(crate) fn escape_like(raw: &str) -> String {
    raw.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
