//! Client-to-server events of the default namespace. Each one decodes its
//! payload into the protocol's request type, calls the same service as its
//! REST twin, hands the outcome to delivery, and answers through the
//! acknowledgement callback with a [`protocol::acks::Ack`]: `{"ok": true,
//! ...}` or `{"ok": false, "error": {code, message, fields?, retry_after?}}`,
//! the same error value REST renders. A payload of the wrong shape is refused
//! with `invalid_payload` naming the field, never dropped silently.
//!
//! [`protocol::acks::Ack`]: crate::protocol::acks::Ack

use crate::delivery::{Room, rooms};
use crate::protocol::acks::{Ack, Done, SendAck, SyncAck, WatchAck};
use crate::protocol::errors::ErrorDetail;
use crate::protocol::requests::{
    Decode, InConversation, MarkRead, SendMessage, SetTyping, SyncMessages, WatchPresence,
};
use crate::realtime::gateway::SocketSession;
use crate::services::{messages, presence, typing};
use crate::state::AppState;
use parley_core::Error;
use serde::Serialize;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, Data, SocketRef};
use std::future::Future;

/// Registers one event: decodes its payload (or acks `invalid_payload`),
/// runs `work` for the socket's user, and acks its result.
fn on<A, P, R, F, Fut>(socket: &SocketRef<A>, state: &AppState, event: &'static str, work: F)
where
    A: Adapter,
    P: Decode + Send + 'static,
    R: Serialize + Send + 'static,
    F: Fn(AppState, SocketRef<A>, SocketSession, P) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<R, Error>> + Send + 'static,
{
    let state = state.clone();
    socket.on(
        event,
        move |socket: SocketRef<A>, Data(payload): Data<serde_json::Value>, ack: AckSender<A>| {
            let (state, work) = (state.clone(), work.clone());
            async move {
                let Some(session) = socket.extensions.get::<SocketSession>() else {
                    return;
                };
                let reply = match P::decode(payload) {
                    Err(detail) => Ack::refused(detail),
                    Ok(payload) => match work(state, socket.clone(), session, payload).await {
                        Ok(value) => Ack::ok(value),
                        Err(e) => Ack::refused(ErrorDetail::of(&e)),
                    },
                };
                if let Err(e) = ack.send(&reply) {
                    tracing::warn!(event, error = %e, "could not acknowledge a socket event");
                }
            }
        },
    );
}

/// Wires every client event on a freshly connected socket.
pub fn register<A: Adapter>(socket: &SocketRef<A>, state: &AppState) {
    on(
        socket,
        state,
        "message:send",
        |state, _socket, me, p: InConversation<SendMessage>| async move {
            let sent = messages::send(&state, me.user_id, p.conversation_id, &p.body).await?;
            let (message, _) = state.finish(sent).await;
            Ok(SendAck { message })
        },
    );
    on(
        socket,
        state,
        "read",
        |state, _socket, me, p: InConversation<MarkRead>| async move {
            let done =
                messages::mark_read(&state, me.user_id, p.conversation_id, p.body.seq).await?;
            state.finish(done).await;
            Ok(Done {})
        },
    );
    on(
        socket,
        state,
        "sync",
        |state, _socket, me, p: InConversation<SyncMessages>| async move {
            let (messages, has_more) =
                messages::sync(&state, me.user_id, p.conversation_id, p.body.after_seq).await?;
            Ok(SyncAck { messages, has_more })
        },
    );
    on(
        socket,
        state,
        "typing",
        |state, _socket, me, p: InConversation<SetTyping>| async move {
            let done = typing::set(&state, me.user_id, p.conversation_id, p.body.typing).await?;
            state.finish(done).await;
            Ok(Done {})
        },
    );
    on(
        socket,
        state,
        "presence:watch",
        |state, socket, _me, p: WatchPresence| async move {
            let presence = presence::watch(&state, &p.user_ids).await?;
            socket.join(rooms::names(
                p.user_ids.iter().copied().map(Room::PresenceWatchers),
            ));
            Ok(WatchAck { presence })
        },
    );
}
