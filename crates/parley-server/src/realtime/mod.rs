//! Realtime: the Socket.IO gateway on the same port as the HTTP API
//! (socketioxide), and the publisher services use to reach connected
//! clients after a commit.
//!
//! - [`gateway`]: the socketioxide instance and its limits, the default
//!   namespace, the rooms a socket joins (`user:{id}`, `session:{id}`);
//! - [`auth`]: handshake authentication (access token or cookie);
//! - [`origin`]: the Origin allow-list in front of both transports;
//! - [`publisher`]: [`Realtime`], the one seam for emitting and disconnecting;
//! - [`sweeper`]: disconnects sockets whose session ended by itself.

pub mod auth;
pub mod gateway;
pub mod origin;
pub mod publisher;
pub mod sweeper;

pub use publisher::Realtime;
