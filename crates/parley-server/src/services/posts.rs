//! Posts: writing, editing and deleting them (author only), likes, and the
//! feeds. A page of posts is hydrated with a fixed number of queries
//! whatever its size: the page (joined with authors), its hashtags, and the
//! viewer's likes. Changes are announced to the author and their followers
//! after commit.

use crate::delivery::{Audience, Effect, Outcome};
use crate::protocol::events::{PostDeletedEvent, PostEvent, ServerEvent};
use crate::protocol::views::{Media, Post, UserSummary};
use crate::services::notifications::{self, Event};
use crate::state::AppState;
use parley_core::content::{extract_hashtags, parse_post_text};
use parley_core::page::{Cursor, Page};
use parley_core::{Error, ErrorCode, NotificationKind, PostId, Result, Timestamp, UserId};
use parley_store::posts::{Feed, NewPost, PostRecord};
use std::collections::{HashMap, HashSet};

/// Turns post rows into `Post`s for `viewer`, with three queries for the whole list.
pub async fn hydrate(
    state: &AppState,
    rows: Vec<PostRecord>,
    viewer: Option<UserId>,
) -> Result<Vec<Post>> {
    let ids: Vec<PostId> = rows.iter().map(|r| r.id).collect();
    let mut tags: HashMap<PostId, Vec<String>> = HashMap::new();
    for (post, tag) in state.store.hashtags_of(&ids).await? {
        tags.entry(post).or_default().push(tag);
    }
    let liked: HashSet<PostId> = match viewer {
        Some(v) => state
            .store
            .liked_among(v, &ids)
            .await?
            .into_iter()
            .collect(),
        None => HashSet::new(),
    };
    let mut media = crate::services::media::of_posts(state, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let tags = tags.remove(&r.id).unwrap_or_default();
            let liked = liked.contains(&r.id);
            let media = media.remove(&r.id).unwrap_or_default();
            post_view(r, tags, liked, media)
        })
        .collect())
}

/// The `Post` shape of a row, its (sorted) hashtags, the viewer's like and its media.
fn post_view(r: PostRecord, hashtags: Vec<String>, liked_by_me: bool, media: Vec<Media>) -> Post {
    Post {
        id: r.id,
        author: UserSummary::new(
            r.author_id,
            &r.author_username,
            &r.author_display_name,
            r.author_avatar_key.as_deref(),
        ),
        hashtags,
        liked_by_me,
        text: r.text,
        media,
        like_count: r.like_count,
        comment_count: r.comment_count,
        created_at: Timestamp(r.created_at),
        edited_at: r.edited_at.map(Timestamp),
    }
}

/// The post, unless it does not exist for `viewer`: its author blocks them
/// or is blocked by them.
pub async fn visible(state: &AppState, id: PostId, viewer: Option<UserId>) -> Result<PostRecord> {
    let row = state.store.post_by_id(id).await?.ok_or(Error::NotFound)?;
    if let Some(viewer) = viewer
        && viewer != row.author_id
        && state.store.blocked_between(viewer, row.author_id).await?
    {
        return Err(Error::NotFound);
    }
    Ok(row)
}

