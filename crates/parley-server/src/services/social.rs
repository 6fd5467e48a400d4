//! The social graph: following, follower lists, user search, and profiles
//! seen through the viewer's relationship to them.

use crate::delivery::Outcome;
use crate::protocol::views::{User, UserSummary};
use crate::services::notifications::{self, Event};
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use parley_core::page::{Cursor, Page};
use parley_core::{Error, ErrorCode, NotificationKind, Result, Timestamp, UserId};
use parley_store::UserRecord;
use parley_store::follows::{FollowSide, Relationship, UserSummaryRecord};

/// A profile, with `followed_by_me` / `follows_me` / `blocking` / `muting`
/// when someone else views it. Someone who blocks the viewer does not exist
/// for them (404), as in their search results.
pub async fn profile(state: &AppState, user: &UserRecord, viewer: Option<UserId>) -> Result<User> {
    let mut view = User::from_record(user);
    if let Some(viewer) = viewer
        && viewer != user.user_id()
    {
        let rel = state.store.relationship(viewer, user.user_id()).await?;
        if rel.blocked_by {
            return Err(Error::NotFound);
        }
        with_relationship(&mut view, rel);
    }
    view.online = state.presence.is_online(user.user_id()).await;
    Ok(view)
}

/// Fills in the viewer's relationship flags on someone else's profile.
pub(crate) fn with_relationship(view: &mut User, rel: Relationship) {
    view.followed_by_me = Some(rel.followed_by_me);
    view.follows_me = Some(rel.follows_me);
    view.blocking = Some(rel.blocking);
    view.muting = Some(rel.muting);
}

pub(crate) async fn target(state: &AppState, username: &str) -> Result<UserRecord> {
    state
        .store
        .user_by_username(&username.trim().to_lowercase())
        .await?
        .ok_or(Error::NotFound)
}

/// Follows (`follow = true`) or unfollows `username`; idempotent. Returns the
/// followed user as the follower now sees them.
pub async fn set_follow(
    state: &AppState,
    me: UserId,
    username: &str,
    follow: bool,
) -> Result<Outcome<User>> {
    let other = target(state, username).await?;
    if other.user_id() == me {
        return Err(Error::validation("username", "you cannot follow yourself"));
    }
    if follow && state.store.blocked_between(me, other.user_id()).await? {
        return Err(Error::Refused(ErrorCode::Blocked));
    }
    // A new follow notifies the followed user, in the follow's transaction.
    let rows = if follow {
        notifications::rows(
            state,
            [Event {
                kind: NotificationKind::Follow,
                recipient: other.user_id(),
                actor: me,
                post_id: None,
                comment_id: None,
            }],
        )
        .await?
    } else {
        Vec::new()
    };
    let created = if follow {
        state
            .store
            .follow(me, other.user_id(), Timestamp::now(), rows.first())
            .await?
    } else {
        state.store.unfollow(me, other.user_id()).await?;
        false
    };
    let effects = if created {
        notifications::announce(state, &rows).await
    } else {
        Vec::new()
    };
    let fresh = state
        .store
        .user_by_id(other.user_id())
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Outcome::new(
        profile(state, &fresh, Some(me)).await?,
        effects,
    ))
}

pub(crate) fn summaries(
    rows: Vec<UserSummaryRecord>,
    limit: u32,
    cursor_of: impl Fn(&UserSummaryRecord) -> Cursor,
) -> Page<UserSummary> {
    Page::from_overfetch(rows, limit, cursor_of)
        .map(|r| UserSummary::new(r.id, &r.username, &r.display_name, r.avatar_key.as_deref()))
}

/// Who follows `username` (`Followers`) or whom they follow (`Following`),
/// most recent first.
pub async fn follow_list(
    state: &AppState,
    username: &str,
    side: FollowSide,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<UserSummary>> {
    let user = target(state, username).await?;
    let rows = state
        .store
        .follow_page(user.user_id(), side, cursor, limit)
        .await?;
    Ok(summaries(rows, limit, |r| Cursor {
        at: r.since,
        id: r.id.0,
    }))
}

/// Users whose username or display name starts with `q`, by username. The
/// opaque cursor carries the last username of the previous page.
pub async fn search(
    state: &AppState,
    viewer: Option<UserId>,
    q: &str,
    cursor: Option<&str>,
    limit: u32,
) -> Result<(Vec<UserSummary>, Option<String>)> {
    let q = q.trim();
    if q.is_empty() {
        return Err(Error::validation("q", "must not be empty"));
    }
    if q.chars().count() > 50 {
        return Err(Error::validation("q", "must be at most 50 characters"));
    }
    let after = cursor
        .filter(|c| !c.is_empty())
        .map(decode_name_cursor)
        .transpose()?;
    let mut rows = state
        .store
        .search_users(q, viewer, after.as_deref(), limit)
        .await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|r| URL_SAFE_NO_PAD.encode(&r.username))
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|r| UserSummary::new(r.id, &r.username, &r.display_name, r.avatar_key.as_deref()))
        .collect();
    Ok((items, next))
}

fn decode_name_cursor(raw: &str) -> Result<String> {
    let invalid = || Error::validation("cursor", "is not a valid cursor");
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
    let name = String::from_utf8(bytes).map_err(|_| invalid())?;
    parley_core::account::Username::parse(&name)
        .map(|u| u.into_inner())
        .map_err(|_| invalid())
}
