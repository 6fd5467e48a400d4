//! Presence: a user is online while any of their sockets is connected (tabs,
//! devices), and goes offline — with `last_seen_at` recorded — when the last
//! one closes. Counts are per node; with several nodes behind Redis a user is
//! reported by each node they hold sockets on (shared counting belongs with
//! the Redis adapter).
//!
//! Who hears about it: users who share a conversation with the user, users
//! who follow them, and sockets that asked with `presence:watch` (they sit in
//! the `presence:{id}` room).

use crate::realtime::gateway::user_room;
use crate::state::AppState;
use dashmap::DashMap;
use parley_core::{Timestamp, UserId};
use serde::Serialize;
use std::sync::Arc;

/// The `presence` event payload and the `presence:watch` answer.
#[derive(Debug, Clone, Serialize)]
pub struct PresenceState {
    pub user_id: UserId,
    pub online: bool,
    pub last_seen_at: Option<Timestamp>,
}

/// The room of sockets watching `user`'s presence.
pub fn watch_room(user: UserId) -> String {
    format!("presence:{user}")
}

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

/// Everyone who should hear about `user`'s presence, as rooms.
async fn audience(state: &AppState, user: UserId) -> Vec<String> {
    let mut rooms = vec![watch_room(user)];
    match state.store.conversation_peers(user).await {
        Ok(peers) => rooms.extend(peers.into_iter().map(user_room)),
        Err(e) => tracing::warn!(error = %e, "presence: loading conversation peers failed"),
    }
    match state.store.follower_ids(user).await {
        Ok(followers) => rooms.extend(followers.into_iter().map(user_room)),
        Err(e) => tracing::warn!(error = %e, "presence: loading followers failed"),
    }
    rooms.sort_unstable();
    rooms.dedup();
    rooms
}

/// A socket of `user` connected: announce them online if it is their first.
pub async fn socket_connected(state: &AppState, user: UserId) {
    if state.presence.connected(user) {
        let event = PresenceState {
            user_id: user,
            online: true,
            last_seen_at: None,
        };
        state
            .realtime
            .emit_to_rooms(audience(state, user).await, "presence", &event)
            .await;
    }
}

/// A socket of `user` closed: if it was the last, record when they were last
/// seen and announce them offline.
pub async fn socket_disconnected(state: &AppState, user: UserId) {
    if !state.presence.disconnected(user) {
        return;
    }
    let now = Timestamp::now();
    if let Err(e) = state.store.set_last_seen(user, now).await {
        tracing::warn!(error = %e, "presence: recording last_seen_at failed");
    }
    let event = PresenceState {
        user_id: user,
        online: false,
        last_seen_at: Some(now),
    };
    state
        .realtime
        .emit_to_rooms(audience(state, user).await, "presence", &event)
        .await;
}

/// The current presence of `users`, for `presence:watch`.
pub async fn snapshot(
    state: &AppState,
    users: &[UserId],
) -> parley_core::Result<Vec<PresenceState>> {
    let mut out = Vec::with_capacity(users.len());
    for (id, last_seen) in state.store.last_seen_of(users).await? {
        let user_id = UserId(id);
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
