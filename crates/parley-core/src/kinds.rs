//! The closed sets of kinds and statuses Parley stores: each is an enum in
//! code and a lower-case word in the database and on the wire (the same word
//! in both places, so adding the enum needed no data migration).

use serde::{Deserialize, Serialize};

/// A stored word that names no variant of the enum it was read as: a bug or
/// a database written by a newer version.
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownKind {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The word stored in the database and sent on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownKind;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($word => Ok(Self::$variant),)+
                    other => Err(UnknownKind { kind: $what, value: other.to_owned() }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = UnknownKind;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }
    };
}

stored_enum!(
    /// What a conversation is.
    ConversationKind, "conversation kind" {
        /// Two people; at most one per pair.
        Direct => "direct",
        /// Any number of members, with a title; members join and leave.
        Group => "group",
        /// A consultation between a customer and an organization's agents.
        Support => "support",
    }
);

stored_enum!(
    /// Why someone is notified.
    NotificationKind, "notification kind" {
        Follow => "follow",
        Like => "like",
        Comment => "comment",
        Reply => "reply",
        Mention => "mention",
    }
);

stored_enum!(
    /// Where an upload's thumbnail is.
    MediaStatus, "media status" {
        /// Stored; the thumbnail is being made in the background.
        Processing => "processing",
        /// The thumbnail exists.
        Ready => "ready",
        /// No thumbnail could be made (the reason is stored with it).
        Failed => "failed",
    }
);

stored_enum!(
    /// A registered site's Open API tier: which rate limit it gets.
    DomainTier, "domain tier" {
        /// `PARLEY_RATE_LIMIT_OPEN_API_FREE` (default 60/min).
        Free => "free",
        /// `PARLEY_RATE_LIMIT_OPEN_API_PREMIUM` (default 1200/min).
        Premium => "premium",
    }
);

stored_enum!(
    /// Whether an organization shows up in the directory search.
    OrgVisibility, "organization visibility" {
        /// Listed by the directory search.
        Public => "public",
        /// Left out of the search, but still open by its slug.
        Hidden => "hidden",
    }
);

stored_enum!(
    /// What an agent may do in an organization.
    AgentRole, "agent role" {
        /// Manages the organization and its agents, and takes consultations.
        Owner => "owner",
        /// Takes consultations and manages the FAQ.
        Agent => "agent",
    }
);

stored_enum!(
    /// Where a consultation is in its life.
    ConsultationStatus, "consultation status" {
        /// In the queue, nobody assigned yet.
        Waiting => "waiting",
        /// An agent is on it.
        Active => "active",
        /// Finished; the customer may reopen it.
        Closed => "closed",
    }
);

stored_enum!(
    /// Who a message speaks for.
    MessageKind, "message kind" {
        /// Written by its sender.
        Text => "text",
        /// An automatic answer (an FAQ entry) from the organization; no sender.
        Auto => "auto",
        /// A note about the consultation ("assigned to bob"); no sender.
        System => "system",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_match_serde() {
        for kind in ConversationKind::ALL {
            assert_eq!(kind.as_str().parse::<ConversationKind>().ok(), Some(*kind));
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::String(kind.as_str().to_owned()))
            );
        }
        for kind in NotificationKind::ALL {
            assert_eq!(kind.as_str().parse::<NotificationKind>().ok(), Some(*kind));
        }
        for status in MediaStatus::ALL {
            assert_eq!(
                status.to_string().parse::<MediaStatus>().ok(),
                Some(*status)
            );
        }
        for tier in DomainTier::ALL {
            assert_eq!(tier.as_str().parse::<DomainTier>().ok(), Some(*tier));
        }
        for v in OrgVisibility::ALL {
            assert_eq!(v.as_str().parse::<OrgVisibility>().ok(), Some(*v));
        }
        for role in AgentRole::ALL {
            assert_eq!(role.as_str().parse::<AgentRole>().ok(), Some(*role));
        }
        for status in ConsultationStatus::ALL {
            assert_eq!(
                status.as_str().parse::<ConsultationStatus>().ok(),
                Some(*status)
            );
        }
        for kind in MessageKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::String(kind.as_str().to_owned()))
            );
        }
        assert!("channel".parse::<ConversationKind>().is_err());
    }
}
