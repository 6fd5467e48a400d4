//! Client-to-server events of the default namespace. Each one calls the same
//! service as its REST twin and answers through the acknowledgement callback:
//! `{"ok": true, ...}` or `{"ok": false, "error": {"code", "message"}}` (with
//! `retry_after` when rate limited). A payload of the wrong shape is refused
//! with `invalid_payload`, never dropped silently.

use crate::error::ApiError;
use crate::realtime::gateway::{SocketSession, conversation_room, user_room};
use crate::realtime::presence::{self, watch_room};
use crate::realtime::typing::TYPING_TTL;
use crate::services::messages;
use crate::state::AppState;
use parley_core::UserId;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, TryData};
use std::future::Future;
use uuid::Uuid;

/// Most users one `presence:watch` may name.
const MAX_WATCHED: usize = 200;

#[derive(Debug, Deserialize)]
struct SendPayload {
    conversation_id: Uuid,
    text: String,
    client_id: Option<String>,
    media_ids: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct TypingPayload {
    conversation_id: Uuid,
    typing: bool,
}

#[derive(Debug, Deserialize)]
struct ReadPayload {
    conversation_id: Uuid,
    seq: i64,
}

#[derive(Debug, Deserialize)]
struct SyncPayload {
    conversation_id: Uuid,
    after_seq: i64,
}

#[derive(Debug, Deserialize)]
struct WatchPayload {
    user_ids: Vec<UserId>,
}

/// The error acknowledgement for a failed call.
fn error_ack(error: ApiError) -> Value {
    let (code, message, retry_after) = error.public_parts();
    let mut body = json!({ "code": code, "message": message });
    if let Some(secs) = retry_after {
        body["retry_after"] = json!(secs);
    }
    json!({ "ok": false, "error": body })
}

/// Registers one event: decodes its payload (or acks `invalid_payload`),
/// runs `work` for the socket's user, and acks its result merged with `ok: true`.
fn on<A, P, F, Fut>(socket: &SocketRef<A>, state: &AppState, event: &'static str, work: F)
where
    A: Adapter,
    P: DeserializeOwned + Send + Sync + 'static,
    F: Fn(AppState, SocketRef<A>, SocketSession, P) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, ApiError>> + Send + 'static,
{
    let state = state.clone();
    socket.on(event, move |socket: SocketRef<A>, TryData(payload): TryData<P>, ack: AckSender<A>| {
        let (state, work) = (state.clone(), work.clone());
        async move {
            let Some(session) = socket.extensions.get::<SocketSession>() else {
                return;
            };
            let reply = match payload {
                Err(e) => json!({ "ok": false, "error": { "code": "invalid_payload", "message": format!("{event}: {e}") } }),
                Ok(payload) => match work(state, socket.clone(), session, payload).await {
                    Ok(mut value) => {
                        value["ok"] = json!(true);
                        value
                    }
                    Err(e) => error_ack(e),
                },
            };
            if let Err(e) = ack.send(&reply) {
                tracing::warn!(event, error = %e, "could not acknowledge a socket event");
            }
        }
    });
}

/// Wires every client event on a freshly connected socket.
pub fn register<A: Adapter>(socket: &SocketRef<A>, state: &AppState) {
    on(
        socket,
        state,
        "message:send",
        |state, _socket, me, p: SendPayload| async move {
            let (message, _) = messages::send_with_media(
                &state,
                me.user_id,
                p.conversation_id,
                &p.text,
                p.client_id.as_deref(),
                p.media_ids.as_deref().unwrap_or_default(),
            )
            .await?;
            Ok(json!({ "message": message }))
        },
    );
    on(
        socket,
        state,
        "read",
        |state, _socket, me, p: ReadPayload| async move {
            messages::mark_read(&state, me.user_id, p.conversation_id, p.seq).await?;
            Ok(json!({}))
        },
    );
    on(
        socket,
        state,
        "sync",
        |state, _socket, me, p: SyncPayload| async move {
            let (items, has_more) =
                messages::sync(&state, me.user_id, p.conversation_id, p.after_seq).await?;
            Ok(json!({ "messages": items, "has_more": has_more }))
        },
    );
    on(
        socket,
        state,
        "typing",
        |state, socket, me, p: TypingPayload| async move {
            crate::services::chat::member_conversation(&state, me.user_id, p.conversation_id)
                .await?;
            relay_typing(&state, &socket, me.user_id, p.conversation_id, p.typing);
            Ok(json!({}))
        },
    );
    on(
        socket,
        state,
        "presence:watch",
        |state, socket, _me, p: WatchPayload| async move {
            if p.user_ids.len() > MAX_WATCHED {
                return Err(ApiError::validation(
                    "user_ids",
                    format!("at most {MAX_WATCHED} users"),
                ));
            }
            socket.join(
                p.user_ids
                    .iter()
                    .map(|u| watch_room(*u))
                    .collect::<Vec<_>>(),
            );
            let states = presence::snapshot(&state, &p.user_ids).await?;
            Ok(json!({ "presence": states }))
        },
    );
}

/// Tells the conversation's other members (not the typist's own tabs) and,
/// for `typing: true`, arms the lapse timer that a refresh supersedes.
fn relay_typing<A: Adapter>(
    state: &AppState,
    socket: &SocketRef<A>,
    user: UserId,
    conversation: Uuid,
    typing: bool,
) {
    if typing {
        let generation = state.typing.started(conversation, user);
        emit_typing(socket.clone(), user, conversation, true);
        let (state, socket) = (state.clone(), socket.clone());
        tokio::spawn(async move {
            tokio::time::sleep(TYPING_TTL).await;
            if state.typing.expire(conversation, user, generation) {
                emit_typing(socket, user, conversation, false);
            }
        });
    } else if state.typing.stopped(conversation, user) {
        emit_typing(socket.clone(), user, conversation, false);
    }
}

/// Sends one typing event to the conversation's room minus the typist's
/// sockets. Volatile: a socket that cannot take it now simply misses it.
fn emit_typing<A: Adapter>(socket: SocketRef<A>, user: UserId, conversation: Uuid, typing: bool) {
    tokio::spawn(async move {
        let payload = json!({ "conversation_id": conversation, "user_id": user, "typing": typing });
        let sent = socket
            .within(conversation_room(conversation))
            .except(user_room(user))
            .volatile()
            .emit("typing", &payload)
            .await;
        if let Err(e) = sent {
            tracing::debug!(sid = %socket.id, error = %e, "typing relay dropped");
        }
    });
}
