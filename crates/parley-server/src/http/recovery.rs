//! Account recovery by mail: `/api/v1/auth/password_reset[/confirm]`,
//! `/api/v1/auth/verify_email` and `/api/v1/users/me/email_verification`
//! (`services::recovery` decides; this module decodes and renders).

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::http::client::ClientIp;
use crate::http::json::Json;
use crate::middleware::rate_limit;
use crate::protocol::errors::ErrorBody;
use crate::services::recovery;
use crate::state::AppState;
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
        .routes(routes!(request_verification))
        .routes(routes!(verify))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetRequest {
    /// Username or e-mail.
    login: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetConfirm {
    /// The `token` of the mailed link.
    token: String,
    new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VerifyBody {
    /// The `token` of the mailed link.
    token: String,
}

/// Ask for a password-reset link by mail. The answer is the same whether or
/// not the account exists (and has an address).
#[utoipa::path(post, path = "/api/v1/auth/password_reset", tag = "auth", request_body = ResetRequest,
    responses((status = 202, description = "If the account has an address, a link is on its way"),
              (status = 429, description = "Too many requests", body = ErrorBody)))]
async fn request_reset(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(body): Json<ResetRequest>,
) -> ApiResult<StatusCode> {
    let limit = state.config.rate_limits.signin;
    rate_limit::enforce(&state, &format!("reset:ip:{}", ip.0), limit).await?;
    let login = body.login.trim().to_lowercase();
    rate_limit::enforce(&state, &format!("reset:login:{login}"), limit).await?;
    recovery::request_password_reset(&state, &login).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with a reset link's token; every session ends.
#[utoipa::path(post, path = "/api/v1/auth/password_reset/confirm", tag = "auth", request_body = ResetConfirm,
    responses((status = 204, description = "Changed; every session is signed out"),
              (status = 400, description = "`invalid_token`: unknown, used or expired", body = ErrorBody),
              (status = 422, description = "The new password breaks the rules", body = ErrorBody)))]
async fn confirm_reset(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(body): Json<ResetConfirm>,
) -> ApiResult<StatusCode> {
    rate_limit::enforce(
        &state,
        &format!("reset:ip:{}", ip.0),
        state.config.rate_limits.signin,
    )
    .await?;
    let reset = recovery::reset_password(&state, &body.token, &body.new_password).await?;
    state.finish(reset).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Mail me a link that confirms my e-mail address.
#[utoipa::path(post, path = "/api/v1/users/me/email_verification", tag = "users",
    responses((status = 202, description = "A link is on its way"),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 422, description = "The account has no e-mail address", body = ErrorBody)))]
async fn request_verification(State(state): State<AppState>, auth: Auth) -> ApiResult<StatusCode> {
    rate_limit::enforce(
        &state,
        &format!("verify:user:{}", auth.user_id),
        state.config.rate_limits.signin,
    )
    .await?;
    recovery::request_email_verification(&state, auth.user_id).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Confirm an e-mail address with a verification link's token.
#[utoipa::path(post, path = "/api/v1/auth/verify_email", tag = "auth", request_body = VerifyBody,
    responses((status = 204, description = "The address is confirmed"),
              (status = 400, description = "`invalid_token`", body = ErrorBody)))]
async fn verify(
    State(state): State<AppState>,
    Json(body): Json<VerifyBody>,
) -> ApiResult<StatusCode> {
    recovery::verify_email(&state, &body.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
