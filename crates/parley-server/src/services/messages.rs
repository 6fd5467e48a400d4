//! Messages: the one send path behind both `message:send` (Socket.IO) and
//! `POST .../messages` (REST). A message is acknowledged only after it is
//! committed; a retried `client_id` returns the first message and stores
//! nothing new; events go out after commit. Also read markers, catch-up and
//! typing.

use crate::services::chat::member_conversation;
use crate::services::media;
use crate::state::AppState;
use crate::views::Message;
use parley_core::page::{Cursor, Page};
use parley_core::{Error, Result, Timestamp, UserId};
use parley_store::media::Attachment;
use parley_store::messages::{NewMessage, SendOutcome};
use uuid::Uuid;

pub const MAX_TEXT_CHARS: usize = 4000;
const MAX_CLIENT_ID_CHARS: usize = 100;
/// Most messages one `sync` returns; the client asks again from the last seq.
pub const SYNC_LIMIT: u32 = 500;

fn parse_text(raw: &str) -> Result<String> {
    if raw.trim().is_empty() {
        return Err(Error::validation("text", "must not be empty"));
    }
    if raw.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::validation(
            "text",
            format!("must be at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(raw.trim_end().to_owned())
}

fn parse_client_id(raw: Option<&str>) -> Result<Option<String>> {
    match raw {
        None => Ok(None),
        Some(id) if id.is_empty() || id.chars().count() > MAX_CLIENT_ID_CHARS => {
            Err(Error::validation(
                "client_id",
                format!("must be 1 to {MAX_CLIENT_ID_CHARS} characters"),
            ))
        }
        Some(id) => Ok(Some(id.to_owned())),
    }
}

/// Sends a message. Returns it and whether it was newly stored (false: the
/// same `client_id` was already sent, and this is that message).
pub async fn send(
    state: &AppState,
    me: UserId,
    conversation: Uuid,
    text: &str,
    client_id: Option<&str>,
) -> Result<(Message, bool)> {
    send_with_media(state, me, conversation, text, client_id, &[]).await
}

/// [`send`] with up to four of the sender's unattached uploads. A retry
/// (same `client_id`) may name the media its first attempt attached.
pub async fn send_with_media(
    state: &AppState,
    me: UserId,
    conversation: Uuid,
    text: &str,
    client_id: Option<&str>,
    media_ids: &[String],
) -> Result<(Message, bool)> {
    let text = parse_text(text)?;
    let client_id = parse_client_id(client_id)?;
    let media_ids = media::parse_ids(media_ids)?;
    member_conversation(state, me, conversation).await?;
    if state.config.rate_limits.enabled {
        let decision = state
            .limiter
            .hit(
                &format!("message:user:{me}"),
                state.config.rate_limits.message,
            )
            .await;
        if !decision.allowed {
            return Err(Error::RateLimited {
                retry_after_secs: decision.reset_after_secs,
                limit: decision.limit,
            });
        }
    }
    let retry = client_id.as_deref().map(|client_id| media::Retry {
        conversation,
        client_id,
    });
    let media_ids = media::attachable(state, me, &media_ids, retry).await?;
    let new = NewMessage {
        id: Uuid::now_v7(),
        conversation_id: conversation,
        sender_id: me,
        text,
        client_id,
        created_at: Timestamp::now(),
    };
    let outcome = state.store.send_message(&new).await?;
    let (SendOutcome::Stored(record) | SendOutcome::Duplicate(record)) = &outcome;
    let attachment = Attachment::Message(record.id);
    if let Err(e) = media::attach(state, me, attachment, &media_ids).await
        && let SendOutcome::Stored(record) = &outcome
    {
        // Another request attached one of them first: take this message back.
        state
            .store
            .delete_message(record.id, Timestamp::now())
            .await?;
        return Err(e);
    }
    match outcome {
        SendOutcome::Stored(record) => {
            // Without media there is nothing to read back: no extra query on the hot path.
            let message = if media_ids.is_empty() {
                Message::from_record(&record)
            } else {
                one_with_media(state, &record).await?
            };
            state
                .realtime
                .emit_to_conversation(
                    conversation,
                    "message:new",
                    &serde_json::json!({ "message": message }),
                )
                .await;
            Ok((message, true))
        }
        SendOutcome::Duplicate(record) => Ok((one_with_media(state, &record).await?, false)),
    }
}

/// A message with its media.
async fn one_with_media(
    state: &AppState,
    record: &parley_store::messages::MessageRecord,
) -> Result<Message> {
    let mut message = [Message::from_record(record)];
    media::fill_messages(state, &mut message).await?;
    let [message] = message;
    Ok(message)
}

/// A page of history: after `after_seq` (oldest first, for catching up), or
/// before `before_seq` (paging back), or the latest messages. Items are always
/// in `seq` order; `next_cursor` continues in the same direction.
pub async fn history(
    state: &AppState,
    me: UserId,
    conversation: Uuid,
    after_seq: Option<i64>,
    before_seq: Option<i64>,
    limit: u32,
) -> Result<Page<Message>> {
    member_conversation(state, me, conversation).await?;
    let seq_cursor = |seq: i64| Cursor {
        at: seq,
        id: Uuid::nil(),
    };
    let mut page = match (after_seq, before_seq) {
        (Some(_), Some(_)) => Err(Error::validation(
            "after_seq",
            "use after_seq or before_seq, not both",
        )),
        (Some(after), None) => {
            let rows = state
                .store
                .messages_after(conversation, after.max(0), limit)
                .await?;
            Ok(Page::from_overfetch(rows, limit, |m| seq_cursor(m.seq))
                .map(|m| Message::from_record(&m)))
        }
        (None, before) => {
            let rows = state
                .store
                .messages_before(conversation, before.unwrap_or(i64::MAX), limit)
                .await?;
            let mut page = Page::from_overfetch(rows, limit, |m| seq_cursor(-m.seq));
            page.items.reverse();
            Ok(page.map(|m| Message::from_record(&m)))
        }
    }?;
    media::fill_messages(state, &mut page.items).await?;
    Ok(page)
}

/// Catch-up after a reconnect: the messages after `after_seq`, in order
/// (at most [`SYNC_LIMIT`]; `has_more` says to ask again).
pub async fn sync(
    state: &AppState,
    me: UserId,
    conversation: Uuid,
    after_seq: i64,
) -> Result<(Vec<Message>, bool)> {
    let page = history(state, me, conversation, Some(after_seq), None, SYNC_LIMIT).await?;
    Ok((page.items, page.next_cursor.is_some()))
}

/// Loads a message `me` sent, in a conversation `me` still belongs to.
async fn own_message(
    state: &AppState,
    me: UserId,
    id: Uuid,
) -> Result<parley_store::messages::MessageRecord> {
    let record = state
        .store
        .message_by_id(id)
        .await?
        .ok_or(Error::NotFound)?;
    member_conversation(state, me, record.conversation_id).await?;
    if record.sender_id != Some(me.0) {
        return Err(Error::Forbidden("not_sender"));
    }
    if record.deleted_at.is_some() {
        return Err(Error::Gone("message_deleted"));
    }
    Ok(record)
}

pub async fn edit(state: &AppState, me: UserId, id: Uuid, text: &str) -> Result<Message> {
    let text = parse_text(text)?;
    let record = own_message(state, me, id).await?;
    if !state
        .store
        .edit_message(id, &text, Timestamp::now())
        .await?
    {
        return Err(Error::Gone("message_deleted"));
    }
    let message = one_with_media(
        state,
        &state
            .store
            .message_by_id(id)
            .await?
            .ok_or(Error::NotFound)?,
    )
    .await?;
    state
        .realtime
        .emit_to_conversation(
            record.conversation_id,
            "message:updated",
            &serde_json::json!({ "message": message }),
        )
        .await;
    Ok(message)
}

pub async fn delete(state: &AppState, me: UserId, id: Uuid) -> Result<()> {
    let record = own_message(state, me, id).await?;
    if state.store.delete_message(id, Timestamp::now()).await? {
        // Its media are garbage now; their files go at once.
        state.media.sweep_soon();
        let payload = serde_json::json!({ "conversation_id": record.conversation_id, "id": id });
        state
            .realtime
            .emit_to_conversation(record.conversation_id, "message:deleted", &payload)
            .await;
    }
    Ok(())
}

/// Moves my read marker forward to `seq` (never back); members see a `read`
/// receipt when it moved. Returns the marker now in effect.
pub async fn mark_read(state: &AppState, me: UserId, conversation: Uuid, seq: i64) -> Result<()> {
    if seq < 0 {
        return Err(Error::validation("seq", "must not be negative"));
    }
    member_conversation(state, me, conversation).await?;
    if let Some(seq) = state.store.mark_read(conversation, me, seq).await? {
        let payload =
            serde_json::json!({ "conversation_id": conversation, "user_id": me, "seq": seq });
        state
            .realtime
            .emit_to_conversation(conversation, "read", &payload)
            .await;
    }
    Ok(())
}
