//! Request bodies that REST and Socket.IO share: one struct per action, so
//! both transports decode the same fields with the same rules. A Socket.IO
//! event names its conversation inside the payload ([`InConversation`]),
//! where REST has it in the path. [`Decode`] is how a Socket.IO payload is
//! read: a wrong shape becomes `invalid_payload` naming the field.

use crate::protocol::errors::ErrorDetail;
use parley_core::{ConversationId, UserId};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use ts_rs::TS;
use utoipa::ToSchema;

/// Send a message (`POST /conversations/{id}/messages`, `message:send`).
#[derive(Debug, Clone, Deserialize, ToSchema, TS)]
pub struct SendMessage {
    /// 1–4000 characters.
    pub text: String,
    /// Your idempotency key: sending it again returns the same message.
    #[serde(default)]
    #[ts(optional)]
    pub client_id: Option<String>,
    /// Up to 4 of your uploads (`POST /api/v1/media`) not attached to anything yet.
    #[serde(default)]
    #[ts(optional)]
    pub media_ids: Option<Vec<String>>,
}

/// Move my read marker (`POST /conversations/{id}/read`, `read`).
#[derive(Debug, Clone, Deserialize, ToSchema, TS)]
pub struct MarkRead {
    /// Everything up to this `seq` has been read.
    pub seq: i64,
}

/// I started or stopped typing (`typing`).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetTyping {
    pub typing: bool,
}

/// Catch up after a reconnect (`sync`; REST: `GET .../messages?after_seq=`).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SyncMessages {
    pub after_seq: i64,
}

/// Watch these users' presence (`presence:watch`).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct WatchPresence {
    pub user_ids: Vec<UserId>,
}

/// A Socket.IO payload: the action's body plus the conversation it is about,
/// side by side in one object (`{conversation_id, text, ...}`).
#[derive(Debug, Clone, TS)]
pub struct InConversation<T> {
    pub conversation_id: ConversationId,
    #[ts(flatten)]
    pub body: T,
}

/// Reads a Socket.IO payload, or says which field is wrong.
pub trait Decode: Sized {
    fn decode(payload: serde_json::Value) -> Result<Self, ErrorDetail>;
}

/// Decodes with the path of the offending field kept.
fn decode_at<T: DeserializeOwned>(payload: serde_json::Value) -> Result<T, ErrorDetail> {
    serde_path_to_error::deserialize(payload)
        .map_err(|e| ErrorDetail::invalid_payload(&e.path().to_string(), e.inner()))
}

impl<T: DeserializeOwned> Decode for InConversation<T> {
    /// The conversation and the body are read in two passes over the same
    /// object (serde's `flatten` would hide which field of the body failed).
    fn decode(payload: serde_json::Value) -> Result<Self, ErrorDetail> {
        #[derive(Deserialize)]
        struct Envelope {
            conversation_id: ConversationId,
        }
        let Envelope { conversation_id } = decode_at(payload.clone())?;
        let body = decode_at(payload)?;
        Ok(Self {
            conversation_id,
            body,
        })
    }
}

impl Decode for WatchPresence {
    fn decode(payload: serde_json::Value) -> Result<Self, ErrorDetail> {
        decode_at(payload)
    }
}
