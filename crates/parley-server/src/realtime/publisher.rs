//! The one seam through which services push realtime events, after their
//! transaction committed. Services see only [`Realtime`]: which users or
//! conversations get an event, who joins or leaves a conversation's room, or
//! which sessions/users lose their sockets. What carries it —
//! socketioxide's in-process adapter today, its Redis adapter when Parley runs
//! on many nodes — hides behind the object-safe [`Fanout`] trait, so swapping
//! it touches no service.
//!
//! Fan-out is best effort (clients catch up with `sync` / `?after_seq=`), but a
//! failed emission is never silent: it is logged at warn with the event name
//! and counted in `realtime_emit_failures_total{event}`. The most common cause
//! is socketioxide's bounded per-socket buffer (128 packets) being full because
//! the client reads too slowly.

use crate::realtime::gateway::{SocketSession, conversation_room, session_room, user_room};
use futures::future::BoxFuture;
use parley_core::{SessionId, UserId};
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;

/// Metric names, shared with the gateway and the tests' expectations.
pub const EVENTS_TOTAL: &str = "realtime_events_total";
pub const EMIT_FAILURES_TOTAL: &str = "realtime_emit_failures_total";
pub const CONNECTED_SOCKETS: &str = "realtime_connected_sockets";

/// Handle to the realtime fan-out. Cheap to clone.
#[derive(Clone)]
pub struct Realtime {
    /// `None` when realtime is disabled: every call is then a no-op.
    fanout: Option<Arc<dyn Fanout>>,
}

impl std::fmt::Debug for Realtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Realtime")
            .field("enabled", &self.fanout.is_some())
            .finish()
    }
}

/// Why an emission did not reach every socket.
#[derive(Debug)]
pub struct EmitFailure {
    /// Sockets (or, for encoding/adapter errors, whole emissions) that failed.
    pub failed: u64,
    pub error: String,
}

/// What a fan-out transport must do. Object-safe (boxed futures) so
/// [`Realtime`] need not be generic over socketioxide's adapter type.
pub trait Fanout: Send + Sync + 'static {
    /// Emits `event` with `payload` to every socket in any of `rooms`.
    fn emit(
        &self,
        rooms: Vec<String>,
        event: &'static str,
        payload: serde_json::Value,
    ) -> BoxFuture<'_, Result<(), EmitFailure>>;

    /// Disconnects every socket in any of `rooms` (on every node).
    fn disconnect(&self, rooms: Vec<String>) -> BoxFuture<'_, Result<(), String>>;

    /// Puts every socket in any of `sockets_in` into `room` (on every node).
    fn join(&self, sockets_in: Vec<String>, room: String) -> BoxFuture<'_, Result<(), String>>;

    /// Takes every socket in any of `sockets_in` out of `room` (on every node).
    fn leave(&self, sockets_in: Vec<String>, room: String) -> BoxFuture<'_, Result<(), String>>;

    /// The distinct sessions of the sockets connected to this node.
    fn local_sessions(&self) -> Vec<SessionId>;

    /// Disconnects this node's sockets whose session is in `sessions`;
    /// returns how many were disconnected.
    fn disconnect_local(&self, sessions: &HashSet<SessionId>) -> usize;

    /// Disconnects everything and drops the namespace handlers (shutdown).
    fn close(&self) -> BoxFuture<'_, ()>;
}

impl Realtime {
    /// No sockets (CLI tools, tests that don't need them): every call is a no-op.
    pub fn disabled() -> Self {
        Self { fanout: None }
    }

    /// Fan-out through a socketioxide instance, whatever its adapter.
    pub fn socketio<A: Adapter>(io: SocketIo<A>) -> Self {
        Self::from_fanout(Arc::new(SocketIoFanout { io }))
    }

