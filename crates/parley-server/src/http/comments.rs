//! `/api/v1/posts/{id}/comments` and `/api/v1/comments/{id}`: threaded comments.

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::http::json::Json;
use crate::http::params::{self, PageParams, Path, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Comment, Page};
use crate::services::comments;
use crate::state::AppState;
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_comments, create_comment))
        .routes(routes!(list_replies))
        .routes(routes!(delete_comment))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentBody {
    /// 1–1000 characters after trimming.
    text: String,
    /// Reply to this comment (of the same post).
    parent_id: Option<Uuid>,
}

/// Top-level comments, oldest first.
#[utoipa::path(get, path = "/api/v1/posts/{id}/comments", tag = "comments", params(("id" = String, Path), PageParams),
    responses((status = 200, body = Page<Comment>), (status = 401, description = "A presented token is invalid", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_comments(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Path(id): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<Comment>>> {
    let viewer = viewer.map(|a| a.user_id);
    Ok(axum::Json(Page::from_page(
        comments::top_level(
            &state,
            params::id(&id)?,
            viewer,
            page.cursor()?,
            page.limit()?,
        )
        .await?,
    )))
}

/// Comment on a post, or reply to a comment with `parent_id`.
#[utoipa::path(post, path = "/api/v1/posts/{id}/comments", tag = "comments", params(("id" = String, Path)), request_body = CommentBody,
    responses((status = 201, body = Comment), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<CommentBody>,
) -> ApiResult<(StatusCode, axum::Json<Comment>)> {
    let created = comments::create(
        &state,
        params::id(&id)?,
        auth.user_id,
        &body.text,
        body.parent_id.map(Into::into),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(state.finish(created).await)))
}

/// Direct replies to a comment, oldest first.
#[utoipa::path(get, path = "/api/v1/comments/{id}/replies", tag = "comments", params(("id" = String, Path), PageParams),
    responses((status = 200, body = Page<Comment>), (status = 401, description = "A presented token is invalid", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_replies(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Path(id): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<Comment>>> {
    let viewer = viewer.map(|a| a.user_id);
    Ok(axum::Json(Page::from_page(
        comments::replies(
            &state,
            params::id(&id)?,
            viewer,
            page.cursor()?,
            page.limit()?,
        )
        .await?,
    )))
}

/// Delete a comment and its replies (its author or the post's author).
#[utoipa::path(delete, path = "/api/v1/comments/{id}", tag = "comments", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    comments::delete(&state, params::id(&id)?, auth.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
