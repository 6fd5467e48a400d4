//! Comments and replies: anyone signed in may comment on a post or reply to
//! a comment; the comment's author or the post's author may delete it (with
//! its replies). The post's author is notified of comments, a comment's
//! author of replies, and mentioned users of mentions.

use crate::delivery::Outcome;
use crate::protocol::views::Comment;
use crate::services::notifications::{self, Event};
use crate::state::AppState;
use parley_core::content::parse_comment_text;
use parley_core::page::{Cursor, Page};
use parley_core::{CommentId, ErrorCode, NotificationKind, PostId};
use parley_core::{Error, Result, Timestamp, UserId};
use parley_store::comments::{CommentRejection, NewComment};
use uuid::Uuid;

pub async fn create(
    state: &AppState,
    post: PostId,
    author: UserId,
    text: &str,
    parent: Option<CommentId>,
) -> Result<Outcome<Comment>> {
    let (post_id, parent_id) = (post.0, parent.map(|p| p.0));
    let text = parse_comment_text(text).map_err(|why| Error::validation("text", why))?;
    let new = NewComment {
        id: Uuid::now_v7(),
        post_id,
        parent_id,
        author_id: author,
        text,
        created_at: Timestamp::now(),
    };
    match state.store.create_comment(&new).await? {
        Ok(()) => {}
        Err(CommentRejection::PostMissing) => return Err(Error::NotFound),
        Err(CommentRejection::ParentMissing) => {
            return Err(Error::validation(
                "parent_id",
                "is not a comment on this post",
            ));
        }
    }
    let record = state
        .store
        .comment_by_id(new.id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut events = Vec::new();
    if let Some(post) = state.store.post_by_id(post_id).await? {
        events.push(Event {
            kind: NotificationKind::Comment,
            recipient: UserId(post.author_id),
            actor: author,
            post_id: Some(post_id),
            comment_id: Some(new.id),
        });
    }
    if let Some(parent) = parent_id
        && let Some(parent) = state.store.comment_by_id(parent).await?
    {
        events.push(Event {
            kind: NotificationKind::Reply,
            recipient: UserId(parent.author_id),
            actor: author,
            post_id: Some(post_id),
            comment_id: Some(new.id),
        });
    }
    events.extend(
        notifications::mention_events(state, &new.text, author, post_id, Some(new.id)).await?,
    );
    // One notification per person: a reply to your comment on your own post is one "reply".
    let mut seen = std::collections::HashSet::new();
    events.reverse();
    events.retain(|e| seen.insert(e.recipient));
    events.reverse();
    let effects = notifications::notify(state, events).await;
    Ok(Outcome::new(Comment::from_record(&record), effects))
}

pub async fn top_level(
    state: &AppState,
    post_id: Uuid,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Comment>> {
    if state.store.post_by_id(post_id).await?.is_none() {
        return Err(Error::NotFound);
    }
    let rows = state
        .store
        .top_comments_page(post_id, cursor.map(|c| c.id), limit)
        .await?;
    Ok(
        Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id))
            .map(|r| Comment::from_record(&r)),
    )
}

pub async fn replies(
    state: &AppState,
    comment_id: Uuid,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Comment>> {
    if state.store.comment_by_id(comment_id).await?.is_none() {
        return Err(Error::NotFound);
    }
    let rows = state
        .store
        .replies_page(comment_id, cursor.map(|c| c.id), limit)
        .await?;
    Ok(
        Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id))
            .map(|r| Comment::from_record(&r)),
    )
}

pub async fn delete(state: &AppState, comment_id: Uuid, actor: UserId) -> Result<()> {
    let comment = state
        .store
        .comment_by_id(comment_id)
        .await?
        .ok_or(Error::NotFound)?;
    let post_author = state
        .store
        .post_by_id(comment.post_id)
        .await?
        .map(|p| p.author_id);
    if comment.author_id != actor.0 && post_author != Some(actor.0) {
        return Err(Error::Refused(ErrorCode::NotAuthor));
    }
    state
        .store
        .delete_comment(comment_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(())
}
