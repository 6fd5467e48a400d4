//! Sign-in sessions and their refresh tokens.
//!
//! A session is a token *family*: sign-in creates it with a first refresh
//! token; each refresh marks the presented token used and issues the next one.
//! A used token presented again means it was stolen (or replayed), so the whole
//! family is revoked: both the thief's and the owner's newest token stop
//! working. Marking a token used is a conditional UPDATE, so two concurrent
//! refreshes with one token cannot both win.

use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{SessionId, Timestamp, UserId};
use sqlx::Row;

/// A new session with its first refresh token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: SessionId,
    pub user_id: UserId,
    pub remember: bool,
    /// `password`, or the name of the provider that signed the user in.
    pub signed_in_with: String,
    /// Where the sign-in came from, for the sessions list.
    pub origin: SessionOrigin,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// SHA-256 of the refresh token; the token itself is never stored.
    pub token_hash: Vec<u8>,
}

/// The device and address a session was signed in from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionOrigin {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// A live session as the sessions list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRecord {
    #[sqlx(try_from = "uuid::Uuid")]
    pub id: SessionId,
    pub signed_in_with: String,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: i64,
    /// The sign-in or the last refresh (access tokens live 15 minutes, so
    /// an active browser refreshes at least that often).
    pub last_used_at: i64,
}

/// When a rotated token (and its session) expire: sessions signed in with
/// "remember me" live longer, and only the store knows which kind it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationExpiry {
    pub short: Timestamp,
    pub remembered: Timestamp,
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// The token was valid and is now replaced by the new one.
    Rotated {
        session_id: SessionId,
        user_id: UserId,
        remember: bool,
    },
    /// The token had already been used: the family is now revoked.
    Reused {
        session_id: SessionId,
        user_id: UserId,
    },
    /// Unknown, expired, or its session was revoked or has expired.
    Invalid,
}

