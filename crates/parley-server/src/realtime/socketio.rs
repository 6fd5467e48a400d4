//! The Socket.IO transport behind the delivery seam: [`SocketIoPublisher`]
//! implements [`Publisher`] over a socketioxide instance, whatever its
//! adapter (local on one node, Redis on many), and adds what only this
//! node's transport can do: list and disconnect its own sockets (for the
//! session sweeper) and close everything at shutdown.

use crate::delivery::{EmitFailure, Publisher, Target};
use crate::realtime::gateway::SocketSession;
use futures::future::BoxFuture;
use parley_core::SessionId;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;
use std::collections::HashSet;
use std::sync::Arc;

/// Metric name of the connected-sockets gauge.
pub const CONNECTED_SOCKETS: &str = "realtime_connected_sockets";

/// This node's side of the transport, object-safe so the rest of the server
/// is not generic over the adapter.
pub trait LocalSockets: Send + Sync + 'static {
    /// The distinct sessions of the sockets connected to this node.
    fn local_sessions(&self) -> Vec<SessionId>;

    /// Disconnects this node's sockets whose session is in `sessions`;
    /// returns how many were disconnected.
    fn disconnect_local(&self, sessions: &HashSet<SessionId>) -> usize;

    /// Disconnects everything and drops the namespace handlers (shutdown).
    fn close(&self) -> BoxFuture<'_, ()>;
}

/// The socketioxide transport, generic over the adapter (local or Redis).
pub struct SocketIoPublisher<A: Adapter> {
    io: SocketIo<A>,
}

impl<A: Adapter> SocketIoPublisher<A> {
    pub fn new(io: SocketIo<A>) -> Arc<Self> {
        Arc::new(Self { io })
    }

    /// This node's sockets on the default namespace (none before the
    /// namespace is registered or after [`LocalSockets::close`]).
    fn local_sockets(&self) -> Vec<SocketRef<A>> {
        self.io
            .of("/")
            .map_or_else(Vec::new, |ns| ns.local().sockets())
    }
}

impl<A: Adapter> Publisher for SocketIoPublisher<A> {
    fn emit(
        &self,
        target: Target,
        event: &'static str,
        payload: serde_json::Value,
        volatile: bool,
    ) -> BoxFuture<'_, Result<(), EmitFailure>> {
        Box::pin(async move {
            // `of` instead of `to`: socketioxide's `io.to` panics when the
            // namespace is missing (before registration, after close).
            let Some(ns) = self.io.of("/") else {
                return Ok(());
            };
            let mut operators = ns.to(target.rooms).except(target.except);
            if volatile {
                operators = operators.volatile();
            }
            operators
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
}

impl<A: Adapter> LocalSockets for SocketIoPublisher<A> {
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
