//! Accounts behind provider sign-ins: who `(provider, subject)` is, the
//! account a first sign-in creates, and linking and unlinking providers.
//! An e-mail never decides whose account it is: a provider's address equal
//! to a local account's makes a separate account (without that address).

use crate::oauth::profile::Profile;
use crate::services::accounts::{self, IssuedSession, SignedInWith};
use crate::state::AppState;
use parley_core::account::{Email, Username, parse_display_name};
use parley_core::{Error, ErrorCode, Result, Timestamp, UserId};
use parley_store::{IdentityRecord, NewIdentity, NewUser, SessionOrigin, StoreError, Unlink};

/// Signs in the person `profile` describes, creating their account on a
/// first visit.
pub async fn sign_in(
    state: &AppState,
    provider: &str,
    profile: &Profile,
    remember: bool,
    origin: SessionOrigin,
) -> Result<IssuedSession> {
    let with = SignedInWith::Provider(provider);
    if let Some(user) = known_user(state, provider, profile).await? {
        return accounts::start_session(state, user, remember, with, origin).await;
    }
    let identity = NewIdentity {
        provider: provider.to_owned(),
        subject: profile.subject.clone(),
        email: profile.email.clone(),
    };
    // The provider's address only when it vouches for it; dropped if an
    // account has it already (that account stays whoever's it is).
    let mut email = profile
        .email
        .as_deref()
        .filter(|_| profile.email_verified)
        .and_then(|e| Email::parse(e).ok())
        .map(Email::into_inner);
    // Collected first: an iterator with a closure held across the awaits
    // below would make this future not `Send`.
    let names: Vec<Username> = profile
        .username_candidates(provider)
        .iter()
        .filter_map(|c| Username::parse(c).ok())
        .collect();
    let mut next = 0;
    while let Some(username) = names.get(next) {
        let new = NewUser {
            id: UserId::new(),
            username: username.as_str().to_owned(),
            display_name: parse_display_name(&profile.display_name(username.as_str()))
                .unwrap_or_else(|_| username.as_str().to_owned()),
            email: email.clone(),
            password_hash: None,
            created_at: Timestamp::now(),
        };
        match state
            .store
            .create_user_with_identity(&new, Some(&identity))
            .await
        {
            Ok(user) => {
                tracing::info!(user_id = %user.id, provider, "signed up through a provider");
                return accounts::start_session(state, user, remember, with, origin).await;
            }
            Err(StoreError::Conflict(ErrorCode::UsernameTaken)) => next += 1,
            Err(StoreError::Conflict(ErrorCode::EmailTaken)) => email = None,
            // The same person's first sign-in finished a moment ago elsewhere.
            Err(StoreError::Conflict(ErrorCode::IdentityTaken)) => {
                let user = known_user(state, provider, profile)
                    .await?
                    .ok_or_else(|| Error::internal("identity taken but not found"))?;
                return accounts::start_session(state, user, remember, with, origin).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::internal(
        "no free username for a new provider account",
    ))
}

async fn known_user(
    state: &AppState,
    provider: &str,
    profile: &Profile,
) -> Result<Option<parley_store::UserRecord>> {
    let now = Timestamp::now();
    let Some(user_id) = state
        .store
        .use_identity(provider, &profile.subject, profile.email.as_deref(), now)
        .await?
    else {
        return Ok(None);
    };
    Ok(state.store.user_by_id(user_id).await?)
}

/// Links the provider account `profile` describes to `user`:
/// `identity_taken` if it is someone's already (this user's included) or
/// the user has another account of this provider linked.
pub async fn link(state: &AppState, user: UserId, provider: &str, profile: &Profile) -> Result<()> {
    let identity = NewIdentity {
        provider: provider.to_owned(),
        subject: profile.subject.clone(),
        email: profile.email.clone(),
    };
    state
        .store
        .link_identity(user, &identity, Timestamp::now())
        .await?;
    tracing::info!(user_id = %user, provider, "provider linked");
    Ok(())
}

pub async fn linked(state: &AppState, user: UserId) -> Result<Vec<IdentityRecord>> {
    Ok(state.store.identities_of(user).await?)
}

/// Unlinks `provider` from `user`: `not_found` if it is not linked,
/// `last_sign_in_method` if the account would be left with no way in.
pub async fn unlink(state: &AppState, user: UserId, provider: &str) -> Result<()> {
    match state
        .store
        .unlink_identity(user, provider, Timestamp::now())
        .await?
    {
        Unlink::Unlinked => Ok(()),
        Unlink::NotLinked => Err(Error::NotFound),
        Unlink::LastMethod => Err(Error::Refused(ErrorCode::LastSignInMethod)),
    }
}
