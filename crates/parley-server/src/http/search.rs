//! `/api/v1/search/posts` and `/api/v1/search/messages`: full-text search
//! (services/search.rs says how matching works). Posts are public (richer
//! signed in: `liked_by_me`); messages are only ever those of my conversations.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::http::params::{self, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{MessageHit, Page, PostHit};
use crate::services::search;
use crate::state::AppState;
use axum::extract::State;
use parley_core::ConversationId;
use parley_core::page::{Cursor, parse_limit};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_posts))
        .routes(routes!(search_messages))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostSearch {
    /// 1–200 characters with at least one word; every word must match (as a
    /// word prefix; Korean/CJK by character pairs).
    q: String,
    /// Page size, 1–100 (default 20).
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageSearch {
    /// 1–200 characters with at least one word; every word must match.
    q: String,
    /// Only this conversation (one I may read; else 404).
    conversation_id: Option<String>,
    /// Page size, 1–100 (default 20).
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

fn page_args(limit: Option<u32>, cursor: Option<&str>) -> Result<(u32, Option<Cursor>), ApiError> {
    let limit = parse_limit(limit).map_err(|why| ApiError::validation("limit", why))?;
    let cursor = cursor
        .filter(|c| !c.is_empty())
        .map(|c| Cursor::decode(c).map_err(|why| ApiError::validation("cursor", why)))
        .transpose()?;
    Ok((limit, cursor))
}

/// Posts whose text matches `q`, newest first, with the matched ranges.
#[utoipa::path(get, path = "/api/v1/search/posts", tag = "search", params(PostSearch),
    responses((status = 200, body = Page<PostHit>), (status = 401, body = ErrorBody),
              (status = 422, description = "`q` empty, over 200 characters or without a word", body = ErrorBody)))]
async fn search_posts(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Query(q): Query<PostSearch>,
) -> ApiResult<axum::Json<Page<PostHit>>> {
    let (limit, cursor) = page_args(q.limit, q.cursor.as_deref())?;
    let page = search::posts(&state, &q.q, viewer.map(|a| a.user_id), cursor, limit).await?;
    Ok(axum::Json(Page::from_page(page)))
}

/// Messages of my conversations whose text matches `q`, newest first.
#[utoipa::path(get, path = "/api/v1/search/messages", tag = "search", params(MessageSearch),
    responses((status = 200, body = Page<MessageHit>), (status = 401, body = ErrorBody),
              (status = 404, description = "`conversation_id` is not a conversation I may read", body = ErrorBody),
              (status = 422, description = "`q` empty, over 200 characters or without a word", body = ErrorBody)))]
async fn search_messages(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<MessageSearch>,
) -> ApiResult<axum::Json<Page<MessageHit>>> {
    let (limit, cursor) = page_args(q.limit, q.cursor.as_deref())?;
    let conversation = q
        .conversation_id
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(params::id::<ConversationId>)
        .transpose()?;
    let page = search::messages(&state, auth.user_id, &q.q, conversation, cursor, limit).await?;
    Ok(axum::Json(Page::from_page(page)))
}
