//! Accounts and sessions: sign-up, sign-in, refresh-token rotation, sign-out.

use crate::auth::refresh;
use crate::delivery::{Effect, Outcome, Room};
use crate::state::AppState;
use parley_core::account::{Email, NewPassword, Username, parse_display_name};
use parley_core::{Error, ErrorCode, FieldErrors, Result, SessionId, Timestamp, UserId};
use parley_store::{
    NewSession, NewUser, RefreshOutcome, RotationExpiry, SessionOrigin, SessionRecord, UserRecord,
};
use std::time::Duration;

/// A session just created or refreshed, with the secrets to hand out once.
#[derive(Debug)]
pub struct IssuedSession {
    pub user: UserRecord,
    pub session_id: SessionId,
    pub access_token: String,
    pub refresh_token: String,
    pub remember: bool,
}

impl IssuedSession {
    /// How long the refresh token lives.
    pub fn refresh_ttl(&self, state: &AppState) -> Duration {
        refresh_ttl(state, self.remember)
    }
}

fn refresh_ttl(state: &AppState, remember: bool) -> Duration {
    if remember {
        state.config.remember_token_ttl
    } else {
        state.config.refresh_token_ttl
    }
}

#[derive(Debug)]
pub struct SignUp {
    pub username: String,
    pub email: String,
    pub password: String,
    pub display_name: Option<String>,
    pub origin: SessionOrigin,
}

pub async fn sign_up(state: &AppState, input: SignUp) -> Result<IssuedSession> {
    let mut errors = FieldErrors::new();
    let username = errors.check("username", Username::parse(&input.username));
    let email = errors.check("email", Email::parse(&input.email));
    let password = errors.check("password", NewPassword::parse(&input.password));
    let display_name = match input.display_name.as_deref() {
        Some(raw) => errors.check("display_name", parse_display_name(raw)),
        None => None,
    };
    if let (Some(u), Some(p)) = (&username, &password)
        && p.expose().to_lowercase().contains(u.as_str())
    {
        errors.add("password", "must not contain your username");
    }
    errors.finish()?;
    let (Some(username), Some(email), Some(password)) = (username, email, password) else {
        return Err(Error::internal("validated fields missing"));
    };
    let password_hash = state.passwords.hash(password.expose()).await?;
    let new = NewUser {
        id: UserId::new(),
        display_name: display_name.unwrap_or_else(|| username.as_str().to_owned()),
        username: username.into_inner(),
        email: Some(email.into_inner()),
        password_hash: Some(password_hash),
        created_at: Timestamp::now(),
    };
    let user = state.store.create_user(&new).await?;
    start_session(state, user, false, SignedInWith::Password, input.origin).await
}

/// The key of the per-account failed-sign-in budget: the account's id when
/// `login` names one (so username and email share it), else the login text.
pub async fn throttle_key(state: &AppState, login: &str) -> Result<String> {
    let login = login.trim().to_lowercase();
    let user = if login.is_empty() || login.len() > 254 {
        None
    } else {
        state.store.user_by_login(&login).await?
    };
    Ok(match user {
        Some(user) => format!("signin:account:{}", user.id),
        None => format!("signin:login:{login}"),
    })
}

/// Signs in by username or email. Unknown user and wrong password are the
/// same error, and take the same time (the dummy hash is verified).
pub async fn sign_in(
    state: &AppState,
    login: &str,
    password: &str,
    remember: bool,
    origin: SessionOrigin,
) -> Result<IssuedSession> {
    let user = if login.trim().is_empty() || login.len() > 254 {
        None
    } else {
        state.store.user_by_login(login).await?
    };
    let ok = state
        .passwords
        .verify(
            user.as_ref().and_then(|u| u.password_hash.as_deref()),
            password,
        )
        .await?;
    match user {
        Some(user) if ok => {
            start_session(state, user, remember, SignedInWith::Password, origin).await
        }
        _ => Err(Error::Refused(ErrorCode::InvalidCredentials)),
    }
}

/// How a session was signed in, as its row records it.
#[derive(Debug, Clone, Copy)]
pub enum SignedInWith<'a> {
    Password,
    /// Through this provider (its configured name).
    Provider(&'a str),
}

impl SignedInWith<'_> {
    fn as_str(&self) -> &str {
        match self {
            Self::Password => "password",
            Self::Provider(name) => name,
        }
    }
}

