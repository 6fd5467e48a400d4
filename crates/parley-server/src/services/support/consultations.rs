//! Consultations: a customer opens one with an organization, its agents
//! take it from the live queue, assign, close; the customer reopens it and
//! may get an FAQ answer inside it at once.
//!
//! Who may see one: its customer and the organization's agents; to anyone
//! else it does not exist (404), also through another organization's slug.
//! Status machine: `waiting` → `active` (assign) → `closed` (close, by an
//! agent or the customer) → back to `waiting`/`active` (reopen, by the
//! customer). A change that does not apply is 409: anything but a reopen on
//! a closed one is `consultation_closed`, a reopen of an open one
//! `consultation_not_closed`. Each change writes a `system` note in the same
//! transaction, and every change (a new message too) sends
//! `consultation:updated` to the customer and to the agents' room.

use crate::delivery::{Audience, Effect, Outcome, Room};
use crate::protocol::events::{ConsultationEvent, ConversationEvent, MessageEvent, ServerEvent};
use crate::protocol::views::{Consultation, FaqExchange, Message, OrgSummary};
use crate::services::chat;
use crate::services::limits::{self, Action};
use crate::services::support::{org_by_slug, parse_text, require_agent};
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::{
    ConsultationId, ConsultationStatus, ConversationId, ConversationKind, Error, ErrorCode, FaqId,
    FieldErrors, MessageId, Result, Timestamp, UserId,
};
use parley_store::conversations::ConversationRecord;
use parley_store::support::{
    Assignment, ConsultationRecord, NewConsultation, OrgRecord, Transitioned,
};
use std::collections::HashMap;

const MAX_SUBJECT_CHARS: usize = 200;

/// How the caller stands to a consultation they may see.
#[derive(Debug, Clone, Copy)]
struct Standing {
    customer: bool,
    agent: bool,
}

/// The consultation `id` of the organization `slug`, if `me` may see it
/// (its customer or an agent), else 404.
async fn visible(
    state: &AppState,
    me: UserId,
    slug: &str,
    id: ConsultationId,
) -> Result<(OrgRecord, ConsultationRecord, Standing)> {
    let org = org_by_slug(state, slug).await?;
    let consultation = state
        .store
        .consultation_by_id(id)
        .await?
        .filter(|c| c.org_id == org.id)
        .ok_or(Error::NotFound)?;
    let standing = Standing {
        customer: consultation.customer_id == me,
        agent: state.store.role_of(org.id, me).await?.is_some(),
    };
    if !standing.customer && !standing.agent {
        return Err(Error::NotFound);
    }
    Ok((org, consultation, standing))
}

/// The display name for notes ("Closed by …").
async fn display_name(state: &AppState, user: UserId) -> Result<String> {
    state
        .store
        .user_by_id(user)
        .await?
        .map(|u| u.display_name)
        .ok_or(Error::NotFound)
}

/// Views of `records` for the customer or for the agents, with their last
/// messages (one query for the whole page).
pub async fn hydrate(
    state: &AppState,
    records: &[ConsultationRecord],
    for_customer: bool,
) -> Result<Vec<Consultation>> {
    let ids: Vec<ConversationId> = records.iter().map(|c| c.conversation_id).collect();
    let mut last: HashMap<ConversationId, Message> = HashMap::new();
    let mut messages: Vec<Message> = state
        .store
        .last_messages(&ids)
        .await?
        .iter()
        .map(Message::from_record)
        .collect();
    crate::services::media::fill_messages(state, &mut messages).await?;
    crate::services::reactions::fill(state, &mut messages).await?;
    for message in messages {
        last.insert(message.conversation_id, message);
    }
    Ok(records
        .iter()
        .map(|r| {
            let mut message = last.remove(&r.conversation_id);
            if let Some(m) = &mut message {
                m.organization = Some(OrgSummary::of(r));
            }
            Consultation::from_record(r, for_customer, message)
        })
        .collect())
}

