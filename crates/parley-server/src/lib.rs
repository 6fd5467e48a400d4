//! The Parley server: configuration, HTTP API, authentication, rate limits
//! and telemetry, built on the store (`parley-store`) and the domain rules
//! (`parley-core`). `main.rs` is only the command line around [`app`].

pub mod app;
pub mod auth;
pub mod client_ip;
pub mod config;
pub mod error;
pub mod http;
pub mod jobs;
pub mod keys;
pub mod media;
pub mod middleware;
pub mod ratelimit;
pub mod realtime;
pub mod services;
pub mod state;
pub mod telemetry;
pub mod views;

pub use app::Application;
pub use config::Config;
