//! Notifications: stored in the same transaction as the action that caused
//! them (a like, a follow, a comment, a mention), then pushed live to each
//! recipient after the commit. Nobody is notified about their own actions.
//!
//! A use-case builds its rows with [`rows`], hands them to the store with the
//! action, and after the commit turns the ones that were stored into events
//! with [`announce`]: one query for all of them, whatever their number.

use crate::delivery::{Audience, Effect};
use crate::protocol::events::{NotificationEvent, ServerEvent};
use crate::protocol::views::Notification;
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::{CommentId, NotificationId, NotificationKind, PostId, Result, Timestamp, UserId};
use parley_store::notifications::NewNotification;
use std::collections::{HashMap, HashSet};

/// Most people one text can notify by mentioning them.
const MAX_MENTIONS: usize = 20;

/// What happened, to whom, by whom, about what.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub kind: NotificationKind,
    pub recipient: UserId,
    pub actor: UserId,
    pub post_id: Option<PostId>,
    pub comment_id: Option<CommentId>,
}

/// The notification rows for `events`, to be stored with the action that
/// caused them: nobody hears of their own actions, nor from someone they
/// block or mute or who blocks them (one query for all recipients).
pub async fn rows(
    state: &AppState,
    events: impl IntoIterator<Item = Event>,
) -> Result<Vec<NewNotification>> {
    let now = Timestamp::now();
    let events: Vec<Event> = events
        .into_iter()
        .filter(|e| e.recipient != e.actor)
        .collect();
    let mut shielded = HashSet::new();
    // One actor per use-case; asked only when someone is to be told.
    if let Some(actor) = events.first().map(|e| e.actor) {
        let recipients: Vec<UserId> = events.iter().map(|e| e.recipient).collect();
        shielded.extend(state.store.shielded_from(actor, &recipients).await?);
    }
    Ok(events
        .into_iter()
        .filter(|e| !shielded.contains(&e.recipient))
        .map(|e| NewNotification {
            id: NotificationId::new(),
            recipient_id: e.recipient,
            kind: e.kind,
            actor_id: e.actor,
            post_id: e.post_id,
            comment_id: e.comment_id,
            created_at: now,
        })
        .collect())
}

/// After the commit that stored `rows`: one `notification` event per row,
/// read back in one query. The action is committed already, so a failure
/// here is logged and the recipients see them on their next list.
pub async fn announce(state: &AppState, rows: &[NewNotification]) -> Vec<Effect> {
    if rows.is_empty() {
        return Vec::new();
    }
    let ids: Vec<NotificationId> = rows.iter().map(|r| r.id).collect();
    let records = match state.store.notifications_by_ids(&ids).await {
        Ok(records) => records,
        Err(e) => {
            tracing::warn!(error = %e, "loading new notifications failed");
            return Vec::new();
        }
    };
    // Records carry no recipient; the rows do.
    let recipients: HashMap<NotificationId, UserId> =
        rows.iter().map(|r| (r.id, r.recipient_id)).collect();
    records
        .iter()
        .filter_map(|record| {
            let recipient = *recipients.get(&record.id)?;
            Some(Effect::emit(
                Audience::users([recipient]),
                ServerEvent::Notification(NotificationEvent {
                    notification: Notification::from_record(record),
                }),
            ))
        })
        .collect()
}

/// Mentions (`@username`) in `text` that name real users, as notification
/// events: one query for all of them. `except` are people already mentioned
/// (an edit notifies only the newly mentioned).
pub async fn mention_events(
    state: &AppState,
    text: &str,
    actor: UserId,
    post: PostId,
    comment: Option<CommentId>,
    except: &HashSet<String>,
) -> Result<Vec<Event>> {
    let names: Vec<String> = parley_core::content::extract_mentions(text)
        .into_iter()
        .filter(|name| !except.contains(name))
        .take(MAX_MENTIONS)
        .collect();
    Ok(state
        .store
        .users_by_usernames(&names)
        .await?
        .into_iter()
        .map(|user| Event {
            kind: NotificationKind::Mention,
            recipient: user.user_id(),
            actor,
            post_id: Some(post),
            comment_id: comment,
        })
        .collect())
}

pub async fn list(
    state: &AppState,
    recipient: UserId,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Notification>> {
    let rows = state
        .store
        .notifications_page(recipient, cursor.map(|c| c.id.into()), limit)
        .await?;
    Ok(
        Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id.0))
            .map(|r| Notification::from_record(&r)),
    )
}

pub async fn unread_count(state: &AppState, recipient: UserId) -> Result<i64> {
    Ok(state.store.unread_notifications(recipient).await?)
}

/// Marks `ids` (or all) read; returns how many changed.
pub async fn mark_read(
    state: &AppState,
    recipient: UserId,
    ids: Option<&[NotificationId]>,
) -> Result<u64> {
    Ok(state
        .store
        .mark_notifications_read(recipient, ids, Timestamp::now())
        .await?)
}
