//! `/api/v1/auth/sessions`: my signed-in sessions (device, address, last
//! active), signing one out, and signing out everywhere else
//! (`services::accounts` decides; this module decodes and renders).

use crate::auth::Auth;
use crate::auth::cookies;
use crate::error::ApiResult;
use crate::http::params::{self, Path};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Page, SessionsEnded, SignedInSession};
use crate::services::{accounts, device};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use parley_core::{SessionId, Timestamp};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions))
        .routes(routes!(end_session))
        .routes(routes!(end_other_sessions))
}

/// My live sessions, most recently active first; `current` marks this one.
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth",
    responses(
        (status = 200, description = "`next_cursor` is always null", body = Page<SignedInSession>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn list_sessions(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<Page<SignedInSession>>> {
    let items = accounts::sessions(&state, auth.user_id)
        .await?
        .into_iter()
        .map(|s| SignedInSession {
            current: s.id == auth.session_id,
            device: device::describe(s.user_agent.as_deref()),
            id: s.id,
            user_agent: s.user_agent,
            ip: s.ip,
            signed_in_with: s.signed_in_with,
            created_at: Timestamp(s.created_at),
            last_active_at: Timestamp(s.last_used_at),
        })
        .collect();
    Ok(axum::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// Sign out one of my sessions: its tokens stop working and its sockets
/// are disconnected at once. Ending this one also clears its cookies.
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", tag = "auth",
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed`", body = ErrorBody),
        (status = 404, description = "Not one of my live sessions", body = ErrorBody),
    ))]
async fn end_session(
    State(state): State<AppState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let id: SessionId = params::id(&raw)?;
    let ended = accounts::end_session(&state, auth.user_id, id).await?;
    state.finish(ended).await;
    if id == auth.session_id {
        return Ok((
            StatusCode::NO_CONTENT,
            cookies::clear(state.config.is_https()),
        )
            .into_response());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Sign out every session but this one.
#[utoipa::path(post, path = "/api/v1/auth/sessions/sign_out_others", tag = "auth",
    responses(
        (status = 200, description = "How many ended", body = SessionsEnded),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed`", body = ErrorBody),
    ))]
async fn end_other_sessions(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<SessionsEnded>> {
    let ended = accounts::end_other_sessions(&state, auth.user_id, auth.session_id).await?;
    let ended = state.finish(ended).await;
    Ok(axum::Json(SessionsEnded { ended }))
}
