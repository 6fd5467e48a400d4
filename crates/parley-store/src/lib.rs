//! The store: the only code in Parley that speaks SQL. One [`Store`] type runs
//! over SQLite (the zero-setup default) or PostgreSQL (for many nodes), chosen
//! by the database URL's scheme. Queries are written once where the dialects
//! agree and per dialect only where they differ; each aggregate (users,
//! sessions, ...) has its own module.

pub mod account_tokens;
pub mod blocks;
pub mod comments;
pub mod conversations;
pub mod developer;
mod error;
pub mod follows;
pub mod identities;
mod ids;
pub mod media;
mod media_garbage;
pub mod media_jobs;
pub mod messages;
pub mod moderation;
pub mod notifications;
mod pool;
pub mod posts;
pub mod reactions;
pub mod search;
pub mod seed;
mod session_liveness;
pub mod sessions;
pub mod support;
pub mod users;

pub use error::StoreError;
pub use identities::{IdentityRecord, NewIdentity, Unlink};
pub use pool::{Backend, Store};
pub use seed::{SeedPlan, SeedReport};
pub use sessions::{NewSession, RefreshOutcome, RotationExpiry, SessionOrigin, SessionRecord};
pub use users::{NewUser, ProfileChanges, UserRecord};
