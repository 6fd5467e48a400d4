//! The HTTP surface: one module per resource, each with its own router and
//! OpenAPI paths; [`routes`] assembles them and the spec together.

pub mod auth;
pub mod blocks;
pub mod chat;
pub mod client;
pub mod comments;
pub mod consultations;
pub mod developer;
pub mod health;
pub mod json;
pub mod media;
pub mod media_files;
pub mod moderation;
pub mod notifications;
pub mod oauth;
pub mod open;
pub mod openapi;
pub mod orgs;
pub mod params;
pub mod posts;
pub mod recovery;
pub mod search;
pub mod sessions;
pub mod social;
pub mod upload;
pub mod users;
pub mod web_client;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// Every route, plus `GET /api/openapi.json` serving the spec built from them;
/// anything else falls back to the web client (or the JSON 404).
pub fn routes(state: AppState) -> Router<AppState> {
    let (router, mut spec) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(auth::router())
        .merge(oauth::router())
        .merge(sessions::router())
        .merge(recovery::router())
        .merge(users::router())
        .merge(social::router())
        .merge(blocks::router())
        .merge(posts::router())
        .merge(search::router())
        .merge(comments::router())
        .merge(notifications::router())
        .merge(chat::router())
        .merge(media::router())
        .merge(media_files::router())
        .merge(orgs::router())
        .merge(consultations::router())
        .merge(developer::router())
        .merge(moderation::router())
        .merge(open::router(state))
        .merge(health::router())
        .split_for_parts();
    // After the paths exist: a derive-time modifier would run on an empty spec.
    openapi::add_common_responses(&mut spec);
    let spec = std::sync::Arc::new(spec);
    router
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let spec = spec.clone();
                async move { axum::Json(spec.as_ref().clone()) }
            }),
        )
        .fallback(web_client::fallback)
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}
