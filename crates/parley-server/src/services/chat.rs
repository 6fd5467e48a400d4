//! Conversations: starting direct and group ones, listing them with unread
//! counts and last messages, adding members and leaving. Membership is the
//! access rule: to a non-member a conversation does not exist (404).
//! Messages live in `services::messages`.

use crate::delivery::{Audience, Effect, Outcome, Room};
use crate::protocol::events::{ConversationEvent, ServerEvent};
use crate::protocol::views::{Conversation, Member, Message, UserSummary};
use crate::services::blocks;
use crate::services::support::consultations as support;
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::{ConversationId, ConversationKind, Error, Result, Timestamp, UserId};
use parley_store::conversations::ConversationRecord;
use std::collections::HashMap;

/// Most members a group may be started with (more can be added later).
const MAX_INITIAL_MEMBERS: usize = 100;

/// Turns conversation rows into views for `me` with four queries for the
/// whole list (and one for the organizations of its support conversations).
pub async fn hydrate(
    state: &AppState,
    me: UserId,
    rows: Vec<ConversationRecord>,
) -> Result<Vec<Conversation>> {
    let ids: Vec<ConversationId> = rows.iter().map(|c| c.id).collect();
    let mut members: HashMap<ConversationId, Vec<Member>> = HashMap::new();
    for m in state.store.members_of(&ids).await? {
        members.entry(m.conversation_id).or_default().push(Member {
            user: UserSummary::new(
                m.user_id,
                &m.username,
                &m.display_name,
                m.avatar_key.as_deref(),
            ),
            last_read_seq: m.last_read_seq,
        });
    }
    let mut last_messages: Vec<Message> = state
        .store
        .last_messages(&ids)
        .await?
        .iter()
        .map(Message::from_record)
        .collect();
    crate::services::media::fill_messages(state, &mut last_messages).await?;
    crate::services::reactions::fill(state, &mut last_messages).await?;
    let support_ids: Vec<ConversationId> = rows
        .iter()
        .filter(|c| c.kind == ConversationKind::Support)
        .map(|c| c.id)
        .collect();
    let consultations: HashMap<ConversationId, _> = state
        .store
        .consultations_by_conversations(&support_ids)
        .await?
        .into_iter()
        .map(|c| (c.conversation_id, c))
        .collect();
    for message in &mut last_messages {
        let support = consultations.get(&message.conversation_id);
        support::label(std::slice::from_mut(message), support);
    }
    let mut last: HashMap<ConversationId, Message> = last_messages
        .into_iter()
        .map(|m| (m.conversation_id, m))
        .collect();
    let unread: HashMap<ConversationId, i64> = state
        .store
        .unread_counts(me, &ids)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| Conversation {
            members: members.remove(&c.id).unwrap_or_default(),
            last_message: last.remove(&c.id),
            unread_count: unread.get(&c.id).copied().unwrap_or(0),
            id: c.id,
            kind: c.kind,
            title: c.title,
            last_seq: c.last_seq,
            created_at: Timestamp(c.created_at),
        })
        .collect())
}

async fn one(state: &AppState, me: UserId, row: ConversationRecord) -> Result<Conversation> {
    hydrate(state, me, vec![row])
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// The conversation, if `me` may take part in it: a member, or for a
/// `support` conversation its customer or an agent of its organization
/// (who reach it by role, without a member row). Otherwise it does not
/// exist for them.
pub async fn member_conversation(
    state: &AppState,
    me: UserId,
    id: ConversationId,
) -> Result<ConversationRecord> {
    let row = state.store.conversation(id).await?.ok_or(Error::NotFound)?;
    let allowed = if row.kind == ConversationKind::Support {
        state.store.is_support_participant(id, me).await?
    } else {
        state.store.is_member(id, me).await?
    };
    if allowed {
        Ok(row)
    } else {
        Err(Error::NotFound)
    }
}

/// `event` for each of `recipients`, each with their own `unread_count`
/// (`fresh`: a conversation without messages, where every count is 0).
async fn tell_each(
    state: &AppState,
    conversation: &Conversation,
    recipients: &[UserId],
    fresh: bool,
    event: fn(ConversationEvent) -> ServerEvent,
) -> Vec<Effect> {
    let mut effects = Vec::with_capacity(recipients.len());
    for user in recipients {
        let mut theirs = conversation.clone();
        theirs.unread_count = if fresh {
            0
        } else {
            match state.store.unread_counts(*user, &[conversation.id]).await {
                Ok(counts) => counts.first().map_or(0, |(_, n)| *n),
                Err(e) => {
                    tracing::warn!(error = %e, "unread count for a conversation event failed");
                    0
                }
            }
        };
        effects.push(Effect::emit(
            Audience::users([*user]),
            event(ConversationEvent {
                conversation: theirs,
            }),
        ));
    }
    effects
}

fn member_ids(conversation: &Conversation) -> Vec<UserId> {
    conversation.members.iter().map(|m| m.user.id).collect()
}

fn parse_title(raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > 100 => {
            Err(Error::validation("title", "must be at most 100 characters"))
        }
        Some(t) if t.chars().any(char::is_control) => Err(Error::validation(
            "title",
            "must not contain control characters",
        )),
        Some(t) => Ok(Some(t.to_owned())),
    }
}

