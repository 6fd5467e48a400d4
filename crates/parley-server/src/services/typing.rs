//! Typing indicators: relayed to the other members as volatile events (a
//! late "is typing" is worse than none, so they are never queued), and
//! lapsing by themselves: if a client stops refreshing `typing: true` for
//! [`TYPING_TTL`], the server announces `typing: false` for it.

use crate::delivery::{Audience, Effect, Outcome, Room};
use crate::protocol::events::{ServerEvent, TypingEvent};
use crate::services::chat::member_conversation;
use crate::services::support::consultations as support;
use crate::shared::typing::SharedTyping;
use crate::state::AppState;
use dashmap::DashMap;
use parley_core::{ConversationId, Result, UserId};
use std::sync::Arc;
use std::time::Duration;

pub const TYPING_TTL: Duration = Duration::from_secs(10);

/// Who is typing where, with a generation per refresh so a stale lapse
/// timer knows it was superseded. On this node's memory, or in Redis (so a
/// `typing: false` or a refresh through another node counts too).
#[derive(Clone, Default)]
pub struct Typing {
    active: Arc<DashMap<(ConversationId, UserId), u64>>,
    shared: Option<SharedTyping>,
}

impl std::fmt::Debug for Typing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Typing")
            .field("active_here", &self.active.len())
            .field("shared", &self.shared.is_some())
            .finish()
    }
}

impl Typing {
    /// Typing state across nodes, through Redis.
    pub fn shared(shared: SharedTyping) -> Self {
        Self {
            active: Arc::default(),
            shared: Some(shared),
        }
    }

    /// Records a `typing: true`; returns the generation its lapse must match
    /// (random, so two nodes never hand out the same one).
    pub async fn started(&self, conversation: ConversationId, user: UserId) -> u64 {
        let generation = rand::random::<u64>();
        self.active.insert((conversation, user), generation);
        if let Some(shared) = &self.shared
            && let Err(e) = shared
                .started(conversation, user, generation, TYPING_TTL)
                .await
        {
            tracing::debug!(error = %e, "typing: Redis unavailable; keeping it on this node");
        }
        generation
    }

    /// Records a `typing: false`; true if the user was typing.
    pub async fn stopped(&self, conversation: ConversationId, user: UserId) -> bool {
        let here = self.active.remove(&(conversation, user)).is_some();
        match &self.shared {
            None => here,
            Some(shared) => shared.stopped(conversation, user).await.unwrap_or(here),
        }
    }

    /// Called when the TTL after `generation` ran out: true (and forgotten)
    /// if no refresh or stop came since, i.e. the indicator must now lapse.
    pub async fn expire(
        &self,
        conversation: ConversationId,
        user: UserId,
        generation: u64,
    ) -> bool {
        let here = self
            .active
            .remove_if(&(conversation, user), |_, g| *g == generation)
            .is_some();
        match &self.shared {
            None => here,
            Some(shared) => shared
                .expire(conversation, user, generation)
                .await
                .unwrap_or(here),
        }
    }
}

/// `me` started (`typing: true`, refreshed every few seconds while typing)
/// or stopped typing in a conversation they belong to. The other members are
/// told, not the typist's own sockets; a `true` not refreshed within
/// [`TYPING_TTL`] lapses into a `false` by itself.
pub async fn set(
    state: &AppState,
    me: UserId,
    conversation: ConversationId,
    typing: bool,
) -> Result<Outcome<()>> {
    let row = member_conversation(state, me, conversation).await?;
    let rooms = support::rooms(
        conversation,
        support::of_conversation(state, &row).await?.as_ref(),
    );
    if typing {
        let generation = state.typing.started(conversation, me).await;
        let lapse = state.clone();
        let lapse_rooms = rooms.clone();
        tokio::spawn(async move {
            tokio::time::sleep(TYPING_TTL).await;
            if lapse.typing.expire(conversation, me, generation).await {
                lapse
                    .delivery
                    .deliver(vec![relay(me, conversation, lapse_rooms, false)])
                    .await;
            }
        });
        Ok(Outcome::quiet(()).with(relay(me, conversation, rooms, true)))
    } else if state.typing.stopped(conversation, me).await {
        Ok(Outcome::quiet(()).with(relay(me, conversation, rooms, false)))
    } else {
        Ok(Outcome::quiet(()))
    }
}

/// The `typing` event for the conversation's rooms minus the typist's sockets.
fn relay(user: UserId, conversation: ConversationId, rooms: Vec<Room>, typing: bool) -> Effect {
    Effect::emit(
        Audience::RoomsExcept {
            rooms,
            except: vec![Room::User(user)],
        },
        ServerEvent::Typing(TypingEvent {
            conversation_id: conversation,
            user_id: user,
            typing,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_refresh_supersedes_the_old_expiry() {
        let t = Typing::default();
        let (c, u) = (ConversationId::new(), UserId::new());
        let first = t.started(c, u).await;
        let second = t.started(c, u).await;
        assert!(
            !t.expire(c, u, first).await,
            "refreshed: the first timer is stale"
        );
        assert!(t.expire(c, u, second).await, "no refresh since: it lapses");
        assert!(!t.stopped(c, u).await, "already lapsed");
        let third = t.started(c, u).await;
        assert!(t.stopped(c, u).await);
        assert!(
            !t.expire(c, u, third).await,
            "stopped explicitly: nothing to lapse"
        );
    }
}
