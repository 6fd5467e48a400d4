//! Delivery: the one place where what a use-case caused reaches connected
//! clients, after its transaction committed. Services return an
//! [`Outcome`]: their value plus the [`Effect`]s it caused (events for an
//! [`Audience`], sockets joining or leaving a room, sessions to cut off);
//! the transport hands the outcome to [`Delivery::finish`], which carries the
//! effects out through the [`Publisher`] seam and gives back the value.
//!
//! Fan-out is best effort (clients catch up with `sync` / `?after_seq=`), but
//! a failed emission is never silent: it is logged at warn with the event
//! name and counted in `realtime_emit_failures_total{event}`. The most common
//! cause is socketioxide's bounded per-socket buffer (128 packets) being full
//! because the client reads too slowly.

pub mod publisher;
pub mod rooms;

use crate::protocol::events::ServerEvent;
use parley_core::UserId;
use parley_store::Store;
pub use publisher::{EmitFailure, Publisher, Target};
pub use rooms::Room;
use std::sync::Arc;

/// Metric names, shared with the gateway and the tests' expectations.
pub const EVENTS_TOTAL: &str = "realtime_events_total";
pub const EMIT_FAILURES_TOTAL: &str = "realtime_emit_failures_total";

/// Who an event is for.
#[derive(Debug, Clone)]
pub enum Audience {
    /// Every socket in these rooms.
    Rooms(Vec<Room>),
    /// Every socket in `rooms` but those in `except` (typing: not the
    /// typist's own tabs).
    RoomsExcept { rooms: Vec<Room>, except: Vec<Room> },
    /// The author and everyone who follows them, looked up at delivery time
    /// in the background, so that fan-out to thousands of followers never
    /// holds up the author's request.
    AuthorAndFollowers(UserId),
    /// Everyone who hears about a user's presence: watchers, people who share
    /// a conversation with them, and their followers.
    PresenceOf(UserId),
}

impl Audience {
    /// Every socket of these users.
    pub fn users(users: impl IntoIterator<Item = UserId>) -> Self {
        Self::Rooms(users.into_iter().map(Room::User).collect())
    }
}

/// One thing a committed use-case causes on connected sockets.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Send `event` to `to` (boxed: events carry whole posts and messages,
    /// the other effects a few ids).
    Emit {
        to: Audience,
        event: Box<ServerEvent>,
    },
    /// Put every socket of `users` in `room` (a new conversation or member;
    /// sockets that connect later join their rooms themselves).
    Join { users: Vec<UserId>, room: Room },
    /// Take every socket of `users` out of `room` (left a group).
    Leave { users: Vec<UserId>, room: Room },
    /// Disconnect every socket in these rooms (sign-out, deleted account).
    Disconnect(Vec<Room>),
}

impl Effect {
    pub fn emit(to: Audience, event: ServerEvent) -> Self {
        Self::Emit {
            to,
            event: Box::new(event),
        }
    }
}

/// A use-case's result and what it caused. `#[must_use]`: dropping it
/// would silently skip the events.
#[must_use = "hand the outcome to Delivery::finish so its effects are delivered"]
#[derive(Debug)]
pub struct Outcome<T> {
    pub value: T,
    pub effects: Vec<Effect>,
}

impl<T> Outcome<T> {
    /// A result that caused nothing to deliver.
    pub fn quiet(value: T) -> Self {
        Self {
            value,
            effects: Vec::new(),
        }
    }

    pub fn new(value: T, effects: Vec<Effect>) -> Self {
        Self { value, effects }
    }

    /// Adds an effect.
    pub fn with(mut self, effect: Effect) -> Self {
        self.effects.push(effect);
        self
    }

    /// The same effects with another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        Outcome {
            value: f(self.value),
            effects: self.effects,
        }
    }
}

/// Carries effects out. Cheap to clone.
#[derive(Clone)]
pub struct Delivery {
    /// `None` when realtime is disabled: effects are then dropped.
    publisher: Option<Arc<dyn Publisher>>,
    store: Store,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("enabled", &self.publisher.is_some())
            .finish_non_exhaustive()
    }
}

impl Delivery {
    pub fn new(publisher: Arc<dyn Publisher>, store: Store) -> Self {
        Self {
            publisher: Some(publisher),
            store,
        }
    }

    /// No sockets (CLI tools): every effect is dropped.
    pub fn disabled(store: Store) -> Self {
        Self {
            publisher: None,
            store,
        }
    }

    /// Delivers the outcome's effects and returns its value.
    pub async fn finish<T>(&self, outcome: Outcome<T>) -> T {
        self.deliver(outcome.effects).await;
        outcome.value
    }

