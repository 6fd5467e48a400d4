//! Sign-in identities at OAuth / OpenID Connect providers: who a provider's
//! `(provider, subject)` is here, linking and unlinking them, and the rule
//! that an account always keeps one way to sign in.

use crate::error::unique_violation;
use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{ErrorCode, Timestamp, UserId};
use uuid::Uuid;

/// A provider account to link to a user.
#[derive(Debug, Clone)]
pub struct NewIdentity {
    /// The configured provider name (`github`, `kakao`, ...).
    pub provider: String,
    /// The provider's stable id of the person (`sub`, or its user id).
    pub subject: String,
    /// The e-mail the provider gave, shown in settings; never used to sign in.
    pub email: Option<String>,
}

/// A linked identity as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdentityRecord {
    pub provider: String,
    pub subject: String,
    #[sqlx(try_from = "Uuid")]
    pub user_id: UserId,
    pub email: Option<String>,
    pub created_at: i64,
    pub last_used_at: i64,
}

/// What unlinking a provider came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlink {
    Unlinked,
    /// The user has no identity at this provider.
    NotLinked,
    /// It is the account's only way to sign in; nothing changed.
    LastMethod,
}

impl Store {
    /// Who `(provider, subject)` is, recording that it was just used (and the
    /// e-mail the provider now gives) when it is someone.
    pub async fn use_identity(
        &self,
        provider: &str,
        subject: &str,
        email: Option<&str>,
        at: Timestamp,
    ) -> Result<Option<UserId>, StoreError> {
        let user = with_pool!(self, write, |pool| {
            sqlx::query_scalar::<_, Uuid>(
                "UPDATE identities SET last_used_at = $3, email = $4 \
                 WHERE provider = $1 AND subject = $2 RETURNING user_id",
            )
            .bind(provider)
            .bind(subject)
            .bind(at.as_millis())
            .bind(email)
            .fetch_optional(pool)
            .await
        })?;
        Ok(user.map(UserId))
    }

    /// Links a provider account to an existing user. `identity_taken` when
    /// the provider account belongs to someone (the same user included) or
    /// the user has another account of this provider linked.
    pub async fn link_identity(
        &self,
        user: UserId,
        identity: &NewIdentity,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let inserted = with_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO identities (provider, subject, user_id, email, created_at, last_used_at) \
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(&identity.provider)
            .bind(&identity.subject)
            .bind(user.0)
            .bind(identity.email.as_deref())
            .bind(at.as_millis())
            .execute(pool)
            .await
            .map(|_| ())
        });
        match inserted {
            Err(e) if unique_violation(&e).is_some() => {
                Err(StoreError::Conflict(ErrorCode::IdentityTaken))
            }
            other => Ok(other?),
        }
    }

    /// The user's linked identities, oldest first.
    pub async fn identities_of(&self, user: UserId) -> Result<Vec<IdentityRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, IdentityRecord>(
                "SELECT provider, subject, user_id, email, created_at, last_used_at \
                 FROM identities WHERE user_id = $1 ORDER BY created_at, provider",
            )
            .bind(user.0)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Unlinks the user's identity at `provider`, unless it is the account's
    /// last way to sign in. The user's row is written first, which locks it
    /// on PostgreSQL (SQLite has one writer), so two unlinks or an unlink and
    /// a password removal cannot both pass the check on stale counts.
    pub async fn unlink_identity(
        &self,
        user: UserId,
        provider: &str,
        at: Timestamp,
    ) -> Result<Unlink, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let has_password = sqlx::query_scalar::<_, bool>(
                "UPDATE users SET updated_at = $2 WHERE id = $1 \
                 RETURNING password_hash IS NOT NULL",
            )
            .bind(user.0)
            .bind(at.as_millis())
            .fetch_optional(&mut *tx)
            .await?;
            let linked: Vec<String> =
                sqlx::query_scalar("SELECT provider FROM identities WHERE user_id = $1")
                    .bind(user.0)
                    .fetch_all(&mut *tx)
                    .await?;
            let outcome = if !linked.iter().any(|p| p == provider) {
                Unlink::NotLinked
            } else if has_password != Some(true) && linked.len() == 1 {
                Unlink::LastMethod
            } else {
                sqlx::query("DELETE FROM identities WHERE user_id = $1 AND provider = $2")
                    .bind(user.0)
                    .bind(provider)
                    .execute(&mut *tx)
                    .await?;
                Unlink::Unlinked
            };
            tx.commit().await?;
            Ok::<_, sqlx::Error>(outcome)
        })?)
    }
}