/// A new session (refresh family) for `user`, and its first tokens.
pub async fn start_session(
    state: &AppState,
    user: UserRecord,
    remember: bool,
    with: SignedInWith<'_>,
    origin: SessionOrigin,
) -> Result<IssuedSession> {
    // Every sign-in (password, provider) ends here, after the credentials
    // were checked, so a suspension is never told to a stranger.
    if user.suspended_at.is_some() {
        return Err(Error::Refused(ErrorCode::AccountSuspended));
    }
    let now = Timestamp::now();
    let session_id = SessionId::new();
    let refresh_token = refresh::generate();
    state
        .store
        .create_session(&NewSession {
            id: session_id,
            user_id: user.user_id(),
            remember,
            signed_in_with: with.as_str().to_owned(),
            origin,
            created_at: now,
            expires_at: now.plus(refresh_ttl(state, remember)),
            token_hash: refresh::hash(&refresh_token),
        })
        .await?;
    let access_token = state.tokens.issue(user.user_id(), session_id)?;
    Ok(IssuedSession {
        user,
        session_id,
        access_token,
        refresh_token,
        remember,
    })
}

/// Exchanges a refresh token for a new one (and a new access token). A token
/// used twice revokes its whole family.
pub async fn refresh(state: &AppState, presented: &str) -> Result<IssuedSession> {
    let now = Timestamp::now();
    let new_token = refresh::generate();
    let expiry = RotationExpiry {
        short: now.plus(state.config.refresh_token_ttl),
        remembered: now.plus(state.config.remember_token_ttl),
    };
    let outcome = state
        .store
        .rotate_refresh_token(
            &refresh::hash(presented),
            &refresh::hash(&new_token),
            now,
            expiry,
        )
        .await?;
    match outcome {
        RefreshOutcome::Rotated {
            session_id,
            user_id,
            remember,
        } => {
            let user = state
                .store
                .user_by_id(user_id)
                .await?
                .ok_or(Error::Refused(ErrorCode::InvalidRefreshToken))?;
            if user.suspended_at.is_some() {
                // Suspension revoked the session; this is a refresh that
                // raced it. End the session for good.
                state.store.revoke_session(session_id, now).await?;
                return Err(Error::Refused(ErrorCode::AccountSuspended));
            }
            let access_token = state.tokens.issue(user_id, session_id)?;
            Ok(IssuedSession {
                user,
                session_id,
                access_token,
                refresh_token: new_token,
                remember,
            })
        }
        RefreshOutcome::Reused {
            session_id,
            user_id,
        } => {
            tracing::warn!(%session_id, %user_id, "refresh token reused: session family revoked");
            // Whoever holds the session's sockets may be the thief.
            // The revocation is committed; this error path delivers its effect itself.
            state
                .delivery
                .deliver(vec![Effect::Disconnect(vec![Room::Session(session_id)])])
                .await;
            Err(Error::Refused(ErrorCode::RefreshTokenReused))
        }
        RefreshOutcome::Invalid => Err(Error::Refused(ErrorCode::InvalidRefreshToken)),
    }
}

/// Ends the session (its refresh family), disconnects its sockets and
/// records when the user was last seen.
pub async fn sign_out(
    state: &AppState,
    user_id: UserId,
    session_id: SessionId,
) -> Result<Outcome<()>> {
    let now = Timestamp::now();
    state.store.revoke_session(session_id, now).await?;
    state.store.set_last_seen(user_id, now).await?;
    Ok(Outcome::quiet(()).with(Effect::Disconnect(vec![Room::Session(session_id)])))
}

/// The user's live sessions, most recently used first.
pub async fn sessions(state: &AppState, user_id: UserId) -> Result<Vec<SessionRecord>> {
    Ok(state
        .store
        .live_sessions_of(user_id, Timestamp::now())
        .await?)
}

/// Signs out one of the user's sessions (any of them, this one included)
/// and disconnects its sockets; someone else's, or an ended one, is 404.
pub async fn end_session(
    state: &AppState,
    user_id: UserId,
    session_id: SessionId,
) -> Result<Outcome<()>> {
    if !state
        .store
        .revoke_session_of(user_id, session_id, Timestamp::now())
        .await?
    {
        return Err(Error::NotFound);
    }
    Ok(Outcome::quiet(()).with(Effect::Disconnect(vec![Room::Session(session_id)])))
}

/// Signs out every session of the user but `keep`, and disconnects their
/// sockets; returns how many ended.
pub async fn end_other_sessions(
    state: &AppState,
    user_id: UserId,
    keep: SessionId,
) -> Result<Outcome<usize>> {
    let ended = state
        .store
        .revoke_other_sessions(user_id, Some(keep), Timestamp::now())
        .await?;
    let sockets = Effect::Disconnect(ended.iter().copied().map(Room::Session).collect());
    Ok(Outcome::quiet(ended.len()).with(sockets))
}
