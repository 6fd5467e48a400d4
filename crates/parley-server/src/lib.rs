//! The Parley server: configuration, HTTP API, Socket.IO, authentication,
//! rate limits and telemetry, built on the store (`parley-store`) and the
//! domain rules (`parley-core`). `main.rs` is only the command line around
//! [`app`].
//!
//! One data path: a transport ([`http`] or [`realtime`]) decodes a
//! [`protocol::requests`] body and calls one [`services`] use-case; the
//! use-case runs one store transaction and returns its value with the
//! [`protocol::events::ServerEvent`]s it caused ([`delivery::Outcome`]);
//! [`delivery`] sends them after the commit. Imports point one way:
//! transports → services → delivery/protocol → store/core.

pub mod app;
pub mod auth;
pub mod client_ip;
pub mod config;
pub mod delivery;
pub mod error;
pub mod http;
pub mod jobs;
pub mod keys;
pub mod mail;
pub mod media;
pub mod middleware;
pub mod oauth;
pub mod open;
pub mod protocol;
pub mod ratelimit;
pub mod realtime;
pub mod services;
pub mod shared;
pub mod state;
pub mod telemetry;

pub use app::Application;
pub use config::Config;