/// Starts a conversation with `usernames`. One other user and no title is a
/// direct conversation, which is reused if it exists (`created` false).
/// Every member's sockets join its room and get `conversation:created` at
/// once, before any message.
pub async fn start(
    state: &AppState,
    me: UserId,
    usernames: &[String],
    title: Option<&str>,
) -> Result<Outcome<(Conversation, bool)>> {
    let title = parse_title(title)?;
    if usernames.is_empty() {
        return Err(Error::validation("usernames", "name at least one user"));
    }
    if usernames.len() > MAX_INITIAL_MEMBERS {
        return Err(Error::validation(
            "usernames",
            format!("at most {MAX_INITIAL_MEMBERS} users"),
        ));
    }
    let mut others = Vec::new();
    for name in usernames {
        let user = state
            .store
            .user_by_username(&name.trim().to_lowercase())
            .await?
            .ok_or_else(|| Error::validation("usernames", format!("no user named {name:?}")))?;
        if user.user_id() != me && !others.contains(&user.user_id()) {
            others.push(user.user_id());
        }
    }
    if others.is_empty() {
        return Err(Error::validation(
            "usernames",
            "name someone other than yourself",
        ));
    }
    // A block keeps both out of any new conversation together; groups they
    // already share stay.
    blocks::ensure_none_between(state, me, &others).await?;
    let now = Timestamp::now();
    let (row, created) = if others.len() == 1 && title.is_none() {
        state.store.open_direct(me, others[0], now).await?
    } else {
        let mut members = vec![me];
        members.extend(&others);
        (
            state
                .store
                .create_conversation(ConversationKind::Group, title.as_deref(), &members, now)
                .await?,
            true,
        )
    };
    let conversation = one(state, me, row).await?;
    if !created {
        return Ok(Outcome::quiet((conversation, false)));
    }
    let members = member_ids(&conversation);
    let mut effects = vec![Effect::Join {
        users: members.clone(),
        room: Room::Conversation(conversation.id),
    }];
    effects.extend(
        tell_each(
            state,
            &conversation,
            &members,
            true,
            ServerEvent::ConversationCreated,
        )
        .await,
    );
    Ok(Outcome::new((conversation, true), effects))
}

pub async fn list(
    state: &AppState,
    me: UserId,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Conversation>> {
    let rows = state.store.conversations_page(me, cursor, limit).await?;
    let page = Page::from_overfetch(rows, limit, |c| Cursor {
        at: c.last_activity_at,
        id: c.id.0,
    });
    Ok(Page {
        items: hydrate(state, me, page.items).await?,
        next_cursor: page.next_cursor,
    })
}

pub async fn get(state: &AppState, me: UserId, id: ConversationId) -> Result<Conversation> {
    let row = member_conversation(state, me, id).await?;
    one(state, me, row).await
}

fn require_group(row: &ConversationRecord) -> Result<()> {
    if row.kind == ConversationKind::Group {
        Ok(())
    } else {
        Err(Error::validation(
            "conversation",
            "only group conversations change members",
        ))
    }
}

/// Adds `username` to a group `me` belongs to; idempotent. The new member's
/// sockets join its room, and every member (the new one too) gets
/// `conversation:updated`.
pub async fn add_member(
    state: &AppState,
    me: UserId,
    id: ConversationId,
    username: &str,
) -> Result<Outcome<Conversation>> {
    let row = member_conversation(state, me, id).await?;
    require_group(&row)?;
    let user = state
        .store
        .user_by_username(&username.trim().to_lowercase())
        .await?
        .ok_or(Error::NotFound)?;
    blocks::ensure_none_between(state, me, &[user.user_id()]).await?;
    let added = state
        .store
        .add_member(id, user.user_id(), Timestamp::now())
        .await?;
    let conversation = get(state, me, id).await?;
    if !added {
        return Ok(Outcome::quiet(conversation));
    }
    let mut effects = vec![Effect::Join {
        users: vec![user.user_id()],
        room: Room::Conversation(id),
    }];
    effects.extend(
        tell_each(
            state,
            &conversation,
            &member_ids(&conversation),
            false,
            ServerEvent::ConversationUpdated,
        )
        .await,
    );
    Ok(Outcome::new(conversation, effects))
}

/// Leaves a group: from now on the conversation does not exist for `me`.
/// The remaining members and the leaver's other sockets get
/// `conversation:updated` (without the leaver among the members).
pub async fn leave(state: &AppState, me: UserId, id: ConversationId) -> Result<Outcome<()>> {
    let row = member_conversation(state, me, id).await?;
    require_group(&row)?;
    state.store.remove_member(id, me).await?;
    let mut effects = vec![Effect::Leave {
        users: vec![me],
        room: Room::Conversation(id),
    }];
    let remaining = hydrate(state, me, vec![row]).await?.pop();
    if let Some(mut conversation) = remaining {
        conversation.unread_count = 0;
        let mut recipients = member_ids(&conversation);
        recipients.push(me);
        effects.extend(
            tell_each(
                state,
                &conversation,
                &recipients,
                false,
                ServerEvent::ConversationUpdated,
            )
            .await,
        );
    }
    Ok(Outcome::new((), effects))
}
