//! `/api/v1/users/{username}/block` and `/mute`, and the signed-in user's
//! lists of both (`/api/v1/users/me/blocks`, `/api/v1/users/me/mutes`).

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::http::params::{PageParams, Path, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Page, User, UserSummary};
use crate::services::blocks;
use crate::state::AppState;
use axum::extract::State;
use parley_store::blocks::Restriction;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(block, unblock))
        .routes(routes!(mute, unmute))
        .routes(routes!(my_blocks))
        .routes(routes!(my_mutes))
}

async fn set(
    state: AppState,
    auth: Auth,
    username: String,
    kind: Restriction,
    on: bool,
) -> ApiResult<axum::Json<User>> {
    let done = blocks::set(&state, auth.user_id, &username, kind, on).await?;
    Ok(axum::Json(state.finish(done).await))
}

/// Block a user (idempotent): each is hidden from the other, the follows
/// between you end, and neither can follow or message the other.
#[utoipa::path(put, path = "/api/v1/users/{username}/block", tag = "users", params(("username" = String, Path)),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "Blocking yourself", body = ErrorBody)))]
async fn block(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
) -> ApiResult<axum::Json<User>> {
    set(state, auth, username, Restriction::Block, true).await
}

/// Unblock a user (idempotent).
#[utoipa::path(delete, path = "/api/v1/users/{username}/block", tag = "users", params(("username" = String, Path)),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn unblock(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
) -> ApiResult<axum::Json<User>> {
    set(state, auth, username, Restriction::Block, false).await
}

/// Mute a user (idempotent): their posts leave your feeds and their
/// notifications your list; they are not told.
#[utoipa::path(put, path = "/api/v1/users/{username}/mute", tag = "users", params(("username" = String, Path)),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "Muting yourself", body = ErrorBody)))]
async fn mute(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
) -> ApiResult<axum::Json<User>> {
    set(state, auth, username, Restriction::Mute, true).await
}

/// Unmute a user (idempotent).
#[utoipa::path(delete, path = "/api/v1/users/{username}/mute", tag = "users", params(("username" = String, Path)),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn unmute(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
) -> ApiResult<axum::Json<User>> {
    set(state, auth, username, Restriction::Mute, false).await
}

async fn list(
    state: AppState,
    auth: Auth,
    kind: Restriction,
    page: PageParams,
) -> ApiResult<axum::Json<Page<UserSummary>>> {
    Ok(axum::Json(Page::from_page(
        blocks::list(&state, auth.user_id, kind, page.cursor()?, page.limit()?).await?,
    )))
}

/// Whom I block, most recent first.
#[utoipa::path(get, path = "/api/v1/users/me/blocks", tag = "users", params(PageParams),
    responses((status = 200, body = Page<UserSummary>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn my_blocks(
    State(state): State<AppState>,
    auth: Auth,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<UserSummary>>> {
    list(state, auth, Restriction::Block, page).await
}

/// Whom I mute, most recent first.
#[utoipa::path(get, path = "/api/v1/users/me/mutes", tag = "users", params(PageParams),
    responses((status = 200, body = Page<UserSummary>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn my_mutes(
    State(state): State<AppState>,
    auth: Auth,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<UserSummary>>> {
    list(state, auth, Restriction::Mute, page).await
}
