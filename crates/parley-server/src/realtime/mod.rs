//! Realtime: the Socket.IO gateway on the same port as the HTTP API
//! (socketioxide), and the publisher services use to reach connected
//! clients after a commit.
//!
//! - [`gateway`]: the socketioxide instance and its limits, the default
//!   namespace, the rooms a socket joins (`user:{id}`, `session:{id}`);
//! - [`auth`]: handshake authentication (access token or cookie);
//! - [`origin`]: the Origin allow-list in front of both transports;
//! - [`publisher`]: [`Realtime`], the one seam for emitting and disconnecting;
//! - [`sweeper`]: disconnects sockets whose session ended by itself;
//! - [`events`]: the client-to-server chat events (`message:send`, `typing`,
//!   `read`, `sync`, `presence:watch`) and their acknowledgements;
//! - [`presence`] and [`typing`]: per-node online counts and typing expiry.

pub mod auth;
pub mod events;
pub mod gateway;
pub mod origin;
pub mod presence;
pub mod publisher;
pub mod sweeper;
pub mod typing;

pub use publisher::Realtime;
