//! Account recovery by mail: password reset and e-mail verification with
//! single-use, expiring links whose tokens are stored hashed. Asking for a
//! reset answers the same whether or not the account exists; a reset ends
//! every session (and disconnects their sockets).

use crate::auth::refresh;
use crate::delivery::{Effect, Outcome, Room};
use crate::mail::Mail;
use crate::state::AppState;
use parley_core::account::NewPassword;
use parley_core::{Error, ErrorCode, Result, Timestamp, UserId};
use parley_store::account_tokens::{NewAccountToken, TokenPurpose};
use std::time::Duration;

/// How long a reset link works.
pub const RESET_TTL: Duration = Duration::from_secs(3600);
/// How long a verification link works.
pub const VERIFY_TTL: Duration = Duration::from_secs(24 * 3600);

/// Mails a reset link if `login` (username or e-mail) names an account with
/// an address; nothing is said either way.
pub async fn request_password_reset(state: &AppState, login: &str) -> Result<()> {
    let login = login.trim();
    if login.is_empty() || login.len() > 254 {
        return Ok(());
    }
    let Some(user) = state.store.user_by_login(login).await? else {
        return Ok(());
    };
    let Some(email) = user.email else {
        return Ok(());
    };
    let token = issue(
        state,
        user.id,
        TokenPurpose::ResetPassword,
        &email,
        RESET_TTL,
    )
    .await?;
    state.mailer.send_later(Mail {
        to: email,
        subject: "Reset your Parley password".into(),
        body: format!(
            "Someone (hopefully you) asked to reset the password of @{}.\n\n\
             Choose a new one here within an hour:\n{}/reset-password?token={token}\n\n\
             If it was not you, ignore this mail: your password stays as it is.\n",
            user.username, state.config.public_url
        ),
    });
    Ok(())
}

/// Sets a new password with a reset link's token and ends every session.
pub async fn reset_password(state: &AppState, token: &str, new: &str) -> Result<Outcome<()>> {
    let new = NewPassword::parse(new).map_err(|why| Error::validation("new_password", why))?;
    let hash = state.passwords.hash(new.expose()).await?;
    let reset = state
        .store
        .reset_password(&refresh::hash(token), &hash, Timestamp::now())
        .await?
        .ok_or(Error::Refused(ErrorCode::InvalidToken))?;
    tracing::info!(user_id = %reset.user_id, sessions = reset.ended_sessions.len(), "password reset by mail");
    let sockets = Effect::Disconnect(
        reset
            .ended_sessions
            .into_iter()
            .map(Room::Session)
            .collect(),
    );
    Ok(Outcome::quiet(()).with(sockets))
}

/// Mails me a link that proves my address.
pub async fn request_email_verification(state: &AppState, me: UserId) -> Result<()> {
    let user = crate::services::profiles::me(state, me).await?;
    let Some(email) = user.email else {
        return Err(Error::validation(
            "email",
            "your account has no e-mail address",
        ));
    };
    let token = issue(state, me, TokenPurpose::VerifyEmail, &email, VERIFY_TTL).await?;
    state.mailer.send_later(Mail {
        to: email,
        subject: "Confirm your e-mail address for Parley".into(),
        body: format!(
            "Confirm that this address belongs to @{} within a day:\n\
             {}/verify-email?token={token}\n",
            user.username, state.config.public_url
        ),
    });
    Ok(())
}

/// Proves the address a verification link was sent to.
pub async fn verify_email(state: &AppState, token: &str) -> Result<()> {
    state
        .store
        .verify_email(&refresh::hash(token), Timestamp::now())
        .await?
        .ok_or(Error::Refused(ErrorCode::InvalidToken))?;
    Ok(())
}

/// A new random token of `purpose` for `email`, stored as its hash.
async fn issue(
    state: &AppState,
    user: UserId,
    purpose: TokenPurpose,
    email: &str,
    ttl: Duration,
) -> Result<String> {
    let token = refresh::generate();
    let now = Timestamp::now();
    state
        .store
        .create_account_token(&NewAccountToken {
            token_hash: refresh::hash(&token),
            user_id: user,
            purpose,
            email: email.to_owned(),
            created_at: now,
            expires_at: now.plus(ttl),
        })
        .await?;
    Ok(token)
}
