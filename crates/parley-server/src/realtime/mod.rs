//! Realtime: the Socket.IO gateway on the same port as the HTTP API
//! (socketioxide), a transport like `http/`: it adapts client events to the
//! services and implements the delivery seam for server events.
//!
//! - [`gateway`]: the socketioxide instance and its limits, the default
//!   namespace, the rooms a socket joins (from `delivery::rooms`);
//! - [`auth`]: handshake authentication (access token or cookie);
//! - [`origin`]: the Origin allow-list in front of both transports;
//! - [`events`]: the client-to-server events (`message:send`, `typing`,
//!   `read`, `sync`, `presence:watch`) and their acknowledgements;
//! - [`socketio`]: [`socketio::SocketIoPublisher`], the `delivery::Publisher`
//!   over socketioxide, and this node's own sockets;
//! - [`redis_driver`]: the Redis adapter's pub/sub driver, which reconnects;
//! - [`sweeper`]: disconnects sockets whose session ended by itself.

pub mod auth;
pub mod events;
pub mod gateway;
pub mod origin;
pub mod redis_driver;
pub mod socketio;
pub mod sweeper;
