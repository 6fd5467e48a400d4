//! Typed identifiers. Every entity id is a UUIDv7: time-ordered, so ids double as
//! keyset cursors and index inserts stay append-mostly.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

typed_id!(
    /// A user account.
    UserId
);
typed_id!(
    /// A sign-in session: one refresh-token family, shared by every token rotated from it.
    SessionId
);
typed_id!(
    /// A post.
    PostId
);
typed_id!(
    /// A comment on a post (or a reply to one).
    CommentId
);
typed_id!(
    /// A direct, group or support conversation.
    ConversationId
);
typed_id!(
    /// A chat message.
    MessageId
);
typed_id!(
    /// An uploaded image.
    MediaId
);
typed_id!(
    /// A notification.
    NotificationId
);
typed_id!(
    /// A support-desk organization (a business customers consult).
    OrgId
);
typed_id!(
    /// An entry of an organization's FAQ.
    FaqId
);
typed_id!(
    /// A third-party site registered for the Open API (its host and secret).
    DomainId
);
typed_id!(
    /// A consultation: one customer's support case with an organization.
    ConsultationId
);
typed_id!(
    /// A user's report of a post, comment, message or account.
    ReportId
);
typed_id!(
    /// One entry of the moderation audit log.
    AuditId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_round_trip() {
        let a = UserId::new();
        let b = UserId::new();
        assert!(a < b, "UUIDv7 ids created later sort later");
        let parsed: UserId = a.to_string().parse().expect("round trip");
        assert_eq!(a, parsed);
        assert!("not-a-uuid".parse::<UserId>().is_err());
    }
}
