//! Media rows: uploads, attaching them to posts and messages (inside the
//! post's or message's own transaction, through [`attach_in`]), reading them
//! back for a page in one query, and avatars. Files are never deleted here:
//! rows that stop being wanted are found and moved to the deletion queue by
//! `media_garbage` (see migration 0004 for the rules).

use crate::ids::NullableId;
use crate::pool::{push_id_list, with_pool};
use crate::{Store, StoreError};
use parley_core::{MediaId, MediaStatus, MessageId, PostId, Timestamp, UserId};
use uuid::Uuid;

/// A media row as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MediaRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: MediaId,
    #[sqlx(try_from = "NullableId")]
    pub owner_id: Option<UserId>,
    pub content_type: String,
    pub original_key: String,
    /// Where the thumbnail is (or will be) stored; it exists once `status` is `ready`.
    pub thumbnail_key: Option<String>,
    pub width: i64,
    pub height: i64,
    pub size_bytes: i64,
    #[sqlx(try_from = "String")]
    pub status: MediaStatus,
    pub failure_reason: Option<String>,
    #[sqlx(try_from = "NullableId")]
    pub post_id: Option<PostId>,
    #[sqlx(try_from = "NullableId")]
    pub message_id: Option<MessageId>,
    pub position: i64,
    pub attached_at: Option<i64>,
    pub created_at: i64,
    /// The uploader's description of the image ('' until written).
    pub alt_text: String,
    /// A BlurHash of the image, once its thumbnail is made.
    pub blurhash: Option<String>,
}

impl MediaRecord {
    /// Attached to a post, a message or an avatar (or was: see migration 0004).
    pub fn is_attached(&self) -> bool {
        self.attached_at.is_some()
    }
}

/// An upload whose original is stored; its thumbnail is still to be made.
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub id: MediaId,
    pub owner_id: UserId,
    pub content_type: String,
    pub original_key: String,
    pub thumbnail_key: String,
    pub width: u32,
    pub height: u32,
    pub size_bytes: u64,
    pub created_at: Timestamp,
}

/// What media is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attachment {
    Post(PostId),
    Message(MessageId),
}