    /// Carries out `effects`, in order.
    pub async fn deliver(&self, effects: Vec<Effect>) {
        let Some(publisher) = &self.publisher else {
            return;
        };
        for effect in effects {
            match effect {
                Effect::Emit { to, event } => self.emit(publisher, to, *event).await,
                Effect::Join { users, room } => {
                    if users.is_empty() {
                        continue;
                    }
                    let sockets = rooms::names(users.into_iter().map(Room::User));
                    if let Err(error) = publisher.join(sockets, room.to_string()).await {
                        // Those sockets miss this room's events until they reconnect.
                        tracing::warn!(%error, %room, "joining sockets to a room failed");
                    }
                }
                Effect::Leave { users, room } => {
                    if users.is_empty() {
                        continue;
                    }
                    let sockets = rooms::names(users.into_iter().map(Room::User));
                    if let Err(error) = publisher.leave(sockets, room.to_string()).await {
                        // Their sockets keep receiving this room's events until
                        // they reconnect: worth an alert, as it leaks past membership.
                        tracing::warn!(%error, %room, "removing sockets from a room failed");
                    }
                }
                Effect::Disconnect(rooms) => {
                    if rooms.is_empty() {
                        continue;
                    }
                    if let Err(error) = publisher.disconnect(rooms::names(rooms)).await {
                        // The sweeper retries: a revoked session's socket goes at its next pass.
                        tracing::warn!(%error, "disconnecting sockets failed");
                    }
                }
            }
        }
    }

    async fn emit(&self, publisher: &Arc<dyn Publisher>, to: Audience, event: ServerEvent) {
        let target = match to {
            Audience::Rooms(rooms) => Target {
                rooms: rooms::names(rooms),
                except: Vec::new(),
            },
            Audience::RoomsExcept { rooms, except } => Target {
                rooms: rooms::names(rooms),
                except: rooms::names(except),
            },
            Audience::AuthorAndFollowers(author) => {
                let (store, publisher) = (self.store.clone(), publisher.clone());
                tokio::spawn(async move {
                    let mut audience = match store.follower_ids(author).await {
                        Ok(ids) => ids,
                        Err(e) => {
                            tracing::warn!(error = %e, event = event.name(), "loading followers for fan-out failed");
                            Vec::new()
                        }
                    };
                    audience.push(author);
                    let target = Target {
                        rooms: rooms::names(audience.into_iter().map(Room::User)),
                        except: Vec::new(),
                    };
                    send(&publisher, target, &event).await;
                });
                return;
            }
            Audience::PresenceOf(user) => Target {
                rooms: rooms::names(self.presence_audience(user).await),
                except: Vec::new(),
            },
        };
        send(publisher, target, &event).await;
    }

    /// Emits an event that is not a [`ServerEvent`] to these rooms, through
    /// the same measured path: for diagnostics and the transport's own tests
    /// (which probe fan-out with made-up event names).
    pub async fn emit_untyped(
        &self,
        rooms: Vec<Room>,
        name: &'static str,
        payload: &serde_json::Value,
    ) {
        let Some(publisher) = &self.publisher else {
            return;
        };
        let target = Target {
            rooms: rooms::names(rooms),
            except: Vec::new(),
        };
        send_named(publisher, target, name, Ok(payload.clone()), false).await;
    }

    async fn presence_audience(&self, user: UserId) -> Vec<Room> {
        let mut rooms = vec![Room::PresenceWatchers(user)];
        match self.store.conversation_peers(user).await {
            Ok(peers) => rooms.extend(peers.into_iter().map(Room::User)),
            Err(e) => tracing::warn!(error = %e, "presence: loading conversation peers failed"),
        }
        match self.store.follower_ids(user).await {
            Ok(followers) => rooms.extend(followers.into_iter().map(Room::User)),
            Err(e) => tracing::warn!(error = %e, "presence: loading followers failed"),
        }
        rooms
    }
}

/// One emission, measured; a failure is logged and counted.
async fn send(publisher: &Arc<dyn Publisher>, target: Target, event: &ServerEvent) {
    send_named(
        publisher,
        target,
        event.name(),
        event.payload(),
        event.is_volatile(),
    )
    .await;
}

async fn send_named(
    publisher: &Arc<dyn Publisher>,
    target: Target,
    name: &'static str,
    payload: serde_json::Result<serde_json::Value>,
    volatile: bool,
) {
    // An empty room list would mean "every socket" to socketioxide.
    if target.rooms.is_empty() {
        return;
    }
    metrics::counter!(EVENTS_TOTAL, "event" => name).increment(1);
    let failure = match payload {
        Ok(payload) => publisher.emit(target, name, payload, volatile).await.err(),
        Err(e) => Some(EmitFailure {
            failed: 1,
            error: format!("encoding the payload: {e}"),
        }),
    };
    if let Some(failure) = failure {
        if volatile {
            tracing::debug!(event = name, error = %failure.error, "volatile event dropped");
            return;
        }
        tracing::warn!(
            event = name,
            failed = failure.failed,
            error = %failure.error,
            "realtime emit failed; the affected clients catch up on reconnect"
        );
        metrics::counter!(EMIT_FAILURES_TOTAL, "event" => name).increment(failure.failed);
    }
}
