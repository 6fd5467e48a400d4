//! Profiles: reading users, editing one's own profile, changing the password
//! (which signs out every other session) and deleting the account.

use crate::delivery::{Effect, Outcome, Room};
use crate::state::AppState;
use parley_core::account::{NewPassword, parse_bio, parse_display_name, parse_status_message};
use parley_core::{Error, ErrorCode, FieldErrors, Result, SessionId, Timestamp, UserId};
use parley_store::{ProfileChanges, UserRecord};
use std::time::Duration;

pub async fn by_username(state: &AppState, username: &str) -> Result<UserRecord> {
    let username = username.trim().to_lowercase();
    state
        .store
        .user_by_username(&username)
        .await?
        .ok_or(Error::NotFound)
}

pub async fn me(state: &AppState, user_id: UserId) -> Result<UserRecord> {
    // The session was live a moment ago; a missing user means it was just deleted.
    state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::Refused(ErrorCode::Unauthorized))
}

#[derive(Debug, Default)]
pub struct ProfileEdit {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub status_message: Option<String>,
}

pub async fn update(state: &AppState, user_id: UserId, edit: ProfileEdit) -> Result<UserRecord> {
    let mut errors = FieldErrors::new();
    let changes = ProfileChanges {
        display_name: edit
            .display_name
            .and_then(|v| errors.check("display_name", parse_display_name(&v))),
        bio: edit.bio.and_then(|v| errors.check("bio", parse_bio(&v))),
        status_message: edit
            .status_message
            .and_then(|v| errors.check("status_message", parse_status_message(&v))),
    };
    errors.finish()?;
    state
        .store
        .update_profile(user_id, &changes, Timestamp::now())
        .await?
        .ok_or(Error::Refused(ErrorCode::Unauthorized))
}

/// How long after a provider sign-in an account without a password may be
/// deleted: the provider's fresh word stands in for the password.
pub const FRESH_SIGN_IN: Duration = Duration::from_secs(10 * 60);

/// Checks `password` against the account's; a wrong or missing one is a
/// field error, not a 401, because the caller *is* signed in.
async fn confirm_password(
    state: &AppState,
    user: &UserRecord,
    field: &str,
    password: Option<&str>,
) -> Result<()> {
    let Some(password) = password else {
        return Err(Error::validation(field, "is required"));
    };
    if state
        .passwords
        .verify(user.password_hash.as_deref(), password)
        .await?
    {
        Ok(())
    } else {
        Err(Error::validation(field, "is not your current password"))
    }
}

/// Sets a new password, revokes every other session and disconnects their
/// sockets; returns their ids. An account that has a password must give it
/// (`current`); one made by a provider, which has none, sets its first.
pub async fn change_password(
    state: &AppState,
    user_id: UserId,
    session_id: SessionId,
    current: Option<&str>,
    new: &str,
) -> Result<Outcome<Vec<SessionId>>> {
    let user = me(state, user_id).await?;
    let new = NewPassword::parse(new).map_err(|why| Error::validation("new_password", why))?;
    if new.expose().to_lowercase().contains(&user.username) {
        return Err(Error::validation(
            "new_password",
            "must not contain your username",
        ));
    }
    if user.password_hash.is_some() {
        confirm_password(state, &user, "current_password", current).await?;
    }
    let hash = state.passwords.hash(new.expose()).await?;
    let now = Timestamp::now();
    state.store.set_password_hash(user_id, &hash, now).await?;
    let revoked = state
        .store
        .revoke_other_sessions(user_id, Some(session_id), now)
        .await?;
    let sockets = Effect::Disconnect(revoked.iter().copied().map(Room::Session).collect());
    Ok(Outcome::quiet(revoked).with(sockets))
}

/// Deletes the account and everything it owns, after confirming the
/// password (or, for an account without one, that this session was signed in
/// through a provider in the last [`FRESH_SIGN_IN`]), and disconnects all of
/// its sockets.
pub async fn delete_account(
    state: &AppState,
    user_id: UserId,
    session_id: SessionId,
    password: Option<&str>,
) -> Result<Outcome<()>> {
    let user = me(state, user_id).await?;
    if user.password_hash.is_some() {
        confirm_password(state, &user, "password", password).await?;
    } else {
        let now = Timestamp::now();
        let fresh = match state.store.session_sign_in(session_id, now).await? {
            Some((with, at)) => with != "password" && at.plus(FRESH_SIGN_IN) > now,
            None => false,
        };
        if !fresh {
            return Err(Error::Refused(ErrorCode::FreshSignInRequired));
        }
    }
    // Their words go from every thread and conversation, and every counter
    // that counted them is corrected: comments on others' posts one thread at
    // a time (replies go with them), chat messages erased in place (the
    // history keeps its seq), then the account with its follows and likes.
    for comment in state.store.comment_ids_by_on_others(user_id).await? {
        state.store.delete_comment(comment).await?;
    }
    state
        .store
        .erase_messages_of(user_id, Timestamp::now())
        .await?;
    state.store.delete_user(user_id).await?;
    // Its uploads and avatar are garbage now; their files go at once.
    state.media.sweep_soon();
    Ok(Outcome::quiet(()).with(Effect::Disconnect(vec![Room::User(user_id)])))
}
