//! Comments and replies: anyone signed in may comment on a post or reply to
//! a comment; the comment's author or the post's author may delete it (with
//! its replies). The post's author is notified of comments, a comment's
//! author of replies, and mentioned users of mentions.

use crate::delivery::Outcome;
use crate::protocol::views::Comment;
use crate::services::notifications::{self, Event};
use crate::services::posts;
use crate::state::AppState;
use parley_core::content::parse_comment_text;
use parley_core::page::{Cursor, Page};
use parley_core::{
    CommentId, Error, ErrorCode, NotificationKind, PostId, Result, Timestamp, UserId,
};
use parley_store::comments::{CommentRejection, NewComment};
use std::collections::HashSet;

/// Comments on a post, or replies to one of its comments. The post's author
/// is notified of a comment, the parent's author of a reply, mentioned users
/// of a mention (one notification per person), in the comment's transaction.
pub async fn create(
    state: &AppState,
    post: PostId,
    author: UserId,
    text: &str,
    parent: Option<CommentId>,
) -> Result<Outcome<Comment>> {
    let text = parse_comment_text(text).map_err(|why| Error::validation("text", why))?;
    let post_author = posts::visible(state, post, Some(author)).await?.author_id;
    let id = CommentId::new();
    let mut events = vec![Event {
        kind: NotificationKind::Comment,
        recipient: post_author,
        actor: author,
        post_id: Some(post),
        comment_id: Some(id),
    }];
    if let Some(parent) = parent {
        match state.store.comment_by_id(parent).await? {
            Some(parent) if parent.post_id == post => events.push(Event {
                kind: NotificationKind::Reply,
                recipient: parent.author_id,
                actor: author,
                post_id: Some(post),
                comment_id: Some(id),
            }),
            _ => return Err(not_on_this_post()),
        }
    }
    events.extend(
        notifications::mention_events(state, &text, author, post, Some(id), &HashSet::new())
            .await?,
    );
    // One notification per person, the most specific one: a reply to your
    // comment on your own post is one "reply".
    let mut seen = HashSet::new();
    events.reverse();
    events.retain(|e| seen.insert(e.recipient));
    events.reverse();
    let new = NewComment {
        id,
        post_id: post,
        parent_id: parent,
        author_id: author,
        text,
        notifications: notifications::rows(state, events).await?,
        created_at: Timestamp::now(),
    };
    match state.store.create_comment(&new).await? {
        Ok(()) => {}
        // Deleted between the checks above and the write.
        Err(CommentRejection::PostMissing) => return Err(Error::NotFound),
        Err(CommentRejection::ParentMissing) => return Err(not_on_this_post()),
    }
    let record = state
        .store
        .comment_by_id(id)
        .await?
        .ok_or(Error::NotFound)?;
    let effects = notifications::announce(state, &new.notifications).await;
    Ok(Outcome::new(Comment::from_record(&record), effects))
}

fn not_on_this_post() -> Error {
    Error::validation("parent_id", "is not a comment on this post")
}

/// A post's top-level comments as `viewer` sees them (without those of
/// anyone they block or are blocked by).
pub async fn top_level(
    state: &AppState,
    post_id: PostId,
    viewer: Option<UserId>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Comment>> {
    posts::visible(state, post_id, viewer).await?;
    let rows = state
        .store
        .top_comments_page(post_id, viewer, cursor.map(|c| c.id.into()), limit)
        .await?;
    Ok(
        Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id.0))
            .map(|r| Comment::from_record(&r)),
    )
}

pub async fn replies(
    state: &AppState,
    comment_id: CommentId,
    viewer: Option<UserId>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Comment>> {
    if state.store.comment_by_id(comment_id).await?.is_none() {
        return Err(Error::NotFound);
    }
    let rows = state
        .store
        .replies_page(comment_id, viewer, cursor.map(|c| c.id.into()), limit)
        .await?;
    Ok(
        Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id.0))
            .map(|r| Comment::from_record(&r)),
    )
}

pub async fn delete(state: &AppState, comment_id: CommentId, actor: UserId) -> Result<()> {
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
    if comment.author_id != actor && post_author != Some(actor) {
        return Err(Error::Refused(ErrorCode::NotAuthor));
    }
    state
        .store
        .delete_comment(comment_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(())
}
