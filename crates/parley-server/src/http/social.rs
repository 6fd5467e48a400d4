//! `/api/v1/users/{username}/follow`, follower lists and user search.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::http::params::{PageParams, Path, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Page, User, UserSummary};
use crate::services::social;
use crate::state::AppState;
use axum::extract::State;
use parley_store::follows::FollowSide;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(follow, unfollow))
        .routes(routes!(followers))
        .routes(routes!(following))
        .routes(routes!(search_users))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserSearch {
    /// Prefix of a username or display name.
    q: String,
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Follow a user (idempotent). Following yourself is 422.
#[utoipa::path(put, path = "/api/v1/users/{username}/follow", tag = "users", params(("username" = String, Path)),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "Following yourself", body = ErrorBody)))]
async fn follow(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
) -> ApiResult<axum::Json<User>> {
    let followed = social::set_follow(&state, auth.user_id, &username, true).await?;
    Ok(axum::Json(state.finish(followed).await))
}

/// Unfollow a user (idempotent).
#[utoipa::path(delete, path = "/api/v1/users/{username}/follow", tag = "users", params(("username" = String, Path)),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn unfollow(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
) -> ApiResult<axum::Json<User>> {
    let unfollowed = social::set_follow(&state, auth.user_id, &username, false).await?;
    Ok(axum::Json(state.finish(unfollowed).await))
}

/// Who follows the user, most recent first.
#[utoipa::path(get, path = "/api/v1/users/{username}/followers", tag = "users", params(("username" = String, Path), PageParams),
    responses((status = 200, body = Page<UserSummary>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn followers(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<UserSummary>>> {
    Ok(axum::Json(Page::from_page(
        social::follow_list(
            &state,
            &username,
            FollowSide::Followers,
            page.cursor()?,
            page.limit()?,
        )
        .await?,
    )))
}

/// Whom the user follows, most recent first.
#[utoipa::path(get, path = "/api/v1/users/{username}/following", tag = "users", params(("username" = String, Path), PageParams),
    responses((status = 200, body = Page<UserSummary>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn following(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<UserSummary>>> {
    Ok(axum::Json(Page::from_page(
        social::follow_list(
            &state,
            &username,
            FollowSide::Following,
            page.cursor()?,
            page.limit()?,
        )
        .await?,
    )))
}

/// Search users by username or display-name prefix.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserSearch),
    responses((status = 200, body = Page<UserSummary>), (status = 401, description = "A presented token is invalid", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn search_users(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Query(q): Query<UserSearch>,
) -> ApiResult<axum::Json<Page<UserSummary>>> {
    let limit = parley_core::page::parse_limit(q.limit)
        .map_err(|why| ApiError::validation("limit", why))?;
    let (items, next_cursor) = social::search(
        &state,
        viewer.map(|a| a.user_id),
        &q.q,
        q.cursor.as_deref(),
        limit,
    )
    .await?;
    Ok(axum::Json(Page { items, next_cursor }))
}
