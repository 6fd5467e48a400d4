//! Use-cases. Services own Parley's rules and speak domain values, protocol
//! types and [`parley_core::Error`]; they never see HTTP or Socket.IO types,
//! so every transport calls the same function for the same action. A
//! use-case that changes something returns a [`crate::delivery::Outcome`]:
//! its value and the events it caused, which the transport hands to
//! `AppState::finish` to be delivered after the commit.

pub mod accounts;
pub mod blocks;
pub mod chat;
pub mod comments;
pub mod developer;
pub mod device;
pub mod identities;
pub mod limits;
pub mod media;
pub mod messages;
pub mod moderation;
pub mod notifications;
pub mod posts;
pub mod presence;
pub mod profiles;
pub mod reactions;
pub mod recovery;
pub mod search;
pub mod social;
pub mod support;
pub mod typing;
