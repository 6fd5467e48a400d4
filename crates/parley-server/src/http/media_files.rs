//! `GET /media/{key}`: media files, streamed from the storage (local or S3)
//! through the server. Served with the type their key was made for (the
//! sniffed one, never a client's claim), `nosniff`, a CSP that sandboxes
//! the file should a browser ever render it as a document, and a year of
//! immutable caching: keys are never reused, so a URL's bytes never change.
//! Why proxy S3 rather than redirect to it: docs/architecture.md.

use crate::error::ApiResult;
use crate::http::params::Path;
use crate::media::keys;
use crate::protocol::errors::ErrorBody;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};
use parley_core::Error;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const MEDIA_CSP: &str = "default-src 'none'; sandbox";
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(serve))
}

/// A media file (an original, a thumbnail or an avatar), by the URL its
/// `Media` or `avatar_url` gives.
#[utoipa::path(get, path = "/media/{key}", tag = "media", params(("key" = String, Path)),
    responses(
        (status = 200, description = "The file, cacheable forever", content(
            (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/gif"), (Vec<u8> = "image/webp"))),
        (status = 404, description = "No such file", body = ErrorBody),
        (status = 503, description = "`unavailable`: the media storage cannot be reached", body = ErrorBody),
    ))]
async fn serve(State(state): State<AppState>, Path(key): Path<String>) -> ApiResult<Response> {
    // Only keys of the shapes the server makes: nothing else reaches the storage.
    let format = keys::parse(&key).ok_or(Error::NotFound)?;
    let object = state
        .media
        .storage()
        .get(&key)
        .await
        .map_err(Error::from)?
        .ok_or(Error::NotFound)?;
    let length = object.meta.size;
    let mut response = Response::new(Body::from_stream(object.into_stream()));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(MEDIA_CSP),
    );
    Ok(response)
}
