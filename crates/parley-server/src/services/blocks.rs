//! Blocking and muting other users, and the lists of both.
//!
//! A block keeps two people out of each other's space: neither sees the
//! other's posts, comments or notifications, the blocked user cannot find or
//! open the blocker's profile, the follows between them end, and neither can
//! follow the other, start a direct conversation, send a direct message or
//! add the other to a group. Groups they already share stay (each client
//! hides a blocked member's messages). A mute only takes the muted user's
//! posts out of the muter's feeds and their notifications out of the
//! muter's list; nothing changes for the muted user. The filters live in the
//! store's queries ([`parley_store::blocks`]); this module owns the rules.

use crate::delivery::Outcome;
use crate::protocol::views::{User, UserSummary};
use crate::services::social::{self, summaries};
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::{Error, ErrorCode, Result, Timestamp, UserId};
use parley_store::blocks::Restriction;

/// Blocks or mutes (`on`) `username`, or lifts it; idempotent either way.
/// Returns the user as `me` now sees them.
pub async fn set(
    state: &AppState,
    me: UserId,
    username: &str,
    kind: Restriction,
    on: bool,
) -> Result<Outcome<User>> {
    let other = social::target(state, username).await?;
    if other.user_id() == me {
        let why = match kind {
            Restriction::Block => "you cannot block yourself",
            Restriction::Mute => "you cannot mute yourself",
        };
        return Err(Error::validation("username", why));
    }
    if on {
        state
            .store
            .restrict(kind, me, other.user_id(), Timestamp::now())
            .await?;
    } else {
        state.store.unrestrict(kind, me, other.user_id()).await?;
    }
    // Read back: a block moved both follower counters.
    let fresh = state
        .store
        .user_by_id(other.user_id())
        .await?
        .ok_or(Error::NotFound)?;
    let mut view = User::from_record(&fresh);
    // Not `social::profile`: that hides someone who blocks `me` too, and
    // this answer is about the block `me` just made.
    social::with_relationship(
        &mut view,
        state.store.relationship(me, other.user_id()).await?,
    );
    view.online = state.presence.is_online(other.user_id()).await;
    Ok(Outcome::quiet(view))
}

/// The people `me` blocks (or mutes), most recent first.
pub async fn list(
    state: &AppState,
    me: UserId,
    kind: Restriction,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<UserSummary>> {
    let rows = state
        .store
        .restriction_page(kind, me, cursor, limit)
        .await?;
    Ok(summaries(rows, limit, |r| Cursor {
        at: r.since,
        id: r.id.0,
    }))
}

/// Refuses with `blocked` when `me` and any of `others` block one another.
pub async fn ensure_none_between(state: &AppState, me: UserId, others: &[UserId]) -> Result<()> {
    if state.store.blocked_among(me, others).await?.is_empty() {
        Ok(())
    } else {
        Err(Error::Refused(ErrorCode::Blocked))
    }
}
