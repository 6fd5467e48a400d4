//! Media use-cases: storing an upload (re-encoded, with its thumbnail job
//! queued), reading one's own uploads, the attachment rules (at most 4, only
//! your own, each attached once), hydrating posts and messages with their
//! media in one query per page, and avatars.

use crate::media::keys;
use crate::media::limits::ImageError;
use crate::media::process::process_upload;
use crate::media::thumbnail::{AVATAR_LARGE, make_avatar};
use crate::protocol::views::{Media, Message};
use crate::state::AppState;
use parley_core::{
    ConversationId, Error, ErrorCode, MediaId, MessageId, OrgId, PostId, Result, Timestamp, UserId,
};
use parley_store::UserRecord;
use parley_store::media::{MediaRecord, NewMedia};
use std::collections::{HashMap, HashSet};

/// Most media one post or message carries.
pub const MAX_ATTACHMENTS: usize = 4;

/// What the client is told about an image it sent.
fn refused(e: ImageError) -> Error {
    match e {
        ImageError::Unsupported => {
            Error::validation("file", "must be a JPEG, PNG, GIF or WebP image")
        }
        ImageError::TooLarge(why) | ImageError::Invalid(why) => Error::validation("file", why),
        ImageError::Encode(why) => Error::internal(why),
    }
}

/// Stores an upload: decoded with limits and re-encoded off the runtime,
/// the new file stored under a fresh key, then the row and its thumbnail
/// job committed together. Nothing is stored for a refused image.
pub async fn upload(state: &AppState, owner: UserId, data: Vec<u8>) -> Result<Media> {
    let limits = state.media.config().limits;
    let processed = state
        .media
        .run_blocking(move || process_upload(&data, &limits))
        .await
        .map_err(refused)?;
    let keys = keys::upload(processed.format, processed.thumbnail_format);
    let new = NewMedia {
        id: MediaId::new(),
        owner_id: owner,
        content_type: processed.format.content_type().to_owned(),
        original_key: keys.original.clone(),
        thumbnail_key: keys.thumbnail,
        width: processed.width,
        height: processed.height,
        size_bytes: u64::try_from(processed.bytes.len()).unwrap_or(u64::MAX),
        created_at: Timestamp::now(),
    };
    state
        .media
        .storage()
        .put(&keys.original, processed.bytes)
        .await?;
    if let Err(e) = state.store.create_media(&new).await {
        forget_file(state, &keys.original).await;
        return Err(e.into());
    }
    state.media.job_queued();
    // Built from what was stored, not read back: a worker may already have
    // finished the thumbnail, and this answer is the upload's `processing` one.
    Ok(Media::from_record(&MediaRecord {
        id: new.id,
        owner_id: Some(owner),
        content_type: new.content_type,
        original_key: new.original_key,
        thumbnail_key: Some(new.thumbnail_key),
        width: i64::from(new.width),
        height: i64::from(new.height),
        size_bytes: i64::try_from(new.size_bytes).unwrap_or(i64::MAX),
        status: parley_core::MediaStatus::Processing,
        failure_reason: None,
        post_id: None,
        message_id: None,
        position: 0,
        attached_at: None,
        created_at: new.created_at.as_millis(),
        alt_text: String::new(),
        blurhash: None,
    }))
}

/// Best effort: a file whose row could not be written is deleted again.
async fn forget_file(state: &AppState, key: &str) {
    if let Err(e) = state.media.storage().delete(key).await {
        tracing::warn!(key, error = %e, "could not delete a file whose row failed");
    }
}

/// The longest image description (Mastodon's limit).
pub const MAX_ALT_TEXT_CHARS: usize = 1500;

/// Writes the description of one of my uploads (attached or not; '' clears
/// it) and returns it; anyone else's is 404.
pub async fn set_alt_text(state: &AppState, me: UserId, id: MediaId, raw: &str) -> Result<Media> {
    let text = raw.trim();
    if text.chars().count() > MAX_ALT_TEXT_CHARS {
        return Err(Error::validation(
            "alt_text",
            format!("must be at most {MAX_ALT_TEXT_CHARS} characters"),
        ));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::validation(
            "alt_text",
            "must not contain control characters",
        ));
    }
    if !state.store.set_media_alt_text(me, id, text).await? {
        return Err(Error::NotFound);
    }
    get(state, me, id).await
}

/// One of my uploads; others' do not exist for me.
pub async fn get(state: &AppState, me: UserId, id: MediaId) -> Result<Media> {
    match state.store.media_by_id(id).await? {
        Some(media) if media.owner_id == Some(me) => Ok(Media::from_record(&media)),
        _ => Err(Error::NotFound),
    }
}

/// Parses `media_ids`: at most four, no repeats; an id that is not a UUID
/// names nothing that exists (404).
pub fn parse_ids(raw: &[String]) -> Result<Vec<MediaId>> {
    if raw.len() > MAX_ATTACHMENTS {
        return Err(Error::validation(
            "media_ids",
            format!("at most {MAX_ATTACHMENTS} media per post or message"),
        ));
    }
    let ids = raw
        .iter()
        .map(|id| id.parse::<MediaId>().map_err(|_| Error::NotFound))
        .collect::<Result<Vec<_>>>()?;
    if ids.iter().collect::<HashSet<_>>().len() != ids.len() {
        return Err(Error::validation("media_ids", "must not repeat an id"));
    }
    Ok(ids)
}