/// `SELECT <media columns> FROM media <tail>`.
macro_rules! select_media {
    ($tail:literal) => {
        concat!(
            "SELECT id, owner_id, content_type, original_key, thumbnail_key, width, height, ",
            "size_bytes, status, failure_reason, post_id, message_id, position, attached_at, ",
            "created_at, alt_text, blurhash FROM media ",
            $tail
        )
    };
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// Stores an upload (`processing`) and queues its thumbnail job, together.
    pub async fn create_media(&self, new: &NewMedia) -> Result<(), StoreError> {
        with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO media (id, owner_id, content_type, original_key, thumbnail_key, \
                 width, height, size_bytes, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'processing', $9)",
            )
            .bind(new.id.0)
            .bind(new.owner_id.0)
            .bind(&new.content_type)
            .bind(&new.original_key)
            .bind(&new.thumbnail_key)
            .bind(i64::from(new.width))
            .bind(i64::from(new.height))
            .bind(to_i64(new.size_bytes))
            .bind(new.created_at.as_millis())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO media_jobs (media_id, state, run_after, created_at) \
                 VALUES ($1, 'queued', $2, $2)",
            )
            .bind(new.id.0)
            .bind(new.created_at.as_millis())
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// Sets the description of the owner's media `id`; `false` when it is
    /// not theirs (or does not exist), and nothing changes.
    pub async fn set_media_alt_text(
        &self,
        owner: UserId,
        id: MediaId,
        alt_text: &str,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query("UPDATE media SET alt_text = $3 WHERE id = $1 AND owner_id = $2")
                .bind(id.0)
                .bind(owner.0)
                .bind(alt_text)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    pub async fn media_by_id(&self, id: MediaId) -> Result<Option<MediaRecord>, StoreError> {
        // Through the writer on SQLite: a client polling right after its
        // upload (or a worker right after a claim) must see the latest state.
        Ok(with_pool!(self, write, |pool| {
            sqlx::query_as::<_, MediaRecord>(select_media!("WHERE id = $1"))
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// The rows of `ids` that exist, in no particular order.
    pub async fn media_by_ids(&self, ids: &[MediaId]) -> Result<Vec<MediaRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(select_media!("WHERE id IN "));
            push_id_list(&mut q, ids);
            q.build_query_as::<MediaRecord>().fetch_all(pool).await
        })?)
    }

    /// The media of every post in `posts`, by post then position: one query
    /// for a whole page.
    pub async fn media_of_posts(&self, posts: &[PostId]) -> Result<Vec<MediaRecord>, StoreError> {
        if posts.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(select_media!("WHERE post_id IN "));
            push_id_list(&mut q, posts);
            q.push(" ORDER BY post_id, position");
            q.build_query_as::<MediaRecord>().fetch_all(pool).await
        })?)
    }

    /// The media of every message in `messages`, by message then position.
    pub async fn media_of_messages(
        &self,
        messages: &[MessageId],
    ) -> Result<Vec<MediaRecord>, StoreError> {
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(select_media!("WHERE message_id IN "));
            push_id_list(&mut q, messages);
            q.push(" ORDER BY message_id, position");
            q.build_query_as::<MediaRecord>().fetch_all(pool).await
        })?)
    }

    /// Makes `avatar` (already stored: `original_key` is the large size,
    /// `thumbnail_key` the small one) `user`'s avatar. The previous one is
    /// released in the same transaction, which makes it garbage.
    pub async fn set_avatar(&self, user: UserId, avatar: &NewMedia) -> Result<(), StoreError> {
        let at = avatar.created_at.as_millis();
        with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO media (id, owner_id, content_type, original_key, thumbnail_key, \
                 width, height, size_bytes, status, avatar_of, attached_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ready', $2, $9, $9)",
            )
            .bind(avatar.id.0)
            .bind(user.0)
            .bind(&avatar.content_type)
            .bind(&avatar.original_key)
            .bind(&avatar.thumbnail_key)
            .bind(i64::from(avatar.width))
            .bind(i64::from(avatar.height))
            .bind(to_i64(avatar.size_bytes))
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE media SET avatar_of = NULL WHERE avatar_of = $1 AND id <> $2")
                .bind(user.0)
                .bind(avatar.id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE users SET avatar_key = $2, updated_at = $3 WHERE id = $1")
                .bind(user.0)
                .bind(&avatar.original_key)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// Removes `user`'s avatar (its files become garbage).
    pub async fn clear_avatar(&self, user: UserId, at: Timestamp) -> Result<(), StoreError> {
        with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE media SET avatar_of = NULL WHERE avatar_of = $1")
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE users SET avatar_key = NULL, updated_at = $2 WHERE id = $1")
                .bind(user.0)
                .bind(at.as_millis())
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })?;
        Ok(())
    }
}

/// Attaches `ids` (in that order: `position` is the index) to `target`
/// inside the caller's transaction, if every one of them is `owner`'s and not
/// attached yet. Returns false when fewer rows changed than were named: the
/// caller must then roll back (some rows may have changed). The check and the
/// change are one conditional UPDATE, so two concurrent attachments of the
/// same upload cannot both win.
pub(crate) async fn attach_in<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    ids: &[MediaId],
    owner: UserId,
    target: Attachment,
    at: Timestamp,
) -> Result<bool, sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB> + Default,
    Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<Uuid>: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Uuid: for<'r> sqlx::Decode<'r, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    if ids.is_empty() {
        return Ok(true);
    }
    let (post, message) = match target {
        Attachment::Post(id) => (Some(id.0), None),
        Attachment::Message(id) => (None, Some(id.0)),
    };
    let mut q = sqlx::QueryBuilder::<DB>::new("UPDATE media SET post_id = ");
    q.push_bind(post);
    q.push(", message_id = ");
    q.push_bind(message);
    q.push(", attached_at = ");
    q.push_bind(at.as_millis());
    q.push(", position = CASE id");
    for (position, id) in ids.iter().enumerate() {
        q.push(" WHEN ");
        q.push_bind(id.0);
        q.push(" THEN ");
        q.push_bind(i64::try_from(position).unwrap_or(i64::MAX));
    }
    q.push(" ELSE position END WHERE owner_id = ");
    q.push_bind(owner.0);
    q.push(" AND attached_at IS NULL AND id IN ");
    push_id_list(&mut q, ids);
    // RETURNING counts the changed rows the same way on both backends (the
    // generic query result has no `rows_affected`).
    q.push(" RETURNING id");
    let changed = q.build_query_scalar::<Uuid>().fetch_all(&mut **tx).await?;
    // A repeated id is named twice but matches one row: also a mismatch.
    Ok(changed.len() == ids.len())
}
