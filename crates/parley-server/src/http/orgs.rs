//! `/api/v1/orgs`: the support desk's organizations, their agents and their
//! FAQ (consultations are still to come). Who may do what is the services'
//! business (`services::support`); this module only decodes and renders.

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::http::json::Json;
use crate::http::params::{self, PageParams, Path, Query};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Agent, Faq, Organization, Page};
use crate::services::support::{faqs, orgs};
use crate::state::AppState;
use axum::extract::State;
use http::StatusCode;
use parley_core::{AgentRole, FaqId, OrgVisibility};
use serde::{Deserialize, Deserializer};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_org, search_orgs))
        .routes(routes!(get_org, update_org))
        .routes(routes!(list_agents, add_agent))
        .routes(routes!(remove_agent))
        .routes(routes!(list_faqs, create_faq))
        .routes(routes!(update_faq, delete_faq))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewOrgBody {
    /// 3–30 of `[a-z0-9-]`, unique.
    slug: String,
    /// 1–100 characters after trimming.
    name: String,
    /// Up to 1000 characters (default empty).
    description: Option<String>,
    /// `public` (default) or `hidden`.
    #[schema(value_type = Option<String>)]
    visibility: Option<OrgVisibility>,
}

/// Present but `null` is `Some(None)`; absent is `None` (via `default`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgPatchBody {
    name: Option<String>,
    description: Option<String>,
    #[schema(value_type = Option<String>)]
    visibility: Option<OrgVisibility>,
    auto_assign: Option<bool>,
    /// ≥ 1, or `null` for no limit; absent leaves it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    agent_capacity: Option<Option<i64>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAgentBody {
    username: String,
    /// `owner` or `agent`.
    #[schema(value_type = String)]
    role: AgentRole,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewFaqBody {
    /// 1–500 characters after trimming.
    question: String,
    /// 1–4000 characters after trimming.
    answer: String,
    /// 1-based sort key; default: after the last entry.
    position: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaqPatchBody {
    question: Option<String>,
    answer: Option<String>,
    position: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Case-insensitive substring (any script); empty or absent: everything.
    q: Option<String>,
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl SearchQuery {
    fn page(&self) -> PageParams {
        PageParams {
            limit: self.limit,
            cursor: self.cursor.clone(),
        }
    }
}

/// Create an organization; you become its owner.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "support", request_body = NewOrgBody,
    responses((status = 201, body = Organization), (status = 401, body = ErrorBody),
              (status = 409, description = "`slug_taken`", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_org(
    State(state): State<AppState>,
    auth: Auth,
    Json(body): Json<NewOrgBody>,
) -> ApiResult<(StatusCode, axum::Json<Organization>)> {
    let draft = orgs::OrgDraft {
        slug: body.slug,
        name: body.name,
        description: body.description,
        visibility: body.visibility,
    };
    let created = orgs::create(&state, auth.user_id, draft).await?;
    Ok((StatusCode::CREATED, axum::Json(state.finish(created).await)))
}

/// The directory: public organizations whose name or slug contains `q`, oldest first.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "support", params(SearchQuery),
    responses((status = 200, body = Page<Organization>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn search_orgs(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Query(q): Query<SearchQuery>,
) -> ApiResult<axum::Json<Page<Organization>>> {
    let page = q.page();
    let found = orgs::directory(
        &state,
        q.q.as_deref().unwrap_or(""),
        viewer.map(|a| a.user_id),
        page.cursor()?,
        page.limit()?,
    )
    .await?;
    Ok(axum::Json(Page::from_page(found)))
}

/// An organization (hidden ones too), with `my_role` for the viewer.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}", tag = "support", params(("slug" = String, Path)),
    responses((status = 200, body = Organization), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_org(
    State(state): State<AppState>,
    viewer: Option<Auth>,
    Path(slug): Path<String>,
) -> ApiResult<axum::Json<Organization>> {
    Ok(axum::Json(
        orgs::get(&state, &slug, viewer.map(|a| a.user_id)).await?,
    ))
}

/// Change an organization; owners only.
#[utoipa::path(patch, path = "/api/v1/orgs/{slug}", tag = "support", params(("slug" = String, Path)), request_body = OrgPatchBody,
    responses((status = 200, body = Organization), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_org_owner`", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_org(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Json(body): Json<OrgPatchBody>,
) -> ApiResult<axum::Json<Organization>> {
    let edit = orgs::OrgEdit {
        name: body.name,
        description: body.description,
        visibility: body.visibility,
        auto_assign: body.auto_assign,
        agent_capacity: body.agent_capacity,
    };
    Ok(axum::Json(
        orgs::update(&state, &slug, auth.user_id, edit).await?,
    ))
}

/// The agents (owners first, then by username); agents only. `next_cursor` is always null.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/agents", tag = "support", params(("slug" = String, Path)),
    responses((status = 200, body = Page<Agent>), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_agent`", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_agents(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> ApiResult<axum::Json<Page<Agent>>> {
    let items = orgs::agents(&state, &slug, auth.user_id).await?;
    Ok(axum::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// Make a user an agent (or owner); owners only.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/agents", tag = "support", params(("slug" = String, Path)), request_body = NewAgentBody,
    responses((status = 201, body = Agent), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_org_owner`", body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`already_agent`", body = ErrorBody), (status = 422, description = "No such user, or a bad role", body = ErrorBody)))]
async fn add_agent(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Json(body): Json<NewAgentBody>,
) -> ApiResult<(StatusCode, axum::Json<Agent>)> {
    let added = orgs::add_agent(&state, &slug, auth.user_id, &body.username, body.role).await?;
    Ok((StatusCode::CREATED, axum::Json(state.finish(added).await)))
}

/// Remove an agent: owners remove anyone, an agent themselves; never the last owner.
#[utoipa::path(delete, path = "/api/v1/orgs/{slug}/agents/{username}", tag = "support",
    params(("slug" = String, Path), ("username" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_agent` or `not_org_owner`", body = ErrorBody),
              (status = 404, description = "No such organization, or the user is not its agent", body = ErrorBody),
              (status = 409, description = "`last_owner`", body = ErrorBody)))]
async fn remove_agent(
    State(state): State<AppState>,
    auth: Auth,
    Path((slug, username)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let removed = orgs::remove_agent(&state, &slug, auth.user_id, &username).await?;
    state.finish(removed).await;
    Ok(StatusCode::NO_CONTENT)
}

/// The FAQ in `position` order, searched in question and answer with `q`.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/faqs", tag = "support", params(("slug" = String, Path), SearchQuery),
    responses((status = 200, body = Page<Faq>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_faqs(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<SearchQuery>,
) -> ApiResult<axum::Json<Page<Faq>>> {
    let page = q.page();
    let found = faqs::list(&state, &slug, q.q.as_deref(), page.cursor()?, page.limit()?).await?;
    Ok(axum::Json(Page::from_page(found)))
}

/// Add an FAQ entry; agents only.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/faqs", tag = "support", params(("slug" = String, Path)), request_body = NewFaqBody,
    responses((status = 201, body = Faq), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_agent`", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_faq(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Json(body): Json<NewFaqBody>,
) -> ApiResult<(StatusCode, axum::Json<Faq>)> {
    let faq = faqs::create(
        &state,
        &slug,
        auth.user_id,
        &body.question,
        &body.answer,
        body.position,
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(faq)))
}

/// Change an FAQ entry; agents only.
#[utoipa::path(patch, path = "/api/v1/orgs/{slug}/faqs/{id}", tag = "support",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = FaqPatchBody,
    responses((status = 200, body = Faq), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_agent`", body = ErrorBody),
              (status = 404, description = "No such organization, or no such entry in it", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_faq(
    State(state): State<AppState>,
    auth: Auth,
    Path((slug, id)): Path<(String, String)>,
    Json(body): Json<FaqPatchBody>,
) -> ApiResult<axum::Json<Faq>> {
    let id: FaqId = params::id(&id)?;
    let edit = faqs::FaqEdit {
        question: body.question,
        answer: body.answer,
        position: body.position,
    };
    Ok(axum::Json(
        faqs::update(&state, &slug, auth.user_id, id, edit).await?,
    ))
}

/// Delete an FAQ entry; agents only.
#[utoipa::path(delete, path = "/api/v1/orgs/{slug}/faqs/{id}", tag = "support",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody),
              (status = 403, description = "`not_agent`", body = ErrorBody),
              (status = 404, description = "No such organization, or no such entry in it", body = ErrorBody)))]
async fn delete_faq(
    State(state): State<AppState>,
    auth: Auth,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let id: FaqId = params::id(&id)?;
    faqs::delete(&state, &slug, auth.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
