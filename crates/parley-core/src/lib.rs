//! Parley's domain: identifiers, timestamps, validated values and the rules that
//! govern them, and the error vocabulary services speak. No I/O lives here: no
//! database, no HTTP, so every rule can be unit-tested in isolation.

pub mod account;
pub mod content;
pub mod error;
pub mod id;
pub mod kinds;
pub mod page;
pub mod search;
pub mod time;
pub mod validation;

pub use error::{BoxError, Error, ErrorCode, Result};
pub use id::{
    AuditId, CommentId, ConsultationId, ConversationId, DomainId, FaqId, MediaId, MessageId,
    NotificationId, OrgId, PostId, ReportId, SessionId, UserId,
};
pub use kinds::{
    AgentRole, ConsultationStatus, ConversationKind, DomainTier, MediaStatus, MessageKind,
    NotificationKind, OrgVisibility, UnknownKind,
};
pub use time::Timestamp;
pub use validation::FieldErrors;