/// Checks that `me` may attach every one of `ids`: each exists (404), is
/// mine (403 `not_media_owner`) and is not attached yet (403
/// `media_already_attached`), except to `retry`, the message a retried send
/// already stored. Returns those still to attach.
pub async fn attachable(
    state: &AppState,
    me: UserId,
    ids: &[MediaId],
    retry: Option<Retry<'_>>,
) -> Result<Vec<MediaId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: HashMap<MediaId, MediaRecord> = state
        .store
        .media_by_ids(ids)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut pending = Vec::new();
    for id in ids {
        let media = rows.get(id).ok_or(Error::NotFound)?;
        if media.owner_id != Some(me) {
            return Err(Error::Refused(ErrorCode::NotMediaOwner));
        }
        if !media.is_attached() {
            pending.push(*id);
        } else if !is_retry_of(state, media, me, retry).await? {
            return Err(Error::Refused(ErrorCode::MediaAlreadyAttached));
        }
    }
    Ok(pending)
}

/// A send that may repeat an earlier one (same conversation and `client_id`).
#[derive(Debug, Clone, Copy)]
pub struct Retry<'a> {
    pub conversation: ConversationId,
    pub client_id: &'a str,
}

async fn is_retry_of(
    state: &AppState,
    media: &MediaRecord,
    me: UserId,
    retry: Option<Retry<'_>>,
) -> Result<bool> {
    let (Some(retry), Some(message)) = (retry, media.message_id) else {
        return Ok(false);
    };
    Ok(state.store.message_by_id(message).await?.is_some_and(|m| {
        m.conversation_id == retry.conversation
            && m.sender_id == Some(me)
            && m.client_id.as_deref() == Some(retry.client_id)
    }))
}

/// The media of each post of a page: one query for the whole page.
pub async fn of_posts(state: &AppState, posts: &[PostId]) -> Result<HashMap<PostId, Vec<Media>>> {
    let mut by_post: HashMap<PostId, Vec<Media>> = HashMap::new();
    for media in state.store.media_of_posts(posts).await? {
        if let Some(post) = media.post_id {
            by_post
                .entry(post)
                .or_default()
                .push(Media::from_record(&media));
        }
    }
    Ok(by_post)
}

/// Fills in the media of messages (deleted ones keep none): one query.
pub async fn fill_messages(state: &AppState, messages: &mut [Message]) -> Result<()> {
    let ids: Vec<MessageId> = messages
        .iter()
        .filter(|m| !m.deleted)
        .map(|m| m.id)
        .collect();
    let mut by_message: HashMap<MessageId, Vec<Media>> = HashMap::new();
    for media in state.store.media_of_messages(&ids).await? {
        if let Some(message) = media.message_id {
            by_message
                .entry(message)
                .or_default()
                .push(Media::from_record(&media));
        }
    }
    for message in messages.iter_mut() {
        message.media = by_message.remove(&message.id).unwrap_or_default();
    }
    Ok(())
}

/// Crops `data` to a square avatar (256 and 64 px) and stores both files,
/// uploaded by `uploader`; returns the media row to record. The caller
/// records it (or forgets the files with [`forget_avatar_files`]).
async fn store_avatar_files(state: &AppState, uploader: UserId, data: Vec<u8>) -> Result<NewMedia> {
    let limits = state.media.config().limits;
    let avatar = state
        .media
        .run_blocking(move || make_avatar(&data, &limits))
        .await
        .map_err(refused)?;
    let keys = keys::avatar(avatar.format);
    let new = NewMedia {
        id: MediaId::new(),
        owner_id: uploader,
        content_type: avatar.format.content_type().to_owned(),
        original_key: keys.large.clone(),
        thumbnail_key: keys.small.clone(),
        width: AVATAR_LARGE,
        height: AVATAR_LARGE,
        size_bytes: u64::try_from(avatar.large.len()).unwrap_or(u64::MAX),
        created_at: Timestamp::now(),
    };
    let storage = state.media.storage();
    storage.put(&keys.large, avatar.large).await?;
    if let Err(e) = storage.put(&keys.small, avatar.small).await {
        forget_file(state, &keys.large).await;
        return Err(e.into());
    }
    Ok(new)
}

/// Deletes the files of an avatar that could not be recorded.
async fn forget_avatar_files(state: &AppState, avatar: &NewMedia) {
    forget_file(state, &avatar.original_key).await;
    forget_file(state, &avatar.thumbnail_key).await;
}

/// Replaces my avatar with a square crop of `data` (256 and 64 px); the old
/// one's files are deleted by the sweeper.
pub async fn set_avatar(state: &AppState, me: UserId, data: Vec<u8>) -> Result<UserRecord> {
    let new = store_avatar_files(state, me, data).await?;
    if let Err(e) = state.store.set_avatar(me, &new).await {
        forget_avatar_files(state, &new).await;
        return Err(e.into());
    }
    state.media.sweep_soon();
    crate::services::profiles::me(state, me).await
}

/// Replaces an organization's avatar with a square crop of `data`, uploaded
/// by `uploader` (the caller checked they own it); the old one's files are
/// deleted by the sweeper. False if the organization is gone.
pub async fn set_org_avatar(
    state: &AppState,
    org: OrgId,
    uploader: UserId,
    data: Vec<u8>,
) -> Result<bool> {
    let new = store_avatar_files(state, uploader, data).await?;
    match state.store.set_org_avatar(org, &new).await {
        Ok(true) => {
            state.media.sweep_soon();
            Ok(true)
        }
        Ok(false) => {
            forget_avatar_files(state, &new).await;
            Ok(false)
        }
        Err(e) => {
            forget_avatar_files(state, &new).await;
            Err(e.into())
        }
    }
}

/// Removes my avatar.
pub async fn clear_avatar(state: &AppState, me: UserId) -> Result<UserRecord> {
    state.store.clear_avatar(me, Timestamp::now()).await?;
    state.media.sweep_soon();
    crate::services::profiles::me(state, me).await
}