    /// Fan-out through any transport (tests can count emissions this way).
    pub fn from_fanout(fanout: Arc<dyn Fanout>) -> Self {
        Self {
            fanout: Some(fanout),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.fanout.is_some()
    }

    /// Emits `event` to every socket of every user in `users`.
    pub async fn emit_to_users<T: serde::Serialize + ?Sized>(
        &self,
        users: &[UserId],
        event: &'static str,
        payload: &T,
    ) {
        let rooms = dedup(users.iter().map(|u| user_room(*u)));
        self.emit_to_rooms(rooms, event, payload).await;
    }

    /// Emits `event` to every socket in the conversation's room: the sockets
    /// of its members (joined at connect, and by [`Self::join_conversation`]).
    pub async fn emit_to_conversation<T: serde::Serialize + ?Sized>(
        &self,
        conversation: Uuid,
        event: &'static str,
        payload: &T,
    ) {
        self.emit_to_rooms(vec![conversation_room(conversation)], event, payload)
            .await;
    }

    /// Emits `event` to every socket in any of `rooms` (an empty list emits nothing).
    pub async fn emit_to_rooms<T: serde::Serialize + ?Sized>(
        &self,
        rooms: Vec<String>,
        event: &'static str,
        payload: &T,
    ) {
        let Some(fanout) = &self.fanout else {
            return;
        };
        // An empty room list would mean "every socket" to socketioxide.
        if rooms.is_empty() {
            return;
        }
        metrics::counter!(EVENTS_TOTAL, "event" => event).increment(1);
        // Encoded once here so the transport needs no generic parameter.
        let payload = match serde_json::to_value(payload) {
            Ok(v) => v,
            Err(e) => {
                record_failure(
                    event,
                    &EmitFailure {
                        failed: 1,
                        error: format!("encoding the payload: {e}"),
                    },
                );
                return;
            }
        };
        if let Err(failure) = fanout.emit(rooms, event, payload).await {
            record_failure(event, &failure);
        }
    }

    /// Puts every connected socket of `users` in the conversation's room (a
    /// new conversation, a new member). Sockets that connect later join the
    /// rooms of their user's conversations themselves.
    pub async fn join_conversation(&self, users: &[UserId], conversation: Uuid) {
        let Some(fanout) = &self.fanout else {
            return;
        };
        if users.is_empty() {
            return;
        }
        let sockets_in = dedup(users.iter().map(|u| user_room(*u)));
        if let Err(error) = fanout
            .join(sockets_in, conversation_room(conversation))
            .await
        {
            // Those sockets miss this conversation's events until they reconnect.
            tracing::warn!(%error, %conversation, "joining sockets to a conversation room failed");
        }
    }

    /// Takes every socket of `users` out of the conversation's room (left or
    /// removed from a group).
    pub async fn leave_conversation(&self, users: &[UserId], conversation: Uuid) {
        let Some(fanout) = &self.fanout else {
            return;
        };
        if users.is_empty() {
            return;
        }
        let sockets_in = dedup(users.iter().map(|u| user_room(*u)));
        if let Err(error) = fanout
            .leave(sockets_in, conversation_room(conversation))
            .await
        {
            // Their sockets keep receiving this conversation's events until
            // they reconnect: worth an alert, as it leaks past membership.
            tracing::warn!(%error, %conversation, "removing sockets from a conversation room failed");
        }
    }

    /// Disconnects every socket of these sessions (sign-out, revocation).
    pub async fn disconnect_sessions(&self, sessions: &[SessionId]) {
        let Some(fanout) = &self.fanout else {
            return;
        };
        if sessions.is_empty() {
            return;
        }
        let rooms = dedup(sessions.iter().map(|s| session_room(*s)));
        if let Err(error) = fanout.disconnect(rooms).await {
            // The sweeper retries: a revoked session's socket goes at its next pass.
            tracing::warn!(%error, sessions = sessions.len(), "disconnecting session sockets failed");
        }
    }

    /// Disconnects every socket of `user` (account deleted).
    pub async fn disconnect_user(&self, user: UserId) {
        let Some(fanout) = &self.fanout else {
            return;
        };
        if let Err(error) = fanout.disconnect(vec![user_room(user)]).await {
            tracing::warn!(%error, %user, "disconnecting user sockets failed");
        }
    }

    /// The distinct sessions of this node's sockets (for the sweeper).
    pub(crate) fn local_sessions(&self) -> Vec<SessionId> {
        self.fanout
            .as_ref()
            .map_or_else(Vec::new, |f| f.local_sessions())
    }

    /// Disconnects this node's sockets of `sessions` (for the sweeper).
    pub(crate) fn disconnect_local_sessions(&self, sessions: &HashSet<SessionId>) -> usize {
        match &self.fanout {
            Some(f) if !sessions.is_empty() => f.disconnect_local(sessions),
            _ => 0,
        }
    }

    /// Disconnects every socket and releases the namespace handlers, which
    /// hold the application state (and so, through this handle, themselves).
    pub async fn close(&self) {
        if let Some(fanout) = &self.fanout {
            fanout.close().await;
        }
    }
}

fn dedup(rooms: impl Iterator<Item = String>) -> Vec<String> {
    let mut rooms: Vec<String> = rooms.collect();
    rooms.sort_unstable();
    rooms.dedup();
    rooms
}

fn record_failure(event: &'static str, failure: &EmitFailure) {
    tracing::warn!(
        event,
        failed = failure.failed,
        error = %failure.error,
        "realtime emit failed; the affected clients catch up on reconnect"
    );
    metrics::counter!(EMIT_FAILURES_TOTAL, "event" => event).increment(failure.failed);
}

/// The socketioxide transport, generic over the adapter (local or Redis).
struct SocketIoFanout<A: Adapter> {
    io: SocketIo<A>,
}

impl<A: Adapter> SocketIoFanout<A> {
    /// This node's sockets on the default namespace (none before the
    /// namespace is registered or after [`Fanout::close`]).
    fn local_sockets(&self) -> Vec<SocketRef<A>> {
        self.io
            .of("/")
            .map_or_else(Vec::new, |ns| ns.local().sockets())
    }
}

impl<A: Adapter> Fanout for SocketIoFanout<A> {
    fn emit(
        &self,
        rooms: Vec<String>,
        event: &'static str,
        payload: serde_json::Value,
    ) -> BoxFuture<'_, Result<(), EmitFailure>> {
        Box::pin(async move {
            // `of` instead of `to`: socketioxide's `io.to` panics when the
            // namespace is missing (before registration, after close).
            let Some(ns) = self.io.of("/") else {
                return Ok(());
            };
            ns.to(rooms)
                .emit(event, &payload)
                .await
                .map_err(|e| EmitFailure {
                    failed: match &e {
                        socketioxide::BroadcastError::Socket(errors) => {
                            u64::try_from(errors.len()).unwrap_or(u64::MAX)
                        }
                        _ => 1,
                    },
                    error: e.to_string(),
                })
        })
    }