async fn one(
    state: &AppState,
    record: &ConsultationRecord,
    for_customer: bool,
) -> Result<Consultation> {
    hydrate(state, std::slice::from_ref(record), for_customer)
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// `consultation:updated` to its customer and to the organization's agents,
/// each with their own unread count.
pub async fn announce(state: &AppState, record: &ConsultationRecord) -> Result<Vec<Effect>> {
    let mut effects = Vec::with_capacity(2);
    for (for_customer, room) in [
        (true, Room::User(record.customer_id)),
        (false, Room::OrgAgents(record.org_id)),
    ] {
        let consultation = Box::new(one(state, record, for_customer).await?);
        effects.push(Effect::emit(
            Audience::Rooms(vec![room]),
            ServerEvent::ConsultationUpdated(ConsultationEvent { consultation }),
        ));
    }
    Ok(effects)
}

/// The consultation of a support conversation, read fresh (after a change
/// in it); `None` for any other conversation, without a query.
pub async fn of_conversation(
    state: &AppState,
    conversation: &ConversationRecord,
) -> Result<Option<ConsultationRecord>> {
    if conversation.kind != ConversationKind::Support {
        return Ok(None);
    }
    Ok(state
        .store
        .consultation_by_conversation(conversation.id)
        .await?)
}

/// The rooms a conversation's events go to: its members' room, and for a
/// support conversation its organization's agents too.
pub fn rooms(conversation: ConversationId, support: Option<&ConsultationRecord>) -> Vec<Room> {
    let mut rooms = vec![Room::Conversation(conversation)];
    if let Some(c) = support {
        rooms.push(Room::OrgAgents(c.org_id));
    }
    rooms
}

/// Labels messages of a support conversation with its organization.
pub fn label(messages: &mut [Message], support: Option<&ConsultationRecord>) {
    if let Some(c) = support {
        let org = OrgSummary::of(c);
        for m in messages {
            m.organization = Some(org.clone());
        }
    }
}

/// Opens a consultation with `slug` for `me`: `text` becomes message seq 1.
/// With auto-assignment on, round robin picks an agent under capacity (the
/// consultation stays `waiting` when all are at capacity).
pub async fn open(
    state: &AppState,
    me: UserId,
    slug: &str,
    subject: &str,
    text: &str,
) -> Result<Outcome<Consultation>> {
    let org = org_by_slug(state, slug).await?;
    let mut errors = FieldErrors::new();
    let subject = errors.check("subject", parse_text(subject, 1, MAX_SUBJECT_CHARS, false));
    let text = errors.check("text", parley_core::content::parse_message_text(text));
    errors.finish()?;
    let (Some(subject), Some(text)) = (subject, text) else {
        return Err(Error::internal("checked fields missing"));
    };
    limits::charge(state, Action::SendMessage, me).await?;
    let assign_to = if org.auto_assign {
        match state
            .store
            .pick_round_robin_agent(org.id, org.agent_capacity)
            .await?
        {
            Some(agent) => Some(Assignment {
                agent,
                note: format!("Assigned to {}", display_name(state, agent).await?),
            }),
            None => None,
        }
    } else {
        None
    };
    let record = state
        .store
        .open_consultation(&NewConsultation {
            id: ConsultationId::new(),
            org: org.id,
            customer: me,
            subject,
            first_text: text,
            conversation_id: ConversationId::new(),
            message_id: MessageId::new(),
            at: Timestamp::now(),
            assign_to,
        })
        .await?;
    let conversation = chat::get(state, me, record.conversation_id).await?;
    let mut effects = vec![
        Effect::Join {
            users: vec![me],
            room: Room::Conversation(record.conversation_id),
        },
        Effect::emit(
            Audience::users([me]),
            ServerEvent::ConversationCreated(ConversationEvent { conversation }),
        ),
    ];
    effects.extend(announce(state, &record).await?);
    Ok(Outcome::new(one(state, &record, true).await?, effects))
}

/// The organization's queue for its agents: `status` and the assignee's
/// username filter it (an unknown username matches nothing).
pub async fn queue(
    state: &AppState,
    me: UserId,
    slug: &str,
    status: Option<ConsultationStatus>,
    assignee: Option<&str>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Consultation>> {
    let org = org_by_slug(state, slug).await?;
    require_agent(state, &org, me).await?;
    let assignee = match assignee.map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(name) => match state.store.user_by_username(&name.to_lowercase()).await? {
            Some(user) => Some(user.user_id()),
            None => {
                return Ok(Page {
                    items: Vec::new(),
                    next_cursor: None,
                });
            }
        },
    };
    let rows = state
        .store
        .queue(org.id, status, assignee, cursor, limit)
        .await?;
    let page = Page::from_overfetch(rows, limit, |c| c.cursor(status));
    Ok(Page {
        items: hydrate(state, &page.items, false).await?,
        next_cursor: page.next_cursor,
    })
}

/// My consultations as a customer, with every organization.
pub async fn mine(
    state: &AppState,
    me: UserId,
    status: Option<ConsultationStatus>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Consultation>> {
    let rows = state
        .store
        .consultations_of_customer(me, status, cursor, limit)
        .await?;
    let page = Page::from_overfetch(rows, limit, |c| c.cursor(status));
    Ok(Page {
        items: hydrate(state, &page.items, true).await?,
        next_cursor: page.next_cursor,
    })
}

pub async fn get(
    state: &AppState,
    me: UserId,
    slug: &str,
    id: ConsultationId,
) -> Result<Consultation> {
    let (_, record, standing) = visible(state, me, slug, id).await?;
    one(state, &record, standing.customer).await
}

/// The result of a change that applied: the caller's view, the note and
/// the consultation's new state for everyone. A change that did not apply
/// (lost a race with another one) is `refusal`.
async fn changed(
    state: &AppState,
    result: Option<Transitioned>,
    for_customer: bool,
    refusal: ErrorCode,
) -> Result<Outcome<Consultation>> {
    let Transitioned { consultation, note } = result.ok_or(Error::NotFound)?;
    let note = note.ok_or(Error::Refused(refusal))?;
    let mut message = [Message::from_record(&note)];
    label(&mut message, Some(&consultation));
    let [message] = message;
    let mut effects = vec![Effect::emit(
        Audience::Rooms(rooms(consultation.conversation_id, Some(&consultation))),
        ServerEvent::MessageNew(MessageEvent { message }),
    )];
    effects.extend(announce(state, &consultation).await?);
    Ok(Outcome::new(
        one(state, &consultation, for_customer).await?,
        effects,
    ))
}

/// Assigns to `username` (default: me), who must be an agent; agents only.
/// Assigning to the current assignee of an active one changes nothing.
pub async fn assign(
    state: &AppState,
    me: UserId,
    slug: &str,
    id: ConsultationId,
    username: Option<&str>,
) -> Result<Outcome<Consultation>> {
    let (org, record, standing) = visible(state, me, slug, id).await?;
    if !standing.agent {
        return Err(Error::Refused(ErrorCode::NotAgent));
    }
    let agent = match username.map(str::trim).filter(|u| !u.is_empty()) {
        None => me,
        Some(name) => {
            let user = state
                .store
                .user_by_username(&name.to_lowercase())
                .await?
                .ok_or_else(|| Error::validation("username", format!("no user named {name:?}")))?;
            if state.store.role_of(org.id, user.user_id()).await?.is_none() {
                return Err(Error::validation(
                    "username",
                    "is not an agent of this organization",
                ));
            }
            user.user_id()
        }
    };
    if record.status == ConsultationStatus::Closed {
        return Err(Error::Refused(ErrorCode::ConsultationClosed));
    }
    if record.status == ConsultationStatus::Active && record.assignee_id == Some(agent) {
        return Ok(Outcome::quiet(
            one(state, &record, standing.customer).await?,
        ));
    }
    let agent_name = display_name(state, agent).await?;
    let note = if agent == me {
        format!("Assigned to {agent_name}")
    } else {
        format!(
            "{} assigned this to {agent_name}",
            display_name(state, me).await?
        )
    };
    let updated = state
        .store
        .assign_consultation(id, agent, &note, Timestamp::now())
        .await?;
    changed(
        state,
        updated,
        standing.customer,
        ErrorCode::ConsultationClosed,
    )
    .await
}

/// Closes it; its customer or an agent.
pub async fn close(
    state: &AppState,
    me: UserId,
    slug: &str,
    id: ConsultationId,
) -> Result<Outcome<Consultation>> {
    let (_, record, standing) = visible(state, me, slug, id).await?;
    if record.status == ConsultationStatus::Closed {
        return Err(Error::Refused(ErrorCode::ConsultationClosed));
    }
    let note = format!("Closed by {}", display_name(state, me).await?);
    let updated = state
        .store
        .close_consultation(id, &note, Timestamp::now())
        .await?;
    changed(
        state,
        updated,
        standing.customer,
        ErrorCode::ConsultationClosed,
    )
    .await
}

/// Reopens a closed one; its customer only.
pub async fn reopen(
    state: &AppState,
    me: UserId,
    slug: &str,
    id: ConsultationId,
) -> Result<Outcome<Consultation>> {
    let (_, record, standing) = visible(state, me, slug, id).await?;
    if !standing.customer {
        return Err(Error::Refused(ErrorCode::NotCustomer));
    }
    if record.status != ConsultationStatus::Closed {
        return Err(Error::Refused(ErrorCode::ConsultationNotClosed));
    }
    let note = format!("Reopened by {}", display_name(state, me).await?);
    let updated = state
        .store
        .reopen_consultation(id, &note, Timestamp::now())
        .await?;
    changed(state, updated, true, ErrorCode::ConsultationNotClosed).await
}

/// The customer picks the organization's FAQ entry `faq`: its question (from
/// them) and its answer (`auto`) are added to the conversation at once.
pub async fn pick_faq(
    state: &AppState,
    me: UserId,
    slug: &str,
    id: ConsultationId,
    faq: FaqId,
) -> Result<Outcome<FaqExchange>> {
    let (org, record, standing) = visible(state, me, slug, id).await?;
    if !standing.customer {
        return Err(Error::Refused(ErrorCode::NotCustomer));
    }
    let entry =
        state.store.faq_by_id(org.id, faq).await?.ok_or_else(|| {
            Error::validation("faq_id", "no such entry in this organization's FAQ")
        })?;
    if record.status == ConsultationStatus::Closed {
        return Err(Error::Refused(ErrorCode::ConsultationClosed));
    }
    limits::charge(state, Action::SendMessage, me).await?;
    let [question, answer] = state
        .store
        .add_faq_exchange(
            record.conversation_id,
            me,
            &entry.question,
            &entry.answer,
            Timestamp::now(),
        )
        .await?
        .ok_or(Error::NotFound)?;
    let updated = state
        .store
        .consultation_by_id(id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut messages = [
        Message::from_record(&question),
        Message::from_record(&answer),
    ];
    label(&mut messages, Some(&updated));
    let to = rooms(updated.conversation_id, Some(&updated));
    let mut effects: Vec<Effect> = messages
        .iter()
        .map(|m| {
            Effect::emit(
                Audience::Rooms(to.clone()),
                ServerEvent::MessageNew(MessageEvent { message: m.clone() }),
            )
        })
        .collect();
    effects.extend(announce(state, &updated).await?);
    let [question, answer] = messages;
    Ok(Outcome::new(FaqExchange { question, answer }, effects))
}
