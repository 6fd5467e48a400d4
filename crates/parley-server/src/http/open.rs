//! `/open/v1`: the Open API for registered sites. `POST /open/v1/token`
//! trades a client secret for a short token; the data endpoints behind
//! [`guard`](crate::open::guard::guard) serve public data with it. CORS and
//! the origin rules of this prefix are in `open::cors` and `open::guard`.

use crate::error::{ApiError, ApiResult};
use crate::http::json::Json;
use crate::http::params::{PageParams, Path, Query};
use crate::open::guard::{OpenClient, check_origin, guard};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{OpenToken, Page, Post, User};
use crate::services::{developer, posts, profiles, social};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::HeaderMap;
use parley_core::content::parse_tag;
use parley_store::posts::Feed;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router(state: AppState) -> OpenApiRouter<AppState> {
    let data = OpenApiRouter::new()
        .routes(routes!(owner_posts))
        .routes(routes!(tag_posts))
        .routes(routes!(public_user))
        .route_layer(axum::middleware::from_fn_with_state(state, guard));
    OpenApiRouter::new()
        .routes(routes!(issue_token))
        .merge(data)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenBody {
    /// The domain's client secret from the developer portal.
    client_secret: String,
}

/// Trade a client secret for a token (at most 30 minutes). A browser call
/// must come from the domain's own origin; a server-side call sends none.
#[utoipa::path(post, path = "/open/v1/token", tag = "open", request_body = TokenBody,
    responses((status = 200, body = OpenToken),
              (status = 401, description = "`invalid_client`: no domain has this secret", body = ErrorBody),
              (status = 403, description = "`origin_not_allowed`: an Origin that is not the domain's", body = ErrorBody),
              (status = 429, description = "The domain's tier limit", body = ErrorBody)))]
async fn issue_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<TokenBody>,
) -> ApiResult<Response> {
    let domain = developer::client(&state, &body.client_secret).await?;
    check_origin(&headers, &domain.host)?;
    let decision = state.open.charge(&state, &domain).await?;
    let mut response = axum::Json(developer::token(&state, &domain)?).into_response();
    decision.write_headers(response.headers_mut());
    Ok(response)
}

/// The posts of the domain's owner, newest first.
#[utoipa::path(get, path = "/open/v1/posts/mine", tag = "open", params(PageParams),
    security(("open_api_token" = [])),
    responses((status = 200, body = Page<Post>),
              (status = 401, description = "`unauthorized`, or `token_expired`", body = ErrorBody),
              (status = 403, description = "`origin_not_allowed`", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn owner_posts(
    State(state): State<AppState>,
    OpenClient(domain): OpenClient,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<Post>>> {
    let found = posts::feed(
        &state,
        Feed::Author(domain.owner),
        None,
        page.cursor()?,
        page.limit()?,
    )
    .await?;
    Ok(axum::Json(Page::from_page(found)))
}

/// Posts with a hashtag, newest first.
#[utoipa::path(get, path = "/open/v1/tags/{tag}/posts", tag = "open", params(("tag" = String, Path), PageParams),
    security(("open_api_token" = [])),
    responses((status = 200, body = Page<Post>),
              (status = 401, description = "`unauthorized`, or `token_expired`", body = ErrorBody),
              (status = 403, description = "`origin_not_allowed`", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn tag_posts(
    State(state): State<AppState>,
    _: OpenClient,
    Path(tag): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Page<Post>>> {
    let tag = parse_tag(&tag).map_err(|why| ApiError::validation("tag", why))?;
    let found = posts::feed(&state, Feed::Tag(tag), None, page.cursor()?, page.limit()?).await?;
    Ok(axum::Json(Page::from_page(found)))
}

/// A user's public profile.
#[utoipa::path(get, path = "/open/v1/users/{username}", tag = "open", params(("username" = String, Path)),
    security(("open_api_token" = [])),
    responses((status = 200, body = User),
              (status = 401, description = "`unauthorized`, or `token_expired`", body = ErrorBody),
              (status = 403, description = "`origin_not_allowed`", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn public_user(
    State(state): State<AppState>,
    _: OpenClient,
    Path(username): Path<String>,
) -> ApiResult<axum::Json<User>> {
    let user = profiles::by_username(&state, &username).await?;
    Ok(axum::Json(social::profile(&state, &user, None).await?))
}
