//! Consultations over REST: a customer opens one with an organization and
//! lists their own; agents work the organization's queue; assign, close,
//! reopen and the FAQ shortcut. Who may do what is decided in
//! `services::support::consultations`; this module decodes and renders.
//! The messages themselves use the chat routes on `conversation_id`.

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::http::json::Json;
use crate::http::params::{self, PageParams, Path, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Consultation, FaqExchange, Page};
use crate::services::support::consultations;
use crate::state::AppState;
use axum::extract::State;
use http::StatusCode;
use parley_core::{ConsultationId, ConsultationStatus, Error, FaqId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_consultation, org_queue))
        .routes(routes!(my_consultations))
        .routes(routes!(get_consultation))
        .routes(routes!(assign))
        .routes(routes!(pick_faq))
        .routes(routes!(close))
        .routes(routes!(reopen))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewConsultationBody {
    /// 1–200 characters after trimming.
    subject: String,
    /// The first message (seq 1), as a chat message's text.
    text: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    /// An agent of the organization; absent: me.
    username: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FaqPickBody {
    /// An entry of this organization's FAQ.
    #[schema(value_type = String, format = Uuid)]
    faq_id: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `waiting` (oldest first), `active` or `closed` (most recently active
    /// first); absent: every status, most recently active first.
    #[param(value_type = Option<String>)]
    status: Option<ConsultationStatus>,
    /// Only those assigned to this username.
    assignee: Option<String>,
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl QueueQuery {
    fn page(&self) -> PageParams {
        PageParams {
            limit: self.limit,
            cursor: self.cursor.clone(),
        }
    }
}

fn consultation_id(raw: &str) -> ApiResult<ConsultationId> {
    params::id(raw)
}

/// Open a consultation with an organization (you are its customer).
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/consultations", tag = "support",
    params(("slug" = String, Path)), request_body = NewConsultationBody,
    responses((status = 201, body = Consultation), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn open_consultation(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Json(body): Json<NewConsultationBody>,
) -> ApiResult<(StatusCode, axum::Json<Consultation>)> {
    let opened =
        consultations::open(&state, auth.user_id, &slug, &body.subject, &body.text).await?;
    Ok((StatusCode::CREATED, axum::Json(state.finish(opened).await)))
}

/// The organization's queue; agents only.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/consultations", tag = "support",
    params(("slug" = String, Path), QueueQuery),
    responses((status = 200, body = Page<Consultation>), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_agent`", body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn org_queue(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Query(q): Query<QueueQuery>,
) -> ApiResult<axum::Json<Page<Consultation>>> {
    let page = q.page();
    let found = consultations::queue(
        &state,
        auth.user_id,
        &slug,
        q.status,
        q.assignee.as_deref(),
        page.cursor()?,
        page.limit()?,
    )
    .await?;
    Ok(axum::Json(Page::from_page(found)))
}

/// My consultations as a customer, with every organization.
#[utoipa::path(get, path = "/api/v1/consultations", tag = "support", params(QueueQuery),
    responses((status = 200, body = Page<Consultation>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn my_consultations(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<QueueQuery>,
) -> ApiResult<axum::Json<Page<Consultation>>> {
    let page = q.page();
    let found = consultations::mine(
        &state,
        auth.user_id,
        q.status,
        page.cursor()?,
        page.limit()?,
    )
    .await?;
    Ok(axum::Json(Page::from_page(found)))
}

/// A consultation; its customer and the organization's agents only (anyone else: 404).
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/consultations/{id}", tag = "support",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Consultation), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_consultation(
    State(state): State<AppState>,
    auth: Auth,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<axum::Json<Consultation>> {
    let id = consultation_id(&id)?;
    Ok(axum::Json(
        consultations::get(&state, auth.user_id, &slug, id).await?,
    ))
}

/// Assign to an agent (default: me); agents only. It becomes `active`.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/consultations/{id}/assign", tag = "support",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = AssignBody,
    responses((status = 200, body = Consultation), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_agent`", body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`consultation_closed`", body = ErrorBody),
              (status = 422, description = "No such user, or not an agent", body = ErrorBody)))]
async fn assign(
    State(state): State<AppState>,
    auth: Auth,
    Path((slug, id)): Path<(String, String)>,
    Json(body): Json<AssignBody>,
) -> ApiResult<axum::Json<Consultation>> {
    let id = consultation_id(&id)?;
    let assigned =
        consultations::assign(&state, auth.user_id, &slug, id, body.username.as_deref()).await?;
    Ok(axum::Json(state.finish(assigned).await))
}

/// The customer picks an FAQ entry: its question and answer (`auto`) are added at once.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/consultations/{id}/faq", tag = "support",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = FaqPickBody,
    responses((status = 201, body = FaqExchange), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_customer`", body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`consultation_closed`", body = ErrorBody),
              (status = 422, description = "No such entry in this organization's FAQ", body = ErrorBody),
              (status = 429, body = ErrorBody)))]
async fn pick_faq(
    State(state): State<AppState>,
    auth: Auth,
    Path((slug, id)): Path<(String, String)>,
    Json(body): Json<FaqPickBody>,
) -> ApiResult<(StatusCode, axum::Json<FaqExchange>)> {
    let id = consultation_id(&id)?;
    let faq = uuid::Uuid::parse_str(body.faq_id.trim())
        .map(FaqId)
        .map_err(|_| Error::validation("faq_id", "must be an FAQ entry's id"))?;
    let picked = consultations::pick_faq(&state, auth.user_id, &slug, id, faq).await?;
    Ok((StatusCode::CREATED, axum::Json(state.finish(picked).await)))
}

/// Close it; its customer or an agent.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/consultations/{id}/close", tag = "support",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Consultation), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`consultation_closed`: closed already", body = ErrorBody)))]
async fn close(
    State(state): State<AppState>,
    auth: Auth,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<axum::Json<Consultation>> {
    let id = consultation_id(&id)?;
    let closed = consultations::close(&state, auth.user_id, &slug, id).await?;
    Ok(axum::Json(state.finish(closed).await))
}

/// Reopen a closed one; its customer only. Back to its assignee, else the queue.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/consultations/{id}/reopen", tag = "support",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Consultation), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_customer`", body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`consultation_not_closed`", body = ErrorBody)))]
async fn reopen(
    State(state): State<AppState>,
    auth: Auth,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<axum::Json<Consultation>> {
    let id = consultation_id(&id)?;
    let reopened = consultations::reopen(&state, auth.user_id, &slug, id).await?;
    Ok(axum::Json(state.finish(reopened).await))
}
