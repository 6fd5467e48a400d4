//! `/api/v1/posts`, `/api/v1/timeline` and `/api/v1/tags`: writing posts,
//! liking them, and every feed.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::http::json::Json;
use crate::http::params::{self, PageParams, Path, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Page, Post, TagCount};
use crate::services::posts;
use crate::state::AppState;
use axum::extract::State;
use http::StatusCode;
use parley_core::content::parse_tag;
use parley_store::posts::Feed;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_post, list_posts))
        .routes(routes!(get_post, edit_post, delete_post))
        .routes(routes!(like_post, unlike_post))
        .routes(routes!(timeline))
        .routes(routes!(tag_feed))
        .routes(routes!(search_tags))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PostBody {
    /// 1–500 characters after trimming.
    text: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPostBody {
    /// 1–500 characters after trimming.
    text: String,
    /// Up to 4 of your uploads (`POST /api/v1/media`) not attached to anything yet, in display order.
    media_ids: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostsQuery {
    /// Only this user's posts; without it, everyone's.
    author: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TagSearch {
    /// Prefix to search (a leading `#` is ignored).
    q: String,
    limit: Option<u32>,
}

type PostPage = Page<Post>;

async fn feed_page(
    state: &AppState,
    feed: Feed,
    viewer: Option<Auth>,
    page: &PageParams,
) -> ApiResult<axum::Json<PostPage>> {
    let posts = posts::feed(
        state,
        feed,
        viewer.map(|a| a.user_id),
        page.cursor()?,
        page.limit()?,
    )
    .await?;
    Ok(axum::Json(Page::from_page(posts)))
}

/// Write a post; hashtags are extracted from the text.
#[utoipa::path(post, path = "/api/v1/posts", tag = "posts", request_body = NewPostBody,
    responses((status = 201, body = Post), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_media_owner` or `media_already_attached`", body = ErrorBody),
              (status = 404, description = "An unknown media id", body = ErrorBody),
              (status = 422, description = "Bad text, or more than 4 media", body = ErrorBody)))]
async fn create_post(
    State(state): State<AppState>,
    auth: Auth,
    Json(body): Json<NewPostBody>,
) -> ApiResult<(StatusCode, axum::Json<Post>)> {
    let created = posts::create(
        &state,
        auth.user_id,
        &body.text,
        body.media_ids.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(state.finish(created).await)))
}

/// A user's posts (`?author=`), or everyone's: newest first.
#[utoipa::path(get, path = "/api/v1/posts", tag = "posts", params(PostsQuery),
    responses((status = 200, body = Page<Post>), (status = 401, body = ErrorBody), (status = 404, description = "Unknown author", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_posts(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Query(q): Query<PostsQuery>,
) -> ApiResult<axum::Json<PostPage>> {
    let page = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    };
    let viewer_id = viewer.map(|a| a.user_id);
    let posts = match q.author.as_deref() {
        Some(name) => {
            posts::by_author(&state, name, viewer_id, page.cursor()?, page.limit()?).await?
        }
        None => {
            posts::feed(
                &state,
                Feed::Everyone,
                viewer_id,
                page.cursor()?,
                page.limit()?,
            )
            .await?
        }
    };
    Ok(axum::Json(Page::from_page(posts)))
}

/// One post.
#[utoipa::path(get, path = "/api/v1/posts/{id}", tag = "posts", params(("id" = String, Path)),
    responses((status = 200, body = Post), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_post(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Post>> {
    Ok(axum::Json(
        posts::get(&state, params::id(&id)?, viewer.map(|a| a.user_id)).await?,
    ))
}

/// Edit your post's text; hashtags are extracted again.
#[utoipa::path(patch, path = "/api/v1/posts/{id}", tag = "posts", params(("id" = String, Path)), request_body = PostBody,
    responses((status = 200, body = Post), (status = 401, body = ErrorBody), (status = 403, description = "Not your post", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<PostBody>,
) -> ApiResult<axum::Json<Post>> {
    let edited = posts::edit(&state, params::id(&id)?, auth.user_id, &body.text).await?;
    Ok(axum::Json(state.finish(edited).await))
}

/// Delete your post (with its comments and likes).
#[utoipa::path(delete, path = "/api/v1/posts/{id}", tag = "posts", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, description = "Not your post", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let deleted = posts::delete(&state, params::id(&id)?, auth.user_id).await?;
    state.finish(deleted).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Like a post (idempotent).
#[utoipa::path(put, path = "/api/v1/posts/{id}/like", tag = "posts", params(("id" = String, Path)),
    responses((status = 200, body = Post), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn like_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Post>> {
    let liked = posts::set_like(&state, params::id(&id)?, auth.user_id, true).await?;
    Ok(axum::Json(state.finish(liked).await))
}

/// Remove your like (idempotent).
#[utoipa::path(delete, path = "/api/v1/posts/{id}/like", tag = "posts", params(("id" = String, Path)),
    responses((status = 200, body = Post), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn unlike_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Post>> {
    let unliked = posts::set_like(&state, params::id(&id)?, auth.user_id, false).await?;
    Ok(axum::Json(state.finish(unliked).await))
}

/// Home feed: your posts and those of people you follow, newest first.
#[utoipa::path(get, path = "/api/v1/timeline", tag = "posts", params(PageParams),
    responses((status = 200, body = Page<Post>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn timeline(
    State(state): State<AppState>,
    auth: Auth,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<PostPage>> {
    feed_page(&state, Feed::Home(auth.user_id), Some(auth), &page).await
}

/// Posts with a hashtag, newest first.
#[utoipa::path(get, path = "/api/v1/tags/{tag}/posts", tag = "posts", params(("tag" = String, Path), PageParams),
    responses((status = 200, body = Page<Post>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn tag_feed(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Path(tag): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<PostPage>> {
    let tag = parse_tag(&tag).map_err(|why| ApiError::validation("tag", why))?;
    feed_page(&state, Feed::Tag(tag), viewer, &page).await
}

/// Hashtags starting with `q`, most used first.
#[utoipa::path(get, path = "/api/v1/tags", tag = "posts", params(TagSearch),
    responses((status = 200, body = Page<TagCount>), (status = 422, body = ErrorBody)))]
async fn search_tags(
    State(state): State<AppState>,
    Query(q): Query<TagSearch>,
) -> ApiResult<axum::Json<Page<TagCount>>> {
    let limit = parley_core::page::parse_limit(q.limit)
        .map_err(|why| ApiError::validation("limit", why))?;
    let items = posts::search_tags(&state, &q.q, limit).await?;
    Ok(axum::Json(Page {
        items,
        next_cursor: None,
    }))
}
