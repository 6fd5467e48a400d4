//! Reports and moderation over REST: `POST /api/v1/reports` for anyone
//! signed in, and the admins' `/api/v1/admin/...` (the report queue and its
//! resolutions, suspending and unsuspending accounts, the audit log).
//! `services::moderation` decides; this module decodes and renders.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::http::json::{Json, OptionalJson};
use crate::http::params::{self, PageParams, Path, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{
    AuditEntry, ModeratedUser, Page, QueuedReport, Report, ReportReason, ReportStatus,
    ReportTargetKind,
};
use crate::services::moderation::{self, ReportInput, Resolution};
use crate::state::AppState;
use axum::extract::State;
use http::StatusCode;
use parley_core::{Error, ReportId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_report))
        .routes(routes!(list_reports))
        .routes(routes!(resolve_report))
        .routes(routes!(suspend))
        .routes(routes!(unsuspend))
        .routes(routes!(audit_log))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewReportBody {
    target_kind: ReportTargetKind,
    /// The post's, comment's, message's or user's id.
    target_id: String,
    reason: ReportReason,
    /// Up to 1000 characters for the moderators.
    comment: Option<String>,
}

/// Report a post, a comment, a message of one of my conversations, or an
/// account. A second report of the same target while mine is open returns
/// that one (200) instead of a new one (201).
#[utoipa::path(post, path = "/api/v1/reports", tag = "moderation", request_body = NewReportBody,
    responses((status = 201, body = Report), (status = 200, description = "My open report of this target, unchanged", body = Report),
              (status = 401, body = ErrorBody),
              (status = 404, description = "No such target, or a message of a conversation I am not in", body = ErrorBody),
              (status = 422, description = "Unknown kind or reason, a long comment, or my own content", body = ErrorBody),
              (status = 429, description = "Over the `REPORT` limit", body = ErrorBody)))]
async fn create_report(
    State(state): State<AppState>,
    auth: Auth,
    Json(body): Json<NewReportBody>,
) -> ApiResult<(StatusCode, axum::Json<Report>)> {
    let target_id =
        Uuid::parse_str(body.target_id.trim()).map_err(|_| ApiError::Domain(Error::NotFound))?;
    let (report, created) = moderation::report(
        &state,
        auth.user_id,
        ReportInput {
            target_kind: body.target_kind,
            target_id,
            reason: body.reason,
            comment: body.comment,
        },
    )
    .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(report)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `open` (default), `resolved` or `dismissed`.
    #[param(value_type = Option<String>)]
    status: Option<ReportStatus>,
    limit: Option<u32>,
    cursor: Option<String>,
}

/// The moderation queue: reports of one status, newest first (admins only).
#[utoipa::path(get, path = "/api/v1/admin/reports", tag = "moderation", params(QueueQuery),
    responses((status = 200, body = Page<QueuedReport>), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_admin`", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_reports(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<QueueQuery>,
) -> ApiResult<axum::Json<Page<QueuedReport>>> {
    let page = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    };
    let reports = moderation::queue(
        &state,
        auth.user_id,
        q.status.unwrap_or(ReportStatus::Open),
        page.cursor()?,
        page.limit()?,
    )
    .await?;
    Ok(axum::Json(Page::from_page(reports)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolveBody {
    action: Resolution,
    /// Up to 1000 characters, kept with the report and in the audit log.
    note: Option<String>,
}

/// Resolve an open report: `dismiss`, `remove_content` (the post, comment
/// or message is deleted as its author would) or `suspend_account` (the
/// reported account). Every other open report of the same target closes too.
#[utoipa::path(post, path = "/api/v1/admin/reports/{id}/resolve", tag = "moderation", request_body = ResolveBody,
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 200, body = QueuedReport), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_admin`", body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 422, description = "Closed already, `remove_content` of an account, or suspending an admin or myself", body = ErrorBody)))]
async fn resolve_report(
    State(state): State<AppState>,
    auth: Auth,
    Path(raw): Path<String>,
    Json(body): Json<ResolveBody>,
) -> ApiResult<axum::Json<QueuedReport>> {
    let id: ReportId = params::id(&raw)?;
    let done =
        moderation::resolve(&state, auth.user_id, id, body.action, body.note.as_deref()).await?;
    Ok(axum::Json(state.finish(done).await))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SuspendBody {
    /// Why, for the audit log.
    note: Option<String>,
}

/// Suspend an account: its sessions end and its sockets are disconnected at
/// once, and it cannot sign in until unsuspended. Idempotent.
#[utoipa::path(post, path = "/api/v1/admin/users/{username}/suspend", tag = "moderation",
    request_body(content = Option<SuspendBody>, content_type = "application/json"),
    params(("username" = String, Path)),
    responses((status = 200, body = ModeratedUser), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_admin`", body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "An admin, or myself", body = ErrorBody)))]
async fn suspend(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
    OptionalJson(body): OptionalJson<SuspendBody>,
) -> ApiResult<axum::Json<ModeratedUser>> {
    let body = body.unwrap_or_default();
    let done = moderation::suspend(&state, auth.user_id, &username, body.note.as_deref()).await?;
    Ok(axum::Json(state.finish(done).await))
}

/// Lift an account's suspension. Idempotent.
#[utoipa::path(post, path = "/api/v1/admin/users/{username}/unsuspend", tag = "moderation",
    params(("username" = String, Path)),
    responses((status = 200, body = ModeratedUser), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_admin`", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn unsuspend(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
) -> ApiResult<axum::Json<ModeratedUser>> {
    Ok(axum::Json(
        moderation::unsuspend(&state, auth.user_id, &username).await?,
    ))
}

/// Every moderation action, newest first (admins only).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "moderation", params(PageParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_admin`", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn audit_log(
    State(state): State<AppState>,
    auth: Auth,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<AuditEntry>>> {
    Ok(axum::Json(Page::from_page(
        moderation::audit(&state, auth.user_id, page.cursor()?, page.limit()?).await?,
    )))
}
