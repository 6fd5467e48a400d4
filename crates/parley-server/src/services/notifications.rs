//! Notifications: recorded, then pushed live to the recipient's sockets.
//! Nobody is notified about their own actions.

use crate::delivery::{Audience, Effect};
use crate::protocol::events::{NotificationEvent, ServerEvent};
use crate::protocol::views::Notification;
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::{NotificationKind, Result, Timestamp, UserId};
use parley_store::notifications::NewNotification;
use uuid::Uuid;

/// What happened, to whom, by whom, about what.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub kind: NotificationKind,
    pub recipient: UserId,
    pub actor: UserId,
    pub post_id: Option<Uuid>,
    pub comment_id: Option<Uuid>,
}

/// Stores the notifications (self-notifications dropped) and returns the
/// events that push each to its recipient. Failing to notify never fails the
/// action that caused it: the action is already committed, so errors are
/// logged.
pub async fn notify(state: &AppState, events: impl IntoIterator<Item = Event>) -> Vec<Effect> {
    let now = Timestamp::now();
    let rows: Vec<NewNotification> = events
        .into_iter()
        .filter(|e| e.recipient != e.actor)
        .map(|e| NewNotification {
            id: Uuid::now_v7(),
            recipient_id: e.recipient,
            kind: e.kind.as_str(),
            actor_id: e.actor,
            post_id: e.post_id,
            comment_id: e.comment_id,
            created_at: now,
        })
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    if let Err(e) = state.store.insert_notifications(&rows).await {
        tracing::warn!(error = %e, "storing notifications failed");
        return Vec::new();
    }
    let mut effects = Vec::with_capacity(rows.len());
    for row in &rows {
        match state.store.notification_by_id(row.id).await {
            Ok(Some(record)) => effects.push(Effect::emit(
                Audience::users([row.recipient_id]),
                ServerEvent::Notification(NotificationEvent {
                    notification: Notification::from_record(&record),
                }),
            )),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "loading a new notification failed"),
        }
    }
    effects
}

/// Mentions (`@username`) in `text` that name real users, as notification events.
pub async fn mention_events(
    state: &AppState,
    text: &str,
    actor: UserId,
    post_id: Uuid,
    comment_id: Option<Uuid>,
) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    for username in parley_core::content::extract_mentions(text)
        .into_iter()
        .take(20)
    {
        if let Some(user) = state.store.user_by_username(&username).await? {
            events.push(Event {
                kind: NotificationKind::Mention,
                recipient: user.user_id(),
                actor,
                post_id: Some(post_id),
                comment_id,
            });
        }
    }
    Ok(events)
}

pub async fn list(
    state: &AppState,
    recipient: UserId,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Notification>> {
    let rows = state
        .store
        .notifications_page(recipient, cursor.map(|c| c.id), limit)
        .await?;
    Ok(
        Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id))
            .map(|r| Notification::from_record(&r)),
    )
}

pub async fn unread_count(state: &AppState, recipient: UserId) -> Result<i64> {
    Ok(state.store.unread_notifications(recipient).await?)
}

/// Marks `ids` (or all) read; returns how many changed.
pub async fn mark_read(state: &AppState, recipient: UserId, ids: Option<&[Uuid]>) -> Result<u64> {
    Ok(state
        .store
        .mark_notifications_read(recipient, ids, Timestamp::now())
        .await?)
}
