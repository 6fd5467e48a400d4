//! Typing indicators: relayed to the other members as volatile events (a
//! late "is typing" is worse than none, so they are never queued), and
//! lapsing by themselves: if a client stops refreshing `typing: true` for
//! [`TYPING_TTL`], the server announces `typing: false` for it.

use dashmap::DashMap;
use parley_core::UserId;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use uuid::Uuid;

pub const TYPING_TTL: Duration = Duration::from_secs(10);

/// Who is typing where on this node, with a generation per refresh so a
/// stale expiry timer knows it was superseded.
#[derive(Clone, Default)]
pub struct Typing {
    active: Arc<DashMap<(Uuid, UserId), u64>>,
    generation: Arc<AtomicU64>,
}

impl std::fmt::Debug for Typing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Typing")
            .field("active", &self.active.len())
            .finish()
    }
}

impl Typing {
    /// Records a `typing: true`; returns the generation its expiry must match.
    pub fn started(&self, conversation: Uuid, user: UserId) -> u64 {
        let generation = self.generation.fetch_add(1, Ordering::Relaxed) + 1;
        self.active.insert((conversation, user), generation);
        generation
    }

    /// Records a `typing: false`; true if the user was typing.
    pub fn stopped(&self, conversation: Uuid, user: UserId) -> bool {
        self.active.remove(&(conversation, user)).is_some()
    }

    /// Called when the TTL after `generation` ran out: true (and forgotten)
    /// if no refresh or stop came since, i.e. the indicator must now lapse.
    pub fn expire(&self, conversation: Uuid, user: UserId, generation: u64) -> bool {
        self.active
            .remove_if(&(conversation, user), |_, g| *g == generation)
            .is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_supersedes_the_old_expiry() {
        let t = Typing::default();
        let (c, u) = (Uuid::now_v7(), UserId::new());
        let first = t.started(c, u);
        let second = t.started(c, u);
        assert!(
            !t.expire(c, u, first),
            "refreshed: the first timer is stale"
        );
        assert!(t.expire(c, u, second), "no refresh since: it lapses");
        assert!(!t.stopped(c, u), "already lapsed");
        let third = t.started(c, u);
        assert!(t.stopped(c, u));
        assert!(
            !t.expire(c, u, third),
            "stopped explicitly: nothing to lapse"
        );
    }
}
