//! Full-text search: posts (public, like the everyone feed) and the messages
//! of my conversations. `q` becomes terms with `parley_core::search` (word
//! prefixes; bigrams for Korean and other CJK text; every term must match),
//! the store finds the documents in its own index, and the hits are hydrated
//! exactly as feeds and chat history are (same `Post` and `Message` views)
//! with where the query matched their text, as UTF-16 ranges for JavaScript.
//! Reads: only the global per-IP rate limit applies, as for the feeds.
//! Post hits leave out the authors the viewer blocks, mutes or is blocked
//! by, as the feeds do.

use crate::protocol::views::{Message, MessageHit, PostHit, TextRange};
use crate::services::chat::member_conversation;
use crate::services::media;
use crate::services::support::consultations as support;
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::search::Query;
use parley_core::{ConversationId, Error, Result, UserId};
use parley_store::search::MessageScope;
use std::collections::HashMap;

/// Longest `q`, in characters after trimming.
pub const MAX_QUERY_CHARS: usize = 200;

/// Validates and parses `q`: 1–200 characters after trimming, with at
/// least one word (letters or digits). Anything else is 422 on `q`.
pub fn parse_query(raw: &str) -> Result<Query> {
    let q = raw.trim();
    if q.is_empty() {
        return Err(Error::validation("q", "must not be empty"));
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::validation(
            "q",
            format!("must be at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    Query::parse(q).ok_or_else(|| Error::validation("q", "must contain a word (letters or digits)"))
}

fn ranges(query: &Query, text: &str) -> Vec<TextRange> {
    query
        .highlights(text)
        .into_iter()
        .map(|(start, end)| TextRange {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        })
        .collect()
}

/// A page of posts matching `q`, newest first, hydrated for `viewer`.
pub async fn posts(
    state: &AppState,
    q: &str,
    viewer: Option<UserId>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<PostHit>> {
    let query = parse_query(q)?;
    let rows = state
        .store
        .search_posts(&query.terms, viewer, cursor.map(|c| c.id.into()), limit + 1)
        .await?;
    let page = Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id.0));
    let posts = crate::services::posts::hydrate(state, page.items, viewer).await?;
    Ok(Page {
        items: posts
            .into_iter()
            .map(|post| PostHit {
                highlights: ranges(&query, &post.text),
                post,
            })
            .collect(),
        next_cursor: page.next_cursor,
    })
}

/// A page of `me`'s messages matching `q`, newest first: in every
/// conversation I am a member of, or only in `conversation` (404 unless I
/// may read it, as for its history). Deleted messages are never found.
pub async fn messages(
    state: &AppState,
    me: UserId,
    q: &str,
    conversation: Option<ConversationId>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<MessageHit>> {
    let query = parse_query(q)?;
    let scope = match conversation {
        Some(id) => {
            member_conversation(state, me, id).await?;
            MessageScope::Conversation(id)
        }
        None => MessageScope::MemberOf(me),
    };
    let rows = state
        .store
        .search_messages(scope, &query.terms, cursor.map(|c| c.id.into()), limit + 1)
        .await?;
    let page = Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id.0));
    let mut items: Vec<Message> = page.items.iter().map(Message::from_record).collect();
    media::fill_messages(state, &mut items).await?;
    crate::services::reactions::fill(state, &mut items).await?;
    label_support(state, &mut items).await?;
    Ok(Page {
        items: items
            .into_iter()
            .map(|message| MessageHit {
                highlights: ranges(&query, &message.text),
                message,
            })
            .collect(),
        next_cursor: page.next_cursor,
    })
}

/// Gives messages of support conversations their organization, as history does.
async fn label_support(state: &AppState, items: &mut [Message]) -> Result<()> {
    let mut ids: Vec<ConversationId> = items.iter().map(|m| m.conversation_id).collect();
    ids.sort_by_key(|id| id.0);
    ids.dedup();
    let support_ids = state.store.support_conversations_among(&ids).await?;
    let mut orgs = HashMap::new();
    for id in support_ids {
        if let Some(c) = state.store.consultation_by_conversation(id).await? {
            orgs.insert(id, c);
        }
    }
    for m in items.iter_mut() {
        if let Some(c) = orgs.get(&m.conversation_id) {
            support::label(std::slice::from_mut(m), Some(c));
        }
    }
    Ok(())
}
