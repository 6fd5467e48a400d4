//! User accounts: creation (with the two uniqueness rules), lookups by id,
//! username or login, profile and password changes, deletion.

use crate::error::unique_violation;
use crate::identities::NewIdentity;
use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{CommentId, Timestamp, UserId};
use uuid::Uuid;

/// A user row as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: UserId,
    pub username: String,
    /// `None` for an account made by a provider that gave no usable e-mail.
    pub email: Option<String>,
    /// `None` for an account made by a provider, until its owner sets one.
    pub password_hash: Option<String>,
    pub display_name: String,
    pub bio: String,
    pub status_message: String,
    pub avatar_key: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_seen_at: Option<i64>,
    pub followers_count: i64,
    pub following_count: i64,
    pub posts_count: i64,
    /// When the account's current e-mail was proven (a mailed link, or a
    /// password reset through it).
    pub email_verified_at: Option<i64>,
    /// `user` or `admin` (who may moderate).
    pub role: String,
    /// When a moderator suspended the account; it cannot sign in meanwhile.
    pub suspended_at: Option<i64>,
}

impl UserRecord {
    pub fn user_id(&self) -> UserId {
        self.id
    }
}

/// What sign-up stores. Values arrive already validated and normalised.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub display_name: String,
    pub created_at: Timestamp,
}

/// A partial profile update: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub status_message: Option<String>,
}

/// `SELECT <every user column> FROM users <tail>` as one `&'static str`.
macro_rules! select_user {
    ($tail:literal) => {
        concat!(
            "SELECT id, username, email, password_hash, display_name, bio, status_message, ",
            "avatar_key, created_at, updated_at, last_seen_at, followers_count, following_count, ",
            "posts_count, email_verified_at, role, suspended_at FROM users ",
            $tail
        )
    };
}

impl Store {
    /// Inserts a user. A taken username or email is a `Conflict` naming which,
    /// decided by the unique constraints themselves (no check-then-insert race).
    pub async fn create_user(&self, new: &NewUser) -> Result<UserRecord, StoreError> {
        self.create_user_with_identity(new, None).await
    }

