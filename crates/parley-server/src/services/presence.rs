//! Presence: a user is online while any of their sockets is connected (tabs,
//! devices), and goes offline — with `last_seen_at` recorded — when the last
//! one closes. Counts are per node; with several nodes behind Redis a user is
//! reported by each node they hold sockets on (shared counting belongs with
//! the Redis adapter).
//!
//! Who hears about it ([`Audience::PresenceOf`]): users who share a
//! conversation with the user, users who follow them, and sockets that asked
//! with `presence:watch`. The transport reports sockets coming and going; this
//! service decides what that means.

use crate::delivery::{Audience, Effect, Outcome};
use crate::protocol::events::{Presence as PresenceState, ServerEvent};
use crate::state::AppState;
use dashmap::DashMap;
use parley_core::{Error, Result, Timestamp, UserId};
use std::sync::Arc;

/// Most users one `presence:watch` may name.
pub const MAX_WATCHED: usize = 200;

/// Connected sockets per user on this node.
#[derive(Clone, Default)]
pub struct Presence {
    sockets: Arc<DashMap<UserId, usize>>,
}

impl std::fmt::Debug for Presence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presence")
            .field("online_users", &self.sockets.len())
            .finish()
    }
}

impl Presence {
    pub fn is_online(&self, user: UserId) -> bool {
        self.sockets.get(&user).is_some_and(|n| *n > 0)
    }

    /// Counts a new socket; true if the user just came online.
    fn connected(&self, user: UserId) -> bool {
        let mut n = self.sockets.entry(user).or_insert(0);
        *n += 1;
        *n == 1
    }

    /// Uncounts a socket; true if it was the user's last.
    fn disconnected(&self, user: UserId) -> bool {
        let last = match self.sockets.get_mut(&user) {
            Some(mut n) => {
                *n = n.saturating_sub(1);
                *n == 0
            }
            None => false,
        };
        if last {
            self.sockets.remove_if(&user, |_, n| *n == 0);
        }
        last
    }
}

fn announce(state: PresenceState) -> Effect {
    Effect::emit(
        Audience::PresenceOf(state.user_id),
        ServerEvent::Presence(state),
    )
}

/// A socket of `user` connected: announce them online if it is their first.
pub fn socket_connected(state: &AppState, user: UserId) -> Outcome<()> {
    if !state.presence.connected(user) {
        return Outcome::quiet(());
    }
    Outcome::quiet(()).with(announce(PresenceState {
        user_id: user,
        online: true,
        last_seen_at: None,
    }))
}

/// A socket of `user` closed: if it was the last, record when they were last
/// seen and announce them offline.
pub async fn socket_disconnected(state: &AppState, user: UserId) -> Outcome<()> {
    if !state.presence.disconnected(user) {
        return Outcome::quiet(());
    }
    let now = Timestamp::now();
    if let Err(e) = state.store.set_last_seen(user, now).await {
        tracing::warn!(error = %e, "presence: recording last_seen_at failed");
    }
    Outcome::quiet(()).with(announce(PresenceState {
        user_id: user,
        online: false,
        last_seen_at: Some(now),
    }))
}

/// The current presence of `users`, for `presence:watch` (at most
/// [`MAX_WATCHED`]; the transport then subscribes the socket to them).
pub async fn watch(state: &AppState, users: &[UserId]) -> Result<Vec<PresenceState>> {
    if users.len() > MAX_WATCHED {
        return Err(Error::validation(
            "user_ids",
            format!("at most {MAX_WATCHED} users"),
        ));
    }
    let mut out = Vec::with_capacity(users.len());
    for (id, last_seen) in state.store.last_seen_of(users).await? {
        let user_id = UserId::from(id);
        out.push(PresenceState {
            user_id,
            online: state.presence.is_online(user_id),
            last_seen_at: last_seen.map(Timestamp),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn online_while_any_socket_is_connected() {
        let p = Presence::default();
        let u = UserId::new();
        assert!(!p.is_online(u));
        assert!(p.connected(u), "first socket brings the user online");
        assert!(!p.connected(u), "a second tab changes nothing");
        assert!(!p.disconnected(u), "one tab left");
        assert!(p.is_online(u));
        assert!(p.disconnected(u), "last tab closed");
        assert!(!p.is_online(u));
        assert!(
            !p.disconnected(u),
            "an unknown user never goes offline twice"
        );
    }
}
