//! `/api/v1/conversations` and `/api/v1/messages`: chat over REST. The same
//! services back the Socket.IO events, so both transports follow one set of rules.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::http::json::Json;
use crate::http::params::{self, PageParams, Path, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::requests::{MarkRead, SendMessage};
use crate::protocol::views::{Conversation, Message, Page};
use crate::services::{chat, messages, reactions};
use crate::state::AppState;
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start, list))
        .routes(routes!(get_conversation))
        .routes(routes!(history, send))
        .routes(routes!(edit_message, delete_message))
        .routes(routes!(add_reaction, remove_reaction))
        .routes(routes!(mark_read))
        .routes(routes!(add_member))
        .routes(routes!(leave))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartBody {
    /// The other people. One user and no title: a direct conversation.
    usernames: Vec<String>,
    title: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EditBody {
    text: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberBody {
    username: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Messages after this seq, oldest first (catch-up).
    after_seq: Option<i64>,
    /// Messages before this seq (paging back); without either: the latest.
    before_seq: Option<i64>,
    /// 1–100 (default 20).
    limit: Option<u32>,
}

type Json200<T> = ApiResult<axum::Json<T>>;

/// Start a conversation; an existing direct one with the same person is returned (200).
#[utoipa::path(post, path = "/api/v1/conversations", tag = "chat", request_body = StartBody,
    responses((status = 201, description = "Created", body = Conversation), (status = 200, description = "The existing direct conversation", body = Conversation),
              (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn start(
    State(state): State<AppState>,
    auth: Auth,
    Json(body): Json<StartBody>,
) -> ApiResult<(StatusCode, axum::Json<Conversation>)> {
    let started = chat::start(&state, auth.user_id, &body.usernames, body.title.as_deref()).await?;
    let (conversation, created) = state.finish(started).await;
    Ok((
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        axum::Json(conversation),
    ))
}

/// My conversations, most recently active first, with unread counts.
#[utoipa::path(get, path = "/api/v1/conversations", tag = "chat", params(PageParams),
    responses((status = 200, body = Page<Conversation>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(page): Query<PageParams>,
) -> Json200<Page<Conversation>> {
    Ok(axum::Json(Page::from_page(
        chat::list(&state, auth.user_id, page.cursor()?, page.limit()?).await?,
    )))
}

/// One conversation (members only).
#[utoipa::path(get, path = "/api/v1/conversations/{id}", tag = "chat", params(("id" = String, Path)),
    responses((status = 200, body = Conversation), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_conversation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Json200<Conversation> {
    Ok(axum::Json(
        chat::get(&state, auth.user_id, params::id(&id)?).await?,
    ))
}

/// History, in seq order: `?after_seq=` to catch up, `?before_seq=` to page back.
#[utoipa::path(get, path = "/api/v1/conversations/{id}/messages", tag = "chat", params(("id" = String, Path), HistoryQuery),
    responses((status = 200, body = Page<Message>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn history(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> Json200<Page<Message>> {
    let limit = parley_core::page::parse_limit(q.limit)
        .map_err(|why| ApiError::validation("limit", why))?;
    let page = messages::history(
        &state,
        auth.user_id,
        params::id(&id)?,
        q.after_seq,
        q.before_seq,
        limit,
    )
    .await?;
    Ok(axum::Json(Page::from_page(page)))
}

/// Send a message; answered only once it is stored. The same `client_id` again returns the same message (200).
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", tag = "chat", params(("id" = String, Path)), request_body = SendMessage,
    responses((status = 201, description = "Stored", body = Message), (status = 200, description = "Already stored under this client_id", body = Message),
              (status = 401, body = ErrorBody), (status = 403, description = "`not_media_owner` or `media_already_attached`", body = ErrorBody),
              (status = 404, description = "No such conversation (for me), or an unknown media id", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn send(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<SendMessage>,
) -> ApiResult<(StatusCode, axum::Json<Message>)> {
    let sent = messages::send(&state, auth.user_id, params::id(&id)?, &body).await?;
    let (message, created) = state.finish(sent).await;
    Ok((
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        axum::Json(message),
    ))
}

/// Edit your message.
#[utoipa::path(patch, path = "/api/v1/messages/{id}", tag = "chat", params(("id" = String, Path)), request_body = EditBody,
    responses((status = 200, body = Message), (status = 401, body = ErrorBody), (status = 403, description = "Not your message", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 410, description = "Deleted", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit_message(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<EditBody>,
) -> Json200<Message> {
    let edited = messages::edit(&state, auth.user_id, params::id(&id)?, &body.text).await?;
    Ok(axum::Json(state.finish(edited).await))
}

/// Delete your message (its place in the history stays, empty).
#[utoipa::path(delete, path = "/api/v1/messages/{id}", tag = "chat", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, description = "Not your message", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 410, description = "Already deleted", body = ErrorBody)))]
async fn delete_message(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let deleted = messages::delete(&state, auth.user_id, params::id(&id)?).await?;
    state.finish(deleted).await;
    Ok(StatusCode::NO_CONTENT)
}

/// React to a message with an emoji (idempotent). Members hear `message:updated`.
#[utoipa::path(put, path = "/api/v1/messages/{id}/reactions/{emoji}", tag = "chat",
    params(("id" = String, Path), ("emoji" = String, Path, description = "One emoji, percent-encoded")),
    responses((status = 200, description = "The message with its reactions", body = Message), (status = 401, body = ErrorBody),
              (status = 404, description = "No such message in a conversation of mine", body = ErrorBody),
              (status = 409, description = "`too_many_reactions`: the message has 20 different emoji", body = ErrorBody),
              (status = 410, description = "Deleted", body = ErrorBody), (status = 422, description = "Not a single emoji", body = ErrorBody)))]
async fn add_reaction(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, emoji)): Path<(String, String)>,
) -> Json200<Message> {
    let added = reactions::set(&state, auth.user_id, params::id(&id)?, &emoji, true).await?;
    Ok(axum::Json(state.finish(added).await))
}

/// Take back my reaction (idempotent).
#[utoipa::path(delete, path = "/api/v1/messages/{id}/reactions/{emoji}", tag = "chat",
    params(("id" = String, Path), ("emoji" = String, Path, description = "One emoji, percent-encoded")),
    responses((status = 200, description = "The message with its reactions", body = Message), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 410, description = "Deleted", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn remove_reaction(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, emoji)): Path<(String, String)>,
) -> Json200<Message> {
    let removed = reactions::set(&state, auth.user_id, params::id(&id)?, &emoji, false).await?;
    Ok(axum::Json(state.finish(removed).await))
}

/// Move my read marker forward (never back).
#[utoipa::path(post, path = "/api/v1/conversations/{id}/read", tag = "chat", params(("id" = String, Path)), request_body = MarkRead,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn mark_read(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<MarkRead>,
) -> ApiResult<StatusCode> {
    let read = messages::mark_read(&state, auth.user_id, params::id(&id)?, body.seq).await?;
    state.finish(read).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Add someone to a group I belong to (idempotent).
#[utoipa::path(post, path = "/api/v1/conversations/{id}/members", tag = "chat", params(("id" = String, Path)), request_body = MemberBody,
    responses((status = 200, body = Conversation), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "Not a group", body = ErrorBody)))]
async fn add_member(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<MemberBody>,
) -> Json200<Conversation> {
    let added = chat::add_member(&state, auth.user_id, params::id(&id)?, &body.username).await?;
    Ok(axum::Json(state.finish(added).await))
}

/// Leave a group.
#[utoipa::path(delete, path = "/api/v1/conversations/{id}/members/me", tag = "chat", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "Not a group", body = ErrorBody)))]
async fn leave(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let left = chat::leave(&state, auth.user_id, params::id(&id)?).await?;
    state.finish(left).await;
    Ok(StatusCode::NO_CONTENT)
}
