//! What each client-to-server Socket.IO event acknowledges: `{"ok": true,
//! ...the event's fields}` once the action is done (for `message:send`: once
//! the message is committed), or `{"ok": false, "error": ErrorDetail}` with the
//! same code, message and fields as the REST endpoint for the same action.

use crate::protocol::errors::ErrorDetail;
use crate::protocol::events::Presence;
use crate::protocol::views::Message;
use serde::Serialize;
use ts_rs::TS;

/// The ack of `message:send`.
#[derive(Debug, Serialize, TS)]
pub struct SendAck {
    pub message: Message,
}

/// The ack of `sync`: at most 500 messages in `seq` order; `has_more` says
/// to ask again from the last one.
#[derive(Debug, Serialize, TS)]
pub struct SyncAck {
    pub messages: Vec<Message>,
    pub has_more: bool,
}

/// The ack of `presence:watch`.
#[derive(Debug, Serialize, TS)]
pub struct WatchAck {
    pub presence: Vec<Presence>,
}

/// The ack of `typing` and `read`: nothing but `ok`.
#[derive(Debug, Serialize, TS)]
pub struct Done {}

/// Any ack: the event's answer with `ok: true`, or the error with `ok: false`.
#[derive(Debug, Serialize, TS)]
#[serde(untagged)]
pub enum Ack<T> {
    Ok {
        #[ts(type = "true")]
        ok: bool,
        #[serde(flatten)]
        #[ts(flatten)]
        value: T,
    },
    Refused {
        #[ts(type = "false")]
        ok: bool,
        error: ErrorDetail,
    },
}

impl<T> Ack<T> {
    pub fn ok(value: T) -> Self {
        Self::Ok { ok: true, value }
    }

    pub fn refused(error: ErrorDetail) -> Self {
        Self::Refused { ok: false, error }
    }
}
