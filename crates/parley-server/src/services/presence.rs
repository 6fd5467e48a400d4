//! Presence: a user is online while any of their sockets is connected (tabs,
//! devices, nodes), and goes offline — with `last_seen_at` recorded — when the
//! last one closes. Each node counts its own sockets here; with Redis the
//! transitions (a node's first and last socket of a user) are shared through
//! [`crate::shared::presence`], with per-node heartbeats so that a node that
//! dies does not leave its users online.
//!
//! Who hears about it ([`Audience::PresenceOf`]): users who share a
//! conversation with the user, users who follow them, and sockets that asked
//! with `presence:watch`. The transport reports sockets coming and going; this
//! service decides what that means.

use crate::delivery::{Audience, Effect, Outcome};
use crate::protocol::events::{Presence as PresenceState, ServerEvent};
use crate::shared::presence::{HEARTBEAT, SharedPresence};
use crate::state::AppState;
use dashmap::DashMap;
use parley_core::{Error, Result, Timestamp, UserId};
use std::sync::Arc;

/// Most users one `presence:watch` may name.
pub const MAX_WATCHED: usize = 200;

/// Connected sockets per user on this node, and the other nodes' view.
#[derive(Clone, Default)]
pub struct Presence {
    sockets: Arc<DashMap<UserId, usize>>,
    shared: Option<SharedPresence>,
}

impl std::fmt::Debug for Presence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presence")
            .field("online_users_here", &self.sockets.len())
            .field("shared", &self.shared.is_some())
            .finish()
    }
}

impl Presence {
    /// Presence across nodes, through Redis.
    pub fn shared(shared: SharedPresence) -> Self {
        Self {
            sockets: Arc::default(),
            shared: Some(shared),
        }
    }

    fn here(&self, user: UserId) -> bool {
        self.sockets.get(&user).is_some_and(|n| *n > 0)
    }

    /// Whether each of `users` is online on any node. With Redis away, what
    /// this node knows.
    pub async fn online(&self, users: &[UserId]) -> Vec<bool> {
        let here: Vec<bool> = users.iter().map(|u| self.here(*u)).collect();
        let Some(shared) = &self.shared else {
            return here;
        };
        match shared.online_elsewhere(users).await {
            Ok(elsewhere) => here.iter().zip(elsewhere).map(|(h, e)| *h || e).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "presence: Redis unavailable; answering for this node only");
                here
            }
        }
    }

    pub async fn is_online(&self, user: UserId) -> bool {
        self.online(&[user]).await.first().copied().unwrap_or(false)
    }

    /// Counts a new socket; true if the user just came online (everywhere).
    async fn connected(&self, user: UserId) -> bool {
        let first_here = {
            let mut n = self.sockets.entry(user).or_insert(0);
            *n += 1;
            *n == 1
        };
        if !first_here {
            return false;
        }
        match &self.shared {
            None => true,
            Some(shared) => shared.first_here(user).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "presence: Redis unavailable; announcing from this node");
                true
            }),
        }
    }

    /// Uncounts a socket; true if it was the user's last (everywhere).
    async fn disconnected(&self, user: UserId) -> bool {
        let last_here = match self.sockets.get_mut(&user) {
            Some(mut n) => {
                *n = n.saturating_sub(1);
                *n == 0
            }
            None => false,
        };
        if !last_here {
            return false;
        }
        self.sockets.remove_if(&user, |_, n| *n == 0);
        match &self.shared {
            None => true,
            Some(shared) => shared.last_here(user).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "presence: Redis unavailable; announcing from this node");
                true
            }),
        }
    }

    /// The users with a socket on this node.
    fn users_here(&self) -> Vec<UserId> {
        self.sockets.iter().map(|e| *e.key()).collect()
    }
}

fn announce(state: PresenceState) -> Effect {
    Effect::emit(
        Audience::PresenceOf(state.user_id),
        ServerEvent::Presence(state),
    )
}

/// A socket of `user` connected: announce them online if it is their first.
pub async fn socket_connected(state: &AppState, user: UserId) -> Outcome<()> {
    if !state.presence.connected(user).await {
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
    if !state.presence.disconnected(user).await {
        return Outcome::quiet(());
    }
    Outcome::new((), vec![went_offline(state, user).await])
}

/// Records when `user` was last seen and announces them offline.
async fn went_offline(state: &AppState, user: UserId) -> Effect {
    let now = Timestamp::now();
    if let Err(e) = state.store.set_last_seen(user, now).await {
        tracing::warn!(error = %e, "presence: recording last_seen_at failed");
    }
    announce(PresenceState {
        user_id: user,
        online: false,
        last_seen_at: Some(now),
    })
}

/// With Redis: beats every [`HEARTBEAT`] so the other nodes know this one is
/// alive, and announces offline the users of nodes that died. Runs until
/// aborted at shutdown, then leaves.
pub async fn heartbeat_periodically(state: AppState) {
    let Some(shared) = state.presence.shared.clone() else {
        return;
    };
    let mut tick = tokio::time::interval(HEARTBEAT);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match shared.beat(&state.presence.users_here()).await {
            Ok(gone) => {
                let mut effects = Vec::with_capacity(gone.len());
                for user in gone {
                    effects.push(went_offline(&state, user).await);
                }
                state.delivery.deliver(effects).await;
            }
            Err(e) => tracing::warn!(error = %e, "presence heartbeat failed (Redis unavailable?)"),
        }
    }
}

/// Takes this node out of the shared presence at shutdown.
pub async fn leave(state: &AppState) {
    if let Some(shared) = &state.presence.shared
        && let Err(e) = shared.leave().await
    {
        tracing::warn!(error = %e, "presence: leaving the shared registry failed");
    }
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
    let known = state.store.last_seen_of(users).await?;
    let ids: Vec<UserId> = known.iter().map(|(id, _)| *id).collect();
    let online = state.presence.online(&ids).await;
    Ok(known
        .into_iter()
        .zip(online)
        .map(|((user_id, last_seen), online)| PresenceState {
            user_id,
            online,
            last_seen_at: last_seen.map(Timestamp),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn online_while_any_socket_is_connected() {
        let p = Presence::default();
        let u = UserId::new();
        assert!(!p.is_online(u).await);
        assert!(p.connected(u).await, "first socket brings the user online");
        assert!(!p.connected(u).await, "a second tab changes nothing");
        assert!(!p.disconnected(u).await, "one tab left");
        assert!(p.is_online(u).await);
        assert!(p.disconnected(u).await, "last tab closed");
        assert!(!p.is_online(u).await);
        assert!(
            !p.disconnected(u).await,
            "an unknown user never goes offline twice"
        );
    }
}
