//! The seam between delivery and a transport: what a fan-out transport must
//! do. Object-safe (boxed futures) so nothing above it is generic over
//! socketioxide's adapter; `realtime::SocketIoPublisher` implements it over
//! the local adapter on one node and the Redis adapter on many.

use futures::future::BoxFuture;

/// Why an emission did not reach every socket.
#[derive(Debug)]
pub struct EmitFailure {
    /// Sockets (or, for encoding/adapter errors, whole emissions) that failed.
    pub failed: u64,
    pub error: String,
}

/// Who receives one emission: every socket in any of `rooms` but those in
/// any of `except`. Room names come from [`crate::delivery::rooms`].
#[derive(Debug, Clone)]
pub struct Target {
    pub rooms: Vec<String>,
    pub except: Vec<String>,
}

pub trait Publisher: Send + Sync + 'static {
    /// Emits `event` with `payload` to `target` (never to every socket: an
    /// empty room list is not passed down). A volatile emit skips sockets
    /// that cannot take it now.
    fn emit(
        &self,
        target: Target,
        event: &'static str,
        payload: serde_json::Value,
        volatile: bool,
    ) -> BoxFuture<'_, Result<(), EmitFailure>>;

    /// Puts every socket in any of `sockets_in` into `room` (on every node).
    fn join(&self, sockets_in: Vec<String>, room: String) -> BoxFuture<'_, Result<(), String>>;

    /// Takes every socket in any of `sockets_in` out of `room` (on every node).
    fn leave(&self, sockets_in: Vec<String>, room: String) -> BoxFuture<'_, Result<(), String>>;

    /// Disconnects every socket in any of `rooms` (on every node).
    fn disconnect(&self, rooms: Vec<String>) -> BoxFuture<'_, Result<(), String>>;
}
