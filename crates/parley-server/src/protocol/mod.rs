//! The protocol layer: Parley's one vocabulary from the store to the browser.
//! Everything a client can send or receive is declared here once, and both
//! transports (REST in `http/`, Socket.IO in `realtime/`) speak it:
//!
//! - [`views`]: the JSON shapes (`User`, `Post`, `Message`, `Conversation`…);
//! - [`requests`]: the bodies shared by a REST endpoint and its Socket.IO twin;
//! - [`events`]: [`events::ServerEvent`], every server-to-client event with its
//!   wire name and typed payload;
//! - [`acks`]: what each client-to-server event acknowledges;
//! - [`errors`]: the status and message of every [`parley_core::ErrorCode`],
//!   and the error body REST answers and Socket.IO acks alike;
//! - [`typescript`]: the generated TypeScript the web client imports
//!   (`web/src/api/generated.ts`), checked by a test to be current.
//!
//! It sits below `services/` (which build its values) and knows no transport.

pub mod acks;
pub mod errors;
pub mod events;
pub mod requests;
#[cfg(test)]
mod typescript;
pub mod views;