    /// Inserts a user and, for an account made by a provider, its first
    /// identity, in one transaction: there is never an account a provider
    /// made that its provider cannot sign into. A conflict names which rule
    /// refused it (`username_taken`, `email_taken`, `identity_taken`).
    pub async fn create_user_with_identity(
        &self,
        new: &NewUser,
        identity: Option<&NewIdentity>,
    ) -> Result<UserRecord, StoreError> {
        let at = new.created_at.as_millis();
        // An async block, so a refused insert comes back here to be named
        // rather than leaving through `?` as a bare database error.
        let inserted = with_pool!(self, write, |pool| {
            async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                // The first account ever made is the install's admin, decided
                // in the insert itself.
                "INSERT INTO users (id, username, email, password_hash, display_name, display_name_key, \
                 bio, status_message, created_at, updated_at, role) SELECT $1, $2, $3, $4, $5, $7, '', '', $6, $6, \
                 CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END",
            )
            .bind(new.id.0)
            .bind(&new.username)
            .bind(new.email.as_deref())
            .bind(new.password_hash.as_deref())
            .bind(&new.display_name)
            .bind(at)
            .bind(new.display_name.to_lowercase())
            .execute(&mut *tx)
            .await?;
            if let Some(identity) = identity {
                sqlx::query(
                    "INSERT INTO identities (provider, subject, user_id, email, created_at, last_used_at) \
                     VALUES ($1, $2, $3, $4, $5, $5)",
                )
                .bind(&identity.provider)
                .bind(&identity.subject)
                .bind(new.id.0)
                .bind(identity.email.as_deref())
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        }
        .await
        });
        if let Err(e) = inserted {
            return Err(user_conflict(e));
        }
        self.user_by_id(new.id)
            .await?
            .ok_or_else(|| StoreError::Invariant("user vanished right after insert"))
    }

    pub async fn user_by_id(&self, id: UserId) -> Result<Option<UserRecord>, StoreError> {
        let sql = select_user!("WHERE id = $1");
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, UserRecord>(sql)
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Looks a user up by (canonical, lower-case) username.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        let sql = select_user!("WHERE username = $1");
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, UserRecord>(sql)
                .bind(username)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// The users among `usernames` (lower-case) that exist, in one query
    /// (mentions in a post or comment name up to 20 people).
    pub async fn users_by_usernames(
        &self,
        usernames: &[String],
    ) -> Result<Vec<UserRecord>, StoreError> {
        if usernames.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(select_user!("WHERE username IN ("));
            let mut names = q.separated(", ");
            for name in usernames {
                names.push_bind(name.as_str());
            }
            q.push(")");
            q.build_query_as::<UserRecord>().fetch_all(pool).await
        })?)
    }

    /// Sign-in accepts a username or an email; both are stored lower-cased.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError> {
        let login = login.trim().to_lowercase();
        let sql = select_user!("WHERE username = $1 OR email = $1");
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, UserRecord>(sql)
                .bind(&login)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Applies the fields present in `changes` and returns the updated user.
    pub async fn update_profile(
        &self,
        id: UserId,
        changes: &ProfileChanges,
        at: Timestamp,
    ) -> Result<Option<UserRecord>, StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE users SET display_name = COALESCE($2, display_name), \
                 display_name_key = COALESCE($6, display_name_key), \
                 bio = COALESCE($3, bio), status_message = COALESCE($4, status_message), \
                 updated_at = $5 WHERE id = $1",
            )
            .bind(id.0)
            .bind(changes.display_name.as_deref())
            .bind(changes.bio.as_deref())
            .bind(changes.status_message.as_deref())
            .bind(at.as_millis())
            .bind(changes.display_name.as_deref().map(str::to_lowercase))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.user_by_id(id).await
    }

    pub async fn set_password_hash(
        &self,
        id: UserId,
        hash: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(id.0)
                .bind(hash)
                .bind(at.as_millis())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn set_last_seen(&self, id: UserId, at: Timestamp) -> Result<(), StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query("UPDATE users SET last_seen_at = $2 WHERE id = $1")
                .bind(id.0)
                .bind(at.as_millis())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Deletes the account and everything that cascades from it (sessions,
    /// posts, follows, likes, notifications, memberships), first taking its
    /// follows and likes out of other users' counters in the same transaction,
    /// so no counter is left counting a fact that is gone. Comments on other
    /// people's posts must be removed first with [`Store::comment_ids_by_on_others`]
    /// and `delete_comment` (which keeps thread counts right). Returns whether
    /// a user was deleted.
    pub async fn delete_user(&self, id: UserId) -> Result<bool, StoreError> {
        let done = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            for sql in [
                "UPDATE users SET followers_count = followers_count - 1 \
                 WHERE id IN (SELECT followee_id FROM follows WHERE follower_id = $1)",
                "UPDATE users SET following_count = following_count - 1 \
                 WHERE id IN (SELECT follower_id FROM follows WHERE followee_id = $1)",
                "UPDATE posts SET like_count = like_count - 1 \
                 WHERE id IN (SELECT post_id FROM post_likes WHERE user_id = $1) AND author_id <> $1",
            ] {
                sqlx::query(sql).bind(id.0).execute(&mut *tx).await?;
            }
            let n = sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n)
        })?;
        Ok(done == 1)
    }

    /// The user's comments on posts written by others, oldest first.
    pub async fn comment_ids_by_on_others(&self, id: UserId) -> Result<Vec<CommentId>, StoreError> {
        let ids = with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, Uuid>(
                "SELECT c.id FROM comments c JOIN posts p ON p.id = c.post_id \
                 WHERE c.author_id = $1 AND p.author_id <> $1 ORDER BY c.id",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(ids.into_iter().map(CommentId).collect())
    }
}

/// A failed user insert as the conflict it is (taken username, e-mail or
/// identity), decided by the unique constraints themselves.
fn user_conflict(e: sqlx::Error) -> StoreError {
    match unique_violation(&e) {
        Some(which) if which.contains("identities") => {
            StoreError::Conflict(parley_core::ErrorCode::IdentityTaken)
        }
        Some(which) if which.contains("username") => {
            StoreError::Conflict(parley_core::ErrorCode::UsernameTaken)
        }
        Some(which) if which.contains("email") => {
            StoreError::Conflict(parley_core::ErrorCode::EmailTaken)
        }
        _ => e.into(),
    }
}

impl Store {
    /// `(id, last_seen_at)` of each existing user among `ids`: one query.
    pub async fn last_seen_of(
        &self,
        ids: &[UserId],
    ) -> Result<Vec<(UserId, Option<i64>)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new("SELECT id, last_seen_at FROM users WHERE id IN ");
            crate::pool::push_id_list(&mut q, ids);
            q.build_query_as::<(Uuid, Option<i64>)>()
                .fetch_all(pool)
                .await
        })?
        .into_iter()
        .map(|(id, seen)| (UserId(id), seen))
        .collect())
    }
}