    fn disconnect(&self, rooms: Vec<String>) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let Some(ns) = self.io.of("/") else {
                return Ok(());
            };
            ns.to(rooms).disconnect().await.map_err(|e| e.to_string())
        })
    }

    fn join(&self, sockets_in: Vec<String>, room: String) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let Some(ns) = self.io.of("/") else {
                return Ok(());
            };
            ns.to(sockets_in)
                .join(room)
                .await
                .map_err(|e| e.to_string())
        })
    }

    fn leave(&self, sockets_in: Vec<String>, room: String) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let Some(ns) = self.io.of("/") else {
                return Ok(());
            };
            ns.to(sockets_in)
                .leave(room)
                .await
                .map_err(|e| e.to_string())
        })
    }

    fn local_sessions(&self) -> Vec<SessionId> {
        let sessions: HashSet<SessionId> = self
            .local_sockets()
            .iter()
            .filter_map(|s| s.extensions.get::<SocketSession>())
            .map(|s| s.session_id)
            .collect();
        sessions.into_iter().collect()
    }

    fn disconnect_local(&self, sessions: &HashSet<SessionId>) -> usize {
        let mut done = 0;
        for socket in self.local_sockets() {
            let Some(session) = socket.extensions.get::<SocketSession>() else {
                continue;
            };
            if !sessions.contains(&session.session_id) {
                continue;
            }
            match socket.disconnect() {
                Ok(()) => done += 1,
                // A full buffer refuses even the disconnect packet; the next
                // sweep tries again.
                Err(e) => tracing::warn!(error = %e, session = %session.session_id,
                    "could not disconnect a socket of an ended session"),
            }
        }
        done
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.io.close())
    }
}