impl Store {
    pub async fn create_session(&self, new: &NewSession) -> Result<(), StoreError> {
        with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO sessions (id, user_id, remember, created_at, last_used_at, expires_at, \
                 signed_in_with, user_agent, ip) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8)",
            )
            .bind(new.id.0)
            .bind(new.user_id.0)
            .bind(new.remember)
            .bind(new.created_at.as_millis())
            .bind(new.expires_at.as_millis())
            .bind(&new.signed_in_with)
            .bind(new.origin.user_agent.as_deref())
            .bind(new.origin.ip.as_deref())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&new.token_hash)
            .bind(new.id.0)
            .bind(new.created_at.as_millis())
            .bind(new.expires_at.as_millis())
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// Rotates `old_hash` to `new_hash` (valid until `expiry`) if the
    /// old token is live; detects reuse and revokes the family if it is not.
    pub async fn rotate_refresh_token(
        &self,
        old_hash: &[u8],
        new_hash: &[u8],
        now: Timestamp,
        expiry: RotationExpiry,
    ) -> Result<RefreshOutcome, StoreError> {
        let now_ms = now.as_millis();
        let outcome = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let row = sqlx::query(
                "SELECT t.session_id, t.used_at, t.expires_at AS token_expires_at, s.user_id, \
                 s.remember, s.revoked_at, s.expires_at AS session_expires_at \
                 FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id \
                 WHERE t.token_hash = $1",
            )
            .bind(old_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                return Ok(RefreshOutcome::Invalid);
            };
            let session_id = SessionId(row.try_get("session_id")?);
            let user_id = UserId(row.try_get("user_id")?);
            let used_at: Option<i64> = row.try_get("used_at")?;
            let revoked_at: Option<i64> = row.try_get("revoked_at")?;
            let token_expires_at: i64 = row.try_get("token_expires_at")?;
            let session_expires_at: i64 = row.try_get("session_expires_at")?;
            let remember: bool = row.try_get("remember")?;
            let new_expires_at = if remember {
                expiry.remembered
            } else {
                expiry.short
            };
            if revoked_at.is_some() || token_expires_at <= now_ms || session_expires_at <= now_ms {
                return Ok(RefreshOutcome::Invalid);
            }
            // Claim the token; zero rows means someone used it first (now or earlier).
            let claimed = if used_at.is_none() {
                sqlx::query("UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
                    .bind(old_hash)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1
            } else {
                false
            };
            if !claimed {
                sqlx::query(
                    "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                )
                .bind(session_id.0)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                return Ok(RefreshOutcome::Reused {
                    session_id,
                    user_id,
                });
            }
            sqlx::query(
                "INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(new_hash)
            .bind(session_id.0)
            .bind(now_ms)
            .bind(new_expires_at.as_millis())
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE sessions SET last_used_at = $2, expires_at = $3 WHERE id = $1")
                .bind(session_id.0)
                .bind(now_ms)
                .bind(new_expires_at.as_millis())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(RefreshOutcome::Rotated {
                session_id,
                user_id,
                remember,
            })
        })?;
        Ok(outcome)
    }

    /// The session's user, if the session is neither revoked nor expired.
    /// Checked on every authenticated request, so revocation takes effect at once.
    pub async fn active_session_user(
        &self,
        id: SessionId,
        now: Timestamp,
    ) -> Result<Option<UserId>, StoreError> {
        let user = with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, uuid::Uuid>(
                "SELECT user_id FROM sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2",
            )
            .bind(id.0)
            .bind(now.as_millis())
            .fetch_optional(pool)
            .await
        })?;
        Ok(user.map(UserId))
    }

    /// How a live session was signed in (`password` or a provider's name)
    /// and when: what deleting an account without a password checks.
    pub async fn session_sign_in(
        &self,
        id: SessionId,
        now: Timestamp,
    ) -> Result<Option<(String, Timestamp)>, StoreError> {
        let row = with_pool!(self, read, |pool| {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT signed_in_with, created_at FROM sessions \
                 WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2",
            )
            .bind(id.0)
            .bind(now.as_millis())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(with, at)| (with, Timestamp::from_millis(at))))
    }

    /// The user's live sessions, most recently used first.
    pub async fn live_sessions_of(
        &self,
        user: UserId,
        now: Timestamp,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, SessionRecord>(
                "SELECT id, signed_in_with, user_agent, ip, created_at, last_used_at FROM sessions \
                 WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 \
                 ORDER BY last_used_at DESC, id DESC",
            )
            .bind(user.0)
            .bind(now.as_millis())
            .fetch_all(pool)
            .await
        })?)
    }

    /// Revokes the user's live session `id`; another user's, or one already
    /// ended, is `false` and nothing changes.
    pub async fn revoke_session_of(
        &self,
        user: UserId,
        id: SessionId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE sessions SET revoked_at = $3 \
                 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3",
            )
            .bind(id.0)
            .bind(user.0)
            .bind(now.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Revokes one session (sign-out). Returns whether it was live.
    pub async fn revoke_session(&self, id: SessionId, now: Timestamp) -> Result<bool, StoreError> {
        let done = with_pool!(self, write, |pool| {
            sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                .bind(id.0)
                .bind(now.as_millis())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Revokes every live session of `user` except `keep` (a password change
    /// keeps the session that made it). Returns the revoked session ids, so the
    /// caller can disconnect their sockets.
    pub async fn revoke_other_sessions(
        &self,
        user: UserId,
        keep: Option<SessionId>,
        now: Timestamp,
    ) -> Result<Vec<SessionId>, StoreError> {
        let keep = keep.map(|s| s.0);
        let ids = with_pool!(self, write, |pool| {
            sqlx::query_scalar::<_, uuid::Uuid>(
                "UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND revoked_at IS NULL \
                 AND ($2 IS NULL OR id <> $2) RETURNING id",
            )
            .bind(user.0)
            .bind(keep)
            .bind(now.as_millis())
            .fetch_all(pool)
            .await
        })?;
        Ok(ids.into_iter().map(SessionId).collect())
    }

    /// Deletes sessions that ended (revoked or expired) before `cutoff`, with
    /// their tokens. Run periodically so the tables do not grow forever.
    pub async fn purge_sessions_ended_before(&self, cutoff: Timestamp) -> Result<u64, StoreError> {
        let done = with_pool!(self, write, |pool| {
            sqlx::query(
                "DELETE FROM sessions WHERE expires_at < $1 OR (revoked_at IS NOT NULL AND revoked_at < $1)",
            )
            .bind(cutoff.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done)
    }
}
