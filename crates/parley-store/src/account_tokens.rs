//! Mailed account tokens: e-mail verification and password reset. A token
//! is stored only as its SHA-256 hash, is good for one use before it
//! expires, and names the address it was sent to, so it proves control of
//! that address only (not of one the account has since changed to).

use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{SessionId, Timestamp, UserId};
use uuid::Uuid;

/// Marks a live token of `purpose` used (once: a conditional UPDATE) and
/// evaluates to its user, if the account still has the address it was sent
/// to. A macro because it runs inside either dialect's transaction.
macro_rules! redeem {
    ($tx:expr, $hash:expr, $purpose:expr, $now:expr) => {{
        let claimed: Option<(Uuid, String)> = sqlx::query_as(
            "UPDATE account_tokens SET used_at = $3 \
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
             RETURNING user_id, email",
        )
        .bind($hash)
        .bind($purpose.as_str())
        .bind($now.as_millis())
        .fetch_optional(&mut *$tx)
        .await?;
        match claimed {
            None => None,
            Some((user, email)) => {
                let current: Option<Option<String>> =
                    sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                        .bind(user)
                        .fetch_optional(&mut *$tx)
                        .await?;
                (current.flatten().as_deref() == Some(email.as_str())).then_some(user)
            }
        }
    }};
}

/// What a mailed token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewAccountToken {
    pub token_hash: Vec<u8>,
    pub user_id: UserId,
    pub purpose: TokenPurpose,
    pub email: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A password reset that took: whose, and the sessions it ended.
#[derive(Debug, Clone)]
pub struct PasswordReset {
    pub user_id: UserId,
    pub ended_sessions: Vec<SessionId>,
}

impl Store {
    pub async fn create_account_token(&self, new: &NewAccountToken) -> Result<(), StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&new.token_hash)
            .bind(new.user_id.0)
            .bind(new.purpose.as_str())
            .bind(&new.email)
            .bind(new.created_at.as_millis())
            .bind(new.expires_at.as_millis())
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Redeems a reset token: sets the new password hash, proves the address,
    /// ends every session and voids the user's other reset tokens, in one
    /// transaction. `None` (nothing changed) for an unknown, used or expired
    /// token, or one sent to an address the account no longer has.
    pub async fn reset_password(
        &self,
        token_hash: &[u8],
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<PasswordReset>, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            async {
            let mut tx = pool.begin().await?;
            let Some(user) = redeem!(tx, token_hash, TokenPurpose::ResetPassword, now) else {
                return Ok(None);
            };
            sqlx::query(
                "UPDATE users SET password_hash = $2, updated_at = $3, \
                 email_verified_at = COALESCE(email_verified_at, $3) WHERE id = $1",
            )
            .bind(user)
            .bind(password_hash)
            .bind(now.as_millis())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE account_tokens SET used_at = $3 \
                 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
            )
            .bind(user)
            .bind(TokenPurpose::ResetPassword.as_str())
            .bind(now.as_millis())
            .execute(&mut *tx)
            .await?;
            let ended: Vec<Uuid> = sqlx::query_scalar(
                "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id",
            )
            .bind(user)
            .bind(now.as_millis())
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(PasswordReset {
                user_id: UserId(user),
                ended_sessions: ended.into_iter().map(SessionId).collect(),
            }))
        }
        .await
        })?)
    }

    /// Redeems a verification token: the address it was sent to is proven,
    /// if the account still has it. `None` otherwise (nothing changed).
    pub async fn verify_email(
        &self,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<Option<UserId>, StoreError> {
        Ok(with_pool!(self, write, |pool| async {
            let mut tx = pool.begin().await?;
            let Some(user) = redeem!(tx, token_hash, TokenPurpose::VerifyEmail, now) else {
                return Ok(None);
            };
            sqlx::query("UPDATE users SET email_verified_at = $2 WHERE id = $1")
                .bind(user)
                .bind(now.as_millis())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(UserId(user)))
        }
        .await)?)
    }
}
