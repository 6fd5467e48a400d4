//! `/api/v1/users/*`: public profiles and the signed-in user's own account.

use crate::auth::{Auth, cookies};
use crate::error::ApiResult;
use crate::http::json::Json;
use crate::http::params::Path;
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Me, User};
use crate::services::profiles::{self, ProfileEdit};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, update_me, delete_me))
        .routes(routes!(change_password))
        .routes(routes!(get_user))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProfileRequest {
    display_name: Option<String>,
    bio: Option<String>,
    status_message: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    /// Required when the account has a password; an account made by a
    /// provider sets its first password without it.
    current_password: Option<String>,
    new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeleteAccountRequest {
    /// Required when the account has a password. An account without one
    /// must have signed in through a provider in the last 10 minutes instead.
    password: Option<String>,
}

/// A user's public profile.
#[utoipa::path(get, path = "/api/v1/users/{username}", tag = "users",
    params(("username" = String, Path, description = "Username (case-insensitive)")),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 401, description = "A presented token is invalid", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
    ))]
async fn get_user(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Path(username): Path<String>,
) -> ApiResult<axum::Json<User>> {
    let user = profiles::by_username(&state, &username).await?;
    let viewer = viewer.map(|a| a.user_id);
    Ok(axum::Json(
        crate::services::social::profile(&state, &user, viewer).await?,
    ))
}

/// The signed-in user's own profile, with the email.
#[utoipa::path(get, path = "/api/v1/users/me", tag = "users",
    responses(
        (status = 200, description = "Me", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn get_me(State(state): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Me>> {
    let user = profiles::me(&state, auth.user_id).await?;
    Ok(axum::Json(Me::from_record(&user)))
}

/// Edit the display name, bio or status message (absent fields stay as they are).
#[utoipa::path(patch, path = "/api/v1/users/me", tag = "users", request_body = UpdateProfileRequest,
    responses(
        (status = 200, description = "Updated", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed`", body = ErrorBody),
        (status = 422, description = "A field breaks the rules", body = ErrorBody),
    ))]
async fn update_me(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<UpdateProfileRequest>,
) -> ApiResult<axum::Json<Me>> {
    let edit = ProfileEdit {
        display_name: req.display_name,
        bio: req.bio,
        status_message: req.status_message,
    };
    let user = profiles::update(&state, auth.user_id, edit).await?;
    Ok(axum::Json(Me::from_record(&user)))
}

/// Change the password; every other session is signed out.
#[utoipa::path(put, path = "/api/v1/users/me/password", tag = "users", request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; other sessions revoked"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed`", body = ErrorBody),
        (status = 422, description = "Wrong current password, or the new one breaks the rules", body = ErrorBody),
    ))]
async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    let changed = profiles::change_password(
        &state,
        auth.user_id,
        auth.session_id,
        req.current_password.as_deref(),
        &req.new_password,
    )
    .await?;
    state.finish(changed).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete the account and everything it owns (password required, or a
/// fresh provider sign-in for an account without one).
#[utoipa::path(delete, path = "/api/v1/users/me", tag = "users", request_body = DeleteAccountRequest,
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed`, or `fresh_sign_in_required` (no password, and no provider sign-in in the last 10 minutes)", body = ErrorBody),
        (status = 422, description = "Wrong password", body = ErrorBody),
    ))]
async fn delete_me(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<DeleteAccountRequest>,
) -> ApiResult<Response> {
    let deleted = profiles::delete_account(
        &state,
        auth.user_id,
        auth.session_id,
        req.password.as_deref(),
    )
    .await?;
    state.finish(deleted).await;
    Ok((
        StatusCode::NO_CONTENT,
        cookies::clear(state.config.is_https()),
    )
        .into_response())
}
