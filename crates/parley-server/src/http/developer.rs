//! `/api/v1/developer/domains`: the developer portal's registered sites
//! (`services::developer` decides; this module decodes and renders).

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::http::json::Json;
use crate::http::params::{self, Path};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Domain, NewSecret, Page};
use crate::services::developer;
use crate::state::AppState;
use axum::extract::State;
use http::StatusCode;
use parley_core::{DomainId, DomainTier};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_domain, list_domains))
        .routes(routes!(rotate_secret))
        .routes(routes!(delete_domain))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDomainBody {
    /// A host name with an optional port: `example.com`, `localhost:3000`.
    host: String,
    /// `free` or `premium`.
    #[schema(value_type = String)]
    tier: DomainTier,
}

fn domain_id(raw: &str) -> ApiResult<DomainId> {
    params::id(raw)
}

/// Register a site's host; the answer carries its client secret, shown this once.
#[utoipa::path(post, path = "/api/v1/developer/domains", tag = "developer", request_body = NewDomainBody,
    responses((status = 201, body = NewSecret), (status = 401, body = ErrorBody),
              (status = 409, description = "`domain_taken`: you registered this host already", body = ErrorBody),
              (status = 422, description = "Not a host name with an optional port, or a bad tier", body = ErrorBody)))]
async fn register_domain(
    State(state): State<AppState>,
    auth: Auth,
    Json(body): Json<NewDomainBody>,
) -> ApiResult<(StatusCode, axum::Json<NewSecret>)> {
    let created = developer::register(&state, auth.user_id, &body.host, body.tier).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

/// My registered sites, oldest first (never their secrets). `next_cursor` is always null.
#[utoipa::path(get, path = "/api/v1/developer/domains", tag = "developer",
    responses((status = 200, body = Page<Domain>), (status = 401, body = ErrorBody)))]
async fn list_domains(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<Page<Domain>>> {
    Ok(axum::Json(Page {
        items: developer::list(&state, auth.user_id).await?,
        next_cursor: None,
    }))
}

/// A new client secret; the old one and every token made from it stop working at once.
#[utoipa::path(post, path = "/api/v1/developer/domains/{id}/rotate", tag = "developer",
    params(("id" = String, Path)),
    responses((status = 200, body = NewSecret), (status = 401, body = ErrorBody),
              (status = 404, description = "No such domain of yours", body = ErrorBody)))]
async fn rotate_secret(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<NewSecret>> {
    let id = domain_id(&id)?;
    Ok(axum::Json(
        developer::rotate(&state, auth.user_id, id).await?,
    ))
}

/// Delete a registered site; its tokens stop working at once.
#[utoipa::path(delete, path = "/api/v1/developer/domains/{id}", tag = "developer",
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody),
              (status = 404, description = "No such domain of yours", body = ErrorBody)))]
async fn delete_domain(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = domain_id(&id)?;
    developer::delete(&state, auth.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
