//! Notifications: someone followed, liked, commented, replied or mentioned.
//! Listed newest first; each is unread until marked read.
//!
//! They are written only by the use-case that causes them (a follow, a like,
//! a post, a comment), inside that use-case's transaction through
//! [`insert_in`], so a notification exists exactly when its cause does.

use crate::blocks::{not_blocked, not_muted};
use crate::ids::NullableId;
use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{CommentId, NotificationId, NotificationKind, PostId, Timestamp, UserId};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct NewNotification {
    pub id: NotificationId,
    pub recipient_id: UserId,
    pub kind: NotificationKind,
    pub actor_id: UserId,
    pub post_id: Option<PostId>,
    pub comment_id: Option<CommentId>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: NotificationId,
    #[sqlx(try_from = "String")]
    pub kind: NotificationKind,
    #[sqlx(try_from = "Uuid")]
    pub actor_id: UserId,
    pub actor_username: String,
    pub actor_display_name: String,
    pub actor_avatar_key: Option<String>,
    #[sqlx(try_from = "NullableId")]
    pub post_id: Option<PostId>,
    #[sqlx(try_from = "NullableId")]
    pub comment_id: Option<CommentId>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

macro_rules! select_notifications {
    ($($tail:expr),+ $(,)?) => {
        concat!(
            "SELECT n.id, n.kind, n.actor_id, u.username AS actor_username, ",
            "u.display_name AS actor_display_name, u.avatar_key AS actor_avatar_key, ",
            "n.post_id, n.comment_id, n.created_at, n.read_at ",
            "FROM notifications n JOIN users u ON u.id = n.actor_id ",
            $($tail),+
        )
    };
}

impl Store {
    /// The notifications `ids` with their actors, oldest first: one query,
    /// for the events a use-case publishes once its transaction committed.
    /// Ids that do not exist (deleted meanwhile) are simply absent.
    pub async fn notifications_by_ids(
        &self,
        ids: &[NotificationId],
    ) -> Result<Vec<NotificationRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(select_notifications!("WHERE n.id IN "));
            crate::pool::push_id_list(&mut q, ids);
            q.push(" ORDER BY n.id");
            q.build_query_as::<NotificationRecord>()
                .fetch_all(pool)
                .await
        })?)
    }

    /// Newest first, before `before`; fetches `limit + 1`. Those whose actor
    /// the recipient blocks, mutes or is blocked by are left out (also the
    /// ones from before the block), here and in the unread count.
    pub async fn notifications_page(
        &self,
        recipient: UserId,
        before: Option<NotificationId>,
        limit: u32,
    ) -> Result<Vec<NotificationRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, NotificationRecord>(select_notifications!(
                "WHERE n.recipient_id = $1 AND n.id < $2 AND ",
                not_blocked!("n.actor_id", "$1"),
                " AND ",
                not_muted!("n.actor_id", "$1"),
                " ORDER BY n.id DESC LIMIT $3"
            ))
            .bind(recipient.0)
            .bind(before.map_or(Uuid::max(), |n| n.0))
            .bind(i64::from(limit) + 1)
            .fetch_all(pool)
            .await
        })?)
    }

    pub async fn unread_notifications(&self, recipient: UserId) -> Result<i64, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, i64>(concat!(
                "SELECT COUNT(*) FROM notifications n WHERE n.recipient_id = $1 AND n.read_at IS NULL AND ",
                not_blocked!("n.actor_id", "$1"),
                " AND ",
                not_muted!("n.actor_id", "$1"),
            ))
            .bind(recipient.0)
            .fetch_one(pool)
            .await
        })?)
    }

    /// Marks the recipient's unread notifications read: those in `ids`, or all
    /// of them when `ids` is `None`. Returns how many changed.
    pub async fn mark_notifications_read(
        &self,
        recipient: UserId,
        ids: Option<&[NotificationId]>,
        at: Timestamp,
    ) -> Result<u64, StoreError> {
        if ids.is_some_and(<[NotificationId]>::is_empty) {
            return Ok(0);
        }
        Ok(with_pool!(self, write, |pool| {
            let mut q = sqlx::QueryBuilder::new("UPDATE notifications SET read_at = ");
            q.push_bind(at.as_millis());
            q.push(" WHERE recipient_id = ");
            q.push_bind(recipient.0);
            q.push(" AND read_at IS NULL");
            if let Some(ids) = ids {
                q.push(" AND id IN ");
                crate::pool::push_id_list(&mut q, ids);
            }
            q.build().execute(pool).await.map(|r| r.rows_affected())
        })?)
    }
}

/// Inserts `items` inside the caller's transaction (one statement whatever
/// their number). Generic over the backend so every use-case shares it.
pub(crate) async fn insert_in<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    items: &[NewNotification],
) -> Result<(), sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB> + Default,
    Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<Uuid>: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'static str: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    if items.is_empty() {
        return Ok(());
    }
    let mut q = sqlx::QueryBuilder::<DB>::new(
        "INSERT INTO notifications (id, recipient_id, kind, actor_id, post_id, comment_id, created_at) ",
    );
    q.push_values(items, |mut row, n| {
        row.push_bind(n.id.0)
            .push_bind(n.recipient_id.0)
            .push_bind(n.kind.as_str())
            .push_bind(n.actor_id.0)
            .push_bind(n.post_id.map(|p| p.0))
            .push_bind(n.comment_id.map(|c| c.0))
            .push_bind(n.created_at.as_millis());
    });
    q.build().execute(&mut **tx).await?;
    Ok(())
}
