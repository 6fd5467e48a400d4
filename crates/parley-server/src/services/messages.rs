//! Messages: the one send path behind both `message:send` (Socket.IO) and
//! `POST .../messages` (REST). A message is acknowledged only after it is
//! committed; a retried `client_id` returns the first message and stores
//! nothing new; events go out after commit. Also read markers and catch-up.

use crate::delivery::{Audience, Effect, Outcome};
use crate::protocol::events::{MessageDeletedEvent, MessageEvent, ReadEvent, ServerEvent};
use crate::protocol::requests::SendMessage;
use crate::protocol::views::Message;
use crate::services::chat::member_conversation;
use crate::services::limits::{self, Action};
use crate::services::media;
use crate::services::support::consultations as support;
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::{
    ConversationId, ConversationKind, Error, ErrorCode, MessageId, Result, Timestamp, UserId,
};
use parley_store::messages::{NewMessage, SendOutcome};
use parley_store::support::ConsultationRecord;

const MAX_CLIENT_ID_CHARS: usize = 100;
/// Most messages one `sync` returns; the client asks again from the last seq.
pub const SYNC_LIMIT: u32 = 500;

fn parse_text(raw: &str) -> Result<String> {
    parley_core::content::parse_message_text(raw).map_err(|why| Error::validation("text", why))
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

/// Sends a message with up to four of the sender's unattached uploads.
/// Returns it and whether it was newly stored (false: the same `client_id`
/// was already sent, and this is that message, announced no second time).
/// A retry may name the media its first attempt attached.
pub async fn send(
    state: &AppState,
    me: UserId,
    conversation: ConversationId,
    body: &SendMessage,
) -> Result<Outcome<(Message, bool)>> {
    let text = parse_text(&body.text)?;
    let client_id = parse_client_id(body.client_id.as_deref())?;
    let media_ids = media::parse_ids(body.media_ids.as_deref().unwrap_or_default())?;
    let row = member_conversation(state, me, conversation).await?;
    // Existing direct conversations stay readable, but a block ends
    // talking in them, both ways.
    if row.kind == ConversationKind::Direct
        && state
            .store
            .blocked_in_conversation(conversation, me)
            .await?
    {
        return Err(Error::Refused(ErrorCode::Blocked));
    }
    limits::charge(state, Action::SendMessage, me).await?;
    let retry = client_id.as_deref().map(|client_id| media::Retry {
        conversation,
        client_id,
    });
    let media = media::attachable(state, me, &media_ids, retry).await?;
    let with_media = !media.is_empty();
    let new = NewMessage {
        id: MessageId::new(),
        conversation_id: conversation,
        sender_id: me,
        text,
        client_id,
        // Attached in the send's own transaction: a lost race for an upload
        // stores nothing and uses up no seq.
        media,
        created_at: Timestamp::now(),
    };
    match state.store.send_message(&new).await? {
        SendOutcome::Stored(record) => {
            // Without media there is nothing to read back: no extra query on
            // the hot path (and a new message has no reactions to read).
            let mut message = if with_media {
                let mut message = [Message::from_record(&record)];
                media::fill_messages(state, &mut message).await?;
                let [message] = message;
                message
            } else {
                Message::from_record(&record)
            };
            // Read after the send: its activity time and unread counts are current.
            let support = support::of_conversation(state, &row).await?;
            support::label(std::slice::from_mut(&mut message), support.as_ref());
            let event = ServerEvent::MessageNew(MessageEvent {
                message: message.clone(),
            });
            let mut effects = vec![to_members(conversation, support.as_ref(), event)];
            if let Some(consultation) = &support {
                effects.extend(support::announce(state, consultation).await?);
            }
            Ok(Outcome::new((message, true), effects))
        }
        SendOutcome::Duplicate(record) => {
            let mut message = complete(state, &record).await?;
            let support = support::of_conversation(state, &row).await?;
            support::label(std::slice::from_mut(&mut message), support.as_ref());
            Ok(Outcome::quiet((message, false)))
        }
    }
}

/// An event for every socket of the conversation's members (and of a
/// support conversation's agents).
pub(crate) fn to_members(
    conversation: ConversationId,
    support: Option<&ConsultationRecord>,
    event: ServerEvent,
) -> Effect {
    Effect::emit(
        Audience::Rooms(support::rooms(conversation, support)),
        event,
    )
}

/// A stored message with its media and reactions.
pub(crate) async fn complete(
    state: &AppState,
    record: &parley_store::messages::MessageRecord,
) -> Result<Message> {
    let mut message = [Message::from_record(record)];
    media::fill_messages(state, &mut message).await?;
    crate::services::reactions::fill(state, &mut message).await?;
    let [message] = message;
    Ok(message)
}

/// A page of history: after `after_seq` (oldest first, for catching up), or
/// before `before_seq` (paging back), or the latest messages. Items are always
/// in `seq` order; `next_cursor` continues in the same direction.
pub async fn history(
    state: &AppState,
    me: UserId,
    conversation: ConversationId,
    after_seq: Option<i64>,
    before_seq: Option<i64>,
    limit: u32,
) -> Result<Page<Message>> {
    let row = member_conversation(state, me, conversation).await?;
    let seq_cursor = |seq: i64| Cursor {
        at: seq,
        id: uuid::Uuid::nil(),
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
    crate::services::reactions::fill(state, &mut page.items).await?;
    let support = support::of_conversation(state, &row).await?;
    support::label(&mut page.items, support.as_ref());
    Ok(page)
}

/// Catch-up after a reconnect: the messages after `after_seq`, in order
/// (at most [`SYNC_LIMIT`]; `has_more` says to ask again).
pub async fn sync(
    state: &AppState,
    me: UserId,
    conversation: ConversationId,
    after_seq: i64,
) -> Result<(Vec<Message>, bool)> {
    let page = history(state, me, conversation, Some(after_seq), None, SYNC_LIMIT).await?;
    Ok((page.items, page.next_cursor.is_some()))
}

/// Loads a message `me` sent, in a conversation `me` still belongs to, and
/// that conversation's consultation if it is a support one.
async fn own_message(
    state: &AppState,
    me: UserId,
    id: MessageId,
) -> Result<(
    parley_store::messages::MessageRecord,
    Option<ConsultationRecord>,
)> {
    let record = state
        .store
        .message_by_id(id)
        .await?
        .ok_or(Error::NotFound)?;
    let row = member_conversation(state, me, record.conversation_id).await?;
    let support = support::of_conversation(state, &row).await?;
    if record.sender_id != Some(me) {
        return Err(Error::Refused(ErrorCode::NotSender));
    }
    if record.deleted_at.is_some() {
        return Err(Error::Refused(ErrorCode::MessageDeleted));
    }
    Ok((record, support))
}

pub async fn edit(
    state: &AppState,
    me: UserId,
    id: MessageId,
    text: &str,
) -> Result<Outcome<Message>> {
    let text = parse_text(text)?;
    let (record, support) = own_message(state, me, id).await?;
    if !state
        .store
        .edit_message(id, &text, Timestamp::now())
        .await?
    {
        return Err(ErrorCode::MessageDeleted.into());
    }
    let stored = state
        .store
        .message_by_id(id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut message = complete(state, &stored).await?;
    support::label(std::slice::from_mut(&mut message), support.as_ref());
    let event = ServerEvent::MessageUpdated(MessageEvent {
        message: message.clone(),
    });
    Ok(Outcome::new(
        message,
        vec![to_members(record.conversation_id, support.as_ref(), event)],
    ))
}

pub async fn delete(state: &AppState, me: UserId, id: MessageId) -> Result<Outcome<()>> {
    let (record, support) = own_message(state, me, id).await?;
    remove(state, &record, support.as_ref()).await
}

/// Deletes a message whoever asks (its sender, or a moderator through
/// `services::moderation`): its media go and the members hear `message:deleted`.
pub(crate) async fn remove(
    state: &AppState,
    record: &parley_store::messages::MessageRecord,
    support: Option<&ConsultationRecord>,
) -> Result<Outcome<()>> {
    let id = record.id;
    if !state.store.delete_message(id, Timestamp::now()).await? {
        return Ok(Outcome::quiet(()));
    }
    // Its media are garbage now; their files go at once.
    state.media.sweep_soon();
    let conversation = record.conversation_id;
    let event = ServerEvent::MessageDeleted(MessageDeletedEvent {
        conversation_id: conversation,
        id,
    });
    Ok(Outcome::quiet(()).with(to_members(conversation, support, event)))
}

/// Moves my read marker forward to `seq` (never back); members see a `read`
/// receipt when it moved. In a support conversation an agent moves the
/// agents' shared marker, and the consultation's unread counts change too.
pub async fn mark_read(
    state: &AppState,
    me: UserId,
    conversation: ConversationId,
    seq: i64,
) -> Result<Outcome<()>> {
    if seq < 0 {
        return Err(Error::validation("seq", "must not be negative"));
    }
    let row = member_conversation(state, me, conversation).await?;
    let before = support::of_conversation(state, &row).await?;
    let moved = match &before {
        Some(c) if c.customer_id != me => {
            state.store.mark_read_by_agents(conversation, seq).await?
        }
        _ => state.store.mark_read(conversation, me, seq).await?,
    };
    let Some(seq) = moved else {
        return Ok(Outcome::quiet(()));
    };
    let event = ServerEvent::Read(ReadEvent {
        conversation_id: conversation,
        user_id: me,
        seq,
    });
    let support = support::of_conversation(state, &row).await?;
    let mut outcome = Outcome::quiet(()).with(to_members(conversation, support.as_ref(), event));
    if let Some(consultation) = &support {
        outcome
            .effects
            .extend(support::announce(state, consultation).await?);
    }
    Ok(outcome)
}
