//! The social graph: who follows whom, the follower/following counters, and
//! user search. Following is idempotent: a second follow changes nothing.

use crate::blocks::not_blocked;
use crate::notifications::{NewNotification, insert_in};
use crate::pool::with_pool;
use crate::posts::escape_like;
use crate::{Store, StoreError};
use parley_core::page::Cursor;
use parley_core::{Timestamp, UserId};
use uuid::Uuid;

/// A user as listed in follower lists and search results.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserSummaryRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub avatar_key: Option<String>,
    /// When the listed follow happened (0 in search results).
    pub since: i64,
}

/// Which list of a user's follow graph: who follows them, or whom they follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowSide {
    Followers,
    Following,
}

/// How the viewer and another user are related.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relationship {
    pub followed_by_me: bool,
    pub follows_me: bool,
    /// The viewer blocks the other user.
    pub blocking: bool,
    /// The other user blocks the viewer.
    pub blocked_by: bool,
    /// The viewer mutes the other user.
    pub muting: bool,
}

impl Store {
    /// Records that `follower` follows `followee`; true if this call created
    /// it, in which case `notification` is inserted in the same transaction
    /// (a repeated follow changes nothing and notifies nobody).
    pub async fn follow(
        &self,
        follower: UserId,
        followee: UserId,
        at: Timestamp,
        notification: Option<&NewNotification>,
    ) -> Result<bool, StoreError> {
        let created = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (follower_id, followee_id) DO NOTHING",
            )
            .bind(follower.0)
            .bind(followee.0)
            .bind(at.as_millis())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                adjust_follow_counts(&mut tx, follower, followee, 1).await?;
                insert_in(
                    &mut tx,
                    notification.map(std::slice::from_ref).unwrap_or_default(),
                )
                .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?;
        Ok(created)
    }

    /// Removes the follow; true if there was one.
    pub async fn unfollow(&self, follower: UserId, followee: UserId) -> Result<bool, StoreError> {
        let removed = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2")
                .bind(follower.0)
                .bind(followee.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                adjust_follow_counts(&mut tx, follower, followee, -1).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?;
        Ok(removed)
    }

    pub async fn relationship(
        &self,
        viewer: UserId,
        other: UserId,
    ) -> Result<Relationship, StoreError> {
        let (followed_by_me, follows_me, blocking, blocked_by, muting) = with_pool!(
            self,
            read,
            |pool| {
                sqlx::query_as::<_, (bool, bool, bool, bool, bool)>(
                "SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2), \
                        EXISTS (SELECT 1 FROM follows WHERE follower_id = $2 AND followee_id = $1), \
                        EXISTS (SELECT 1 FROM user_blocks WHERE blocker_id = $1 AND blocked_id = $2), \
                        EXISTS (SELECT 1 FROM user_blocks WHERE blocker_id = $2 AND blocked_id = $1), \
                        EXISTS (SELECT 1 FROM user_mutes WHERE muter_id = $1 AND muted_id = $2)",
            )
            .bind(viewer.0)
            .bind(other.0)
            .fetch_one(pool)
            .await
            }
        )?;
        Ok(Relationship {
            followed_by_me,
            follows_me,
            blocking,
            blocked_by,
            muting,
        })
    }

    /// Ids of everyone following `user` (for fanning out their new posts).
    pub async fn follower_ids(&self, user: UserId) -> Result<Vec<UserId>, StoreError> {
        let ids = with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, Uuid>("SELECT follower_id FROM follows WHERE followee_id = $1")
                .bind(user.0)
                .fetch_all(pool)
                .await
        })?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// One side of `user`'s follow graph, most recent follow first, after
    /// `cursor`; `limit + 1` rows are fetched so the caller can tell whether
    /// there is a next page.
    pub async fn follow_page(
        &self,
        user: UserId,
        side: FollowSide,
        cursor: Option<Cursor>,
        limit: u32,
    ) -> Result<Vec<UserSummaryRecord>, StoreError> {
        let (at, id) = cursor.map_or((i64::MAX, Uuid::max()), |c| (c.at, c.id));
        let sql = match side {
            FollowSide::Followers => {
                "SELECT u.id, u.username, u.display_name, u.avatar_key, f.created_at AS since \
                 FROM follows f JOIN users u ON u.id = f.follower_id WHERE f.followee_id = $1 \
                 AND (f.created_at < $2 OR (f.created_at = $2 AND f.follower_id < $3)) \
                 ORDER BY f.created_at DESC, f.follower_id DESC LIMIT $4"
            }
            FollowSide::Following => {
                "SELECT u.id, u.username, u.display_name, u.avatar_key, f.created_at AS since \
                 FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = $1 \
                 AND (f.created_at < $2 OR (f.created_at = $2 AND f.followee_id < $3)) \
                 ORDER BY f.created_at DESC, f.followee_id DESC LIMIT $4"
            }
        };
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, UserSummaryRecord>(sql)
                .bind(user.0)
                .bind(at)
                .bind(id)
                .bind(i64::from(limit) + 1)
                .fetch_all(pool)
                .await
        })?)
    }

    /// Users whose username or display name starts with `prefix`
    /// (case-insensitive), by username, after `after_username`; nobody
    /// `viewer` blocks or is blocked by.
    pub async fn search_users(
        &self,
        prefix: &str,
        viewer: Option<UserId>,
        after_username: Option<&str>,
        limit: u32,
    ) -> Result<Vec<UserSummaryRecord>, StoreError> {
        let pattern = format!("{}%", escape_like(&prefix.to_lowercase()));
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, UserSummaryRecord>(concat!(
                "SELECT u.id, u.username, u.display_name, u.avatar_key, CAST(0 AS BIGINT) AS since \
                 FROM users u WHERE (u.username LIKE $1 ESCAPE '\\' OR u.display_name_key LIKE $1 ESCAPE '\\') \
                 AND u.username > $2 AND ",
                not_blocked!("u.id", "$4"),
                " ORDER BY u.username LIMIT $3",
            ))
            .bind(&pattern)
            .bind(after_username.unwrap_or(""))
            .bind(i64::from(limit) + 1)
            .bind(viewer.map(|v| v.0))
            .fetch_all(pool)
            .await
        })?)
    }
}

pub(crate) async fn adjust_follow_counts<'c, DB>(
    tx: &mut sqlx::Transaction<'c, DB>,
    follower: UserId,
    followee: UserId,
    delta: i64,
) -> Result<(), sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    for<'q> <DB as sqlx::Database>::Arguments: sqlx::IntoArguments<DB>,
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    // Rows are always locked in id order, so A following B while B follows A
    // cannot deadlock on PostgreSQL.
    let follower_update = "UPDATE users SET following_count = following_count + $2 WHERE id = $1";
    let followee_update = "UPDATE users SET followers_count = followers_count + $2 WHERE id = $1";
    let mut updates = [(follower.0, follower_update), (followee.0, followee_update)];
    updates.sort_by_key(|(id, _)| *id);
    for (id, sql) in updates {
        sqlx::query(sql)
            .bind(id)
            .bind(delta)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
