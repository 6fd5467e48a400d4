//! `/api/v1/notifications`: what happened to me, newest first, and marking it read.

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::http::json::OptionalJson;
use crate::http::params::{PageParams, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Notification, Page};
use crate::services::notifications;
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark_read))
        .routes(routes!(unread))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MarkRead {
    /// Only these; without it, all of them.
    #[schema(value_type = Option<Vec<String>>)]
    ids: Option<Vec<parley_core::NotificationId>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Count {
    count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    /// How many changed from unread to read.
    marked: u64,
}

/// My notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(PageParams),
    responses((status = 200, body = Page<Notification>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<Notification>>> {
    Ok(axum::Json(Page::from_page(
        notifications::list(&state, auth.user_id, page.cursor()?, page.limit()?).await?,
    )))
}

/// Mark notifications read: `{"ids": [...]}`, or all with an empty body.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body(content = Option<MarkRead>, content_type = "application/json"),
    responses((status = 200, body = Marked), (status = 401, body = ErrorBody)))]
async fn mark_read(
    State(state): State<AppState>,
    auth: Auth,
    OptionalJson(body): OptionalJson<MarkRead>,
) -> ApiResult<axum::Json<Marked>> {
    let req = body.unwrap_or_default();
    let marked = notifications::mark_read(&state, auth.user_id, req.ids.as_deref()).await?;
    Ok(axum::Json(Marked { marked }))
}

/// How many notifications are unread (for the badge).
#[utoipa::path(get, path = "/api/v1/notifications/unread_count", tag = "notifications",
    responses((status = 200, body = Count), (status = 401, body = ErrorBody)))]
async fn unread(State(state): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Count>> {
    Ok(axum::Json(Count {
        count: notifications::unread_count(&state, auth.user_id).await?,
    }))
}
