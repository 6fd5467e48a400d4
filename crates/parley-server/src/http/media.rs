//! `/api/v1/media` (upload, read one's own upload), `/api/v1/users/me/avatar`
//! and an organization's `/api/v1/orgs/{slug}/avatar`. Every upload counts
//! against the uploader's limit, refused ones included (decoding is the
//! expensive part); a non-owner's organization avatar is refused before
//! that, as it costs nothing.

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::http::params::{self, Path};
use crate::http::upload;
use crate::middleware::rate_limit;
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Me, Media, Organization};
use crate::ratelimit::Decision;
use crate::services::media;
use crate::services::support::orgs;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_media))
        .routes(routes!(get_media, describe_media))
        .routes(routes!(set_avatar, clear_avatar))
        .routes(routes!(set_org_avatar, clear_org_avatar))
}

/// The multipart form of an upload.
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "documents the request body; read by http::upload")]
pub struct UploadForm {
    /// The image: JPEG, PNG, GIF or WebP, told apart by its bytes (the file
    /// name and declared type are ignored); at most 5 MiB by default.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Counts one upload of the signed-in user.
async fn count_upload(state: &AppState, auth: &Auth) -> ApiResult<Decision> {
    let limit = state.config.rate_limits.upload;
    rate_limit::enforce(state, &format!("upload:user:{}", auth.user_id), limit).await
}

fn with_limit_headers(mut response: Response, decision: Decision) -> Response {
    decision.write_headers(response.headers_mut());
    response
}

/// Upload an image. It is decoded (with pixel limits), turned upright and
/// re-encoded before it is stored, so no EXIF or GPS data is kept and a
/// polyglot (say GIF/HTML) is stored as a plain image of its format. The
/// answer comes before the thumbnail exists (`status: "processing"`);
/// `GET /api/v1/media/{id}` shows when it is `ready`. Uploads not attached
/// to a post or message within 24 hours are deleted.
#[utoipa::path(post, path = "/api/v1/media", tag = "media",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored; the thumbnail is being made", body = Media),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed` or `origin_not_allowed`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`: over the upload limit", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not a JPEG, PNG, GIF or WebP (by its bytes), or not multipart", body = ErrorBody),
        (status = 422, description = "`validation_failed` on `file`: missing, undecodable, or too many pixels", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many uploads", body = ErrorBody),
        (status = 503, description = "`unavailable`: the database or the media storage cannot be reached", body = ErrorBody),
    ))]
async fn upload_media(
    State(state): State<AppState>,
    auth: Auth,
    request: Request,
) -> ApiResult<Response> {
    let decision = count_upload(&state, &auth).await?;
    let data = upload::read_file(&state, request).await?;
    let media = media::upload(&state, auth.user_id, data).await?;
    let response = (StatusCode::CREATED, axum::Json(media)).into_response();
    Ok(with_limit_headers(response, decision))
}

/// One of my uploads (anyone else's is 404).
#[utoipa::path(get, path = "/api/v1/media/{id}", tag = "media", params(("id" = String, Path)),
    responses(
        (status = 200, body = Media),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such upload of mine", body = ErrorBody),
    ))]
async fn get_media(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Media>> {
    Ok(axum::Json(
        media::get(&state, auth.user_id, params::id(&id)?).await?,
    ))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DescribeBody {
    /// What the image shows, for people who cannot see it (at most 1500
    /// characters; '' removes the description).
    alt_text: String,
}

/// Describe one of my uploads (before or after it is attached).
#[utoipa::path(patch, path = "/api/v1/media/{id}", tag = "media", params(("id" = String, Path)), request_body = DescribeBody,
    responses(
        (status = 200, body = Media),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such upload of mine", body = ErrorBody),
        (status = 422, description = "Too long, or control characters", body = ErrorBody),
    ))]
async fn describe_media(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    crate::http::json::Json(body): crate::http::json::Json<DescribeBody>,
) -> ApiResult<axum::Json<Media>> {
    Ok(axum::Json(
        media::set_alt_text(&state, auth.user_id, params::id(&id)?, &body.alt_text).await?,
    ))
}

/// Set my avatar: a square centre crop of the image, stored at 256 and 64 px
/// (`avatar_url` is the 256 px one); the previous avatar is deleted.
#[utoipa::path(put, path = "/api/v1/users/me/avatar", tag = "users",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The new avatar is in place", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed` or `origin_not_allowed`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not a JPEG, PNG, GIF or WebP", body = ErrorBody),
        (status = 422, description = "`validation_failed` on `file`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many uploads", body = ErrorBody),
    ))]
async fn set_avatar(
    State(state): State<AppState>,
    auth: Auth,
    request: Request,
) -> ApiResult<Response> {
    let decision = count_upload(&state, &auth).await?;
    let data = upload::read_file(&state, request).await?;
    let user = media::set_avatar(&state, auth.user_id, data).await?;
    let response = axum::Json(Me::from_record(&user)).into_response();
    Ok(with_limit_headers(response, decision))
}

/// Remove my avatar.
#[utoipa::path(delete, path = "/api/v1/users/me/avatar", tag = "users",
    responses(
        (status = 200, description = "No avatar any more", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed` or `origin_not_allowed`", body = ErrorBody),
    ))]
async fn clear_avatar(State(state): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Me>> {
    let user = media::clear_avatar(&state, auth.user_id).await?;
    Ok(axum::Json(Me::from_record(&user)))
}

/// Set an organization's avatar (owners only): a square centre crop, as for
/// a user's; the previous one is deleted. Counts toward the uploader's
/// upload limit.
#[utoipa::path(put, path = "/api/v1/orgs/{slug}/avatar", tag = "support",
    params(("slug" = String, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The new avatar is in place", body = Organization),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`not_org_owner`, `csrf_failed` or `origin_not_allowed`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not a JPEG, PNG, GIF or WebP", body = ErrorBody),
        (status = 422, description = "`validation_failed` on `file`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many uploads", body = ErrorBody),
    ))]
async fn set_org_avatar(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    request: Request,
) -> ApiResult<Response> {
    // Refused before the body is read: a non-owner's upload costs nothing.
    let org = orgs::owned(&state, &slug, auth.user_id).await?;
    let decision = count_upload(&state, &auth).await?;
    let data = upload::read_file(&state, request).await?;
    let org = orgs::set_avatar(&state, &org, auth.user_id, data).await?;
    Ok(with_limit_headers(
        axum::Json(org).into_response(),
        decision,
    ))
}

/// Remove an organization's avatar; owners only.
#[utoipa::path(delete, path = "/api/v1/orgs/{slug}/avatar", tag = "support",
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "No avatar any more", body = Organization),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`not_org_owner`, `csrf_failed` or `origin_not_allowed`", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn clear_org_avatar(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> ApiResult<axum::Json<Organization>> {
    Ok(axum::Json(
        orgs::clear_avatar(&state, &slug, auth.user_id).await?,
    ))
}