pub async fn get(state: &AppState, id: PostId, viewer: Option<UserId>) -> Result<Post> {
    let row = visible(state, id, viewer).await?;
    hydrate(state, vec![row], viewer)
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

fn text_or_error(raw: &str) -> Result<String> {
    parse_post_text(raw).map_err(|why| Error::validation("text", why))
}

/// Tells the author and their followers about a post (in the background,
/// see [`Audience::AuthorAndFollowers`]); followers see it without the
/// author's like state.
fn announce(author: UserId, event: ServerEvent) -> Effect {
    Effect::emit(Audience::AuthorAndFollowers(author), event)
}

/// The post as its author's followers see it.
fn public(post: &Post) -> Post {
    Post {
        liked_by_me: false,
        ..post.clone()
    }
}

/// Writes a post with up to four of the author's unattached uploads.
pub async fn create(
    state: &AppState,
    author: UserId,
    text: &str,
    media_ids: &[String],
) -> Result<Outcome<Post>> {
    let text = text_or_error(text)?;
    let media_ids = crate::services::media::parse_ids(media_ids)?;
    let media = crate::services::media::attachable(state, author, &media_ids, None).await?;
    let id = PostId::new();
    let mentions =
        notifications::mention_events(state, &text, author, id, None, &HashSet::new()).await?;
    let new = NewPost {
        id,
        author_id: author,
        hashtags: extract_hashtags(&text),
        text,
        // The post, its media and its mention notifications are one
        // transaction: a lost race for an upload stores none of them.
        media,
        notifications: notifications::rows(state, mentions).await?,
        created_at: Timestamp::now(),
    };
    let record = state.store.create_post(&new).await?;
    let media = if new.media.is_empty() {
        Vec::new()
    } else {
        let mut media = crate::services::media::of_posts(state, &[id]).await?;
        media.remove(&id).unwrap_or_default()
    };
    // Built from what was just written: a new post has no likes, no comments,
    // and its hashtags are the ones extracted above.
    let mut hashtags = new.hashtags.clone();
    hashtags.sort_unstable();
    let post = post_view(record, hashtags, false, media);
    let mut effects = vec![announce(
        author,
        ServerEvent::PostCreated(PostEvent {
            post: public(&post),
        }),
    )];
    effects.extend(notifications::announce(state, &new.notifications).await);
    Ok(Outcome::new(post, effects))
}

/// Loads a post and checks `actor` wrote it: 404 if missing, 403 if not theirs.
async fn own_post(state: &AppState, id: PostId, actor: UserId) -> Result<PostRecord> {
    let row = state.store.post_by_id(id).await?.ok_or(Error::NotFound)?;
    if row.author_id != actor {
        return Err(Error::Refused(ErrorCode::NotAuthor));
    }
    Ok(row)
}

pub async fn edit(
    state: &AppState,
    id: PostId,
    actor: UserId,
    text: &str,
) -> Result<Outcome<Post>> {
    let text = text_or_error(text)?;
    let before = own_post(state, id, actor).await?;
    // Only people newly mentioned by the edit are notified, with the edit.
    let already: HashSet<String> = parley_core::content::extract_mentions(&before.text)
        .into_iter()
        .collect();
    let mentions = notifications::mention_events(state, &text, actor, id, None, &already).await?;
    let rows = notifications::rows(state, mentions).await?;
    if !state
        .store
        .update_post(id, &text, &extract_hashtags(&text), Timestamp::now(), &rows)
        .await?
    {
        return Err(Error::NotFound);
    }
    let post = get(state, id, Some(actor)).await?;
    let mut effects = vec![announce(
        actor,
        ServerEvent::PostUpdated(PostEvent {
            post: public(&post),
        }),
    )];
    effects.extend(notifications::announce(state, &rows).await);
    Ok(Outcome::new(post, effects))
}

pub async fn delete(state: &AppState, id: PostId, actor: UserId) -> Result<Outcome<()>> {
    own_post(state, id, actor).await?;
    remove(state, id, actor).await
}

/// Deletes `author`'s post `id` whoever asks (its author, or a moderator
/// through `services::moderation`): counters, media and `post:deleted`.
pub(crate) async fn remove(state: &AppState, id: PostId, author: UserId) -> Result<Outcome<()>> {
    if !state.store.delete_post(id).await? {
        return Err(Error::NotFound);
    }
    // Its media are garbage now; their files go at once.
    state.media.sweep_soon();
    Ok(Outcome::quiet(()).with(announce(
        author,
        ServerEvent::PostDeleted(PostDeletedEvent {
            id,
            author_id: author,
        }),
    )))
}

/// Likes (`like = true`) or unlikes a post; idempotent either way. A new
/// like notifies the author, in the like's transaction.
pub async fn set_like(
    state: &AppState,
    id: PostId,
    user: UserId,
    like: bool,
) -> Result<Outcome<Post>> {
    let mut rows = Vec::new();
    let changed = if like {
        let author = visible(state, id, Some(user)).await?.author_id;
        rows = notifications::rows(
            state,
            [Event {
                kind: NotificationKind::Like,
                recipient: author,
                actor: user,
                post_id: Some(id),
                comment_id: None,
            }],
        )
        .await?;
        state
            .store
            .like_post(id, user, Timestamp::now(), rows.first())
            .await?
    } else {
        state.store.unlike_post(id, user).await?
    }
    .ok_or(Error::NotFound)?;
    let post = get(state, id, Some(user)).await?;
    let effects = if like && changed {
        notifications::announce(state, &rows).await
    } else {
        Vec::new()
    };
    Ok(Outcome::new(post, effects))
}

/// A page of a feed for `viewer`.
pub async fn feed(
    state: &AppState,
    feed: Feed,
    viewer: Option<UserId>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Post>> {
    let rows = state
        .store
        .feed_page(&feed, viewer, cursor.map(|c| c.id.into()), limit + 1)
        .await?;
    let page = Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id.0));
    let posts = hydrate(state, page.items, viewer).await?;
    Ok(Page {
        items: posts,
        next_cursor: page.next_cursor,
    })
}

/// A page of one author's posts, by username.
pub async fn by_author(
    state: &AppState,
    username: &str,
    viewer: Option<UserId>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Post>> {
    let author = state
        .store
        .user_by_username(&username.trim().to_lowercase())
        .await?
        .ok_or(Error::NotFound)?;
    feed(state, Feed::Author(author.user_id()), viewer, cursor, limit).await
}

/// Hashtags starting with `prefix` (a leading `#` ignored), most used first.
pub async fn search_tags(
    state: &AppState,
    prefix: &str,
    limit: u32,
) -> Result<Vec<crate::protocol::views::TagCount>> {
    let prefix =
        parley_core::content::parse_tag(prefix).map_err(|why| Error::validation("q", why))?;
    let tags = state.store.search_tags(&prefix, limit).await?;
    Ok(tags
        .into_iter()
        .map(|(tag, posts)| crate::protocol::views::TagCount { tag, posts })
        .collect())
}
