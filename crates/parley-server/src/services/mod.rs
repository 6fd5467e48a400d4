//! Use-cases. Services own Parley's rules and speak domain values and
//! [`parley_core::Error`]; they never see HTTP or Socket.IO types, so every
//! transport calls the same function for the same action.

pub mod accounts;
pub mod chat;
pub mod comments;
pub mod media;
pub mod messages;
pub mod notifications;
pub mod posts;
pub mod profiles;
pub mod social;
