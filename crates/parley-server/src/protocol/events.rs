//! Every server-to-client Socket.IO event, as one enum: each variant is one
//! event with its wire name and its typed payload (the way Revolt's single
//! event enum serves every transport). Services build these values; the
//! delivery layer sends them after commit; the web client's `ServerEvents`
//! map is generated from the same list, so a payload cannot be re-declared
//! by hand and drift.

use crate::protocol::views::{Consultation, Conversation, Message, Notification, Post};
use parley_core::{ConversationId, MessageId, PostId, Timestamp, UserId};
use serde::Serialize;
use ts_rs::TS;

/// `message:new`, `message:updated`: the message as stored.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MessageEvent {
    pub message: Message,
}

/// `message:deleted`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MessageDeletedEvent {
    pub conversation_id: ConversationId,
    pub id: MessageId,
}

/// `typing`: volatile, and lapses by itself after 10 s without a refresh.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TypingEvent {
    pub conversation_id: ConversationId,
    pub user_id: UserId,
    pub typing: bool,
}

/// `read`: a member's read marker moved forward to `seq`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReadEvent {
    pub conversation_id: ConversationId,
    pub user_id: UserId,
    pub seq: i64,
}

/// `presence`, and each entry of the `presence:watch` ack.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Presence {
    pub user_id: UserId,
    pub online: bool,
    pub last_seen_at: Option<Timestamp>,
}

/// `post:created`, `post:updated`: the post without the author's like state.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PostEvent {
    pub post: Post,
}

/// `post:deleted`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PostDeletedEvent {
    pub id: PostId,
    pub author_id: UserId,
}

/// `notification`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NotificationEvent {
    pub notification: Notification,
}

/// `conversation:created`, `conversation:updated`: the conversation as its
/// recipient sees it (their own `unread_count`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConversationEvent {
    pub conversation: Conversation,
}

/// `consultation:updated`: the consultation as its recipient sees it (the
/// customer's or the agents' `unread_count`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConsultationEvent {
    // Boxed: a consultation with its last message is the largest payload.
    pub consultation: Box<Consultation>,
}

macro_rules! server_events {
    ($($(#[$doc:meta])* $variant:ident($payload:ty) => $wire:literal),+ $(,)?) => {
        /// One server-to-client event.
        #[derive(Debug, Clone)]
        pub enum ServerEvent {
            $($(#[$doc])* $variant($payload)),+
        }

        impl ServerEvent {
            /// Every wire name with its payload's TypeScript type name.
            #[cfg(test)]
            pub(crate) fn typescript_map(cfg: &ts_rs::Config) -> Vec<(&'static str, String)> {
                vec![$(($wire, <$payload as TS>::name(cfg))),+]
            }

            /// The Socket.IO event name.
            pub const fn name(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $wire),+
                }
            }

            /// The payload as JSON, encoded once for every recipient.
            pub fn payload(&self) -> serde_json::Result<serde_json::Value> {
                match self {
                    $(Self::$variant(p) => serde_json::to_value(p)),+
                }
            }
        }
    };
}

server_events! {
    /// To every member's every socket, the sender's too (in a support
    /// conversation: its customer and the organization's agents).
    MessageNew(MessageEvent) => "message:new",
    /// To the conversation's members.
    MessageUpdated(MessageEvent) => "message:updated",
    /// To the conversation's members.
    MessageDeleted(MessageDeletedEvent) => "message:deleted",
    /// To the other members (not the typist's own sockets).
    Typing(TypingEvent) => "typing",
    /// To the conversation's members.
    Read(ReadEvent) => "read",
    /// To those who share a conversation with, follow, or watch the user.
    Presence(Presence) => "presence",
    /// To the author and their followers.
    PostCreated(PostEvent) => "post:created",
    /// To the author and their followers.
    PostUpdated(PostEvent) => "post:updated",
    /// To the author and their followers.
    PostDeleted(PostDeletedEvent) => "post:deleted",
    /// To its recipient.
    Notification(NotificationEvent) => "notification",
    /// To every member: a group was made, or a direct conversation started.
    ConversationCreated(ConversationEvent) => "conversation:created",
    /// To every member, and to whoever was added or left.
    ConversationUpdated(ConversationEvent) => "conversation:updated",
    /// To its customer and to the organization's agents: opened, assigned,
    /// closed, reopened, or a new message in it.
    ConsultationUpdated(ConsultationEvent) => "consultation:updated",
}

impl ServerEvent {
    /// Volatile events are dropped for a socket that cannot take them now
    /// rather than queued: a late "is typing" is worse than none.
    pub const fn is_volatile(&self) -> bool {
        matches!(self, Self::Typing(_))
    }
}
