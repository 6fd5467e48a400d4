//! `/api/v1/auth/*`: sign-up, sign-in, refresh, sign-out, and the current
//! session. Browser clients get HttpOnly cookies; native clients (`"client":
//! "native"`, or a refresh token sent in the body) get the refresh token in
//! the JSON body instead.

use crate::auth::Auth;
use crate::auth::cookies::{self, REFRESH_COOKIE};
use crate::error::{ApiError, ApiResult};
use crate::http::client::{ClientIp, SignInOrigin};
use crate::http::json::{Json, OptionalJson};
use crate::middleware::rate_limit;
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{Me, Session, SessionInfo};
use crate::services::accounts::{self, IssuedSession, SignUp};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header::SET_COOKIE};
use parley_core::ErrorCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(signup))
        .routes(routes!(signin))
        .routes(routes!(refresh))
        .routes(routes!(signout))
        .routes(routes!(session))
        .routes(routes!(status))
}

/// `browser` (default: cookies) or `native` (refresh token in the body).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    #[default]
    Browser,
    Native,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignupRequest {
    username: String,
    email: String,
    password: String,
    display_name: Option<String>,
    #[serde(default)]
    client: ClientKind,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SigninRequest {
    /// Username or email.
    login: String,
    password: String,
    #[serde(default)]
    remember: bool,
    #[serde(default)]
    client: ClientKind,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RefreshRequest {
    refresh_token: Option<String>,
}

/// The `Set-Cookie` headers that sign a browser in with `issued`.
pub(crate) fn browser_cookies(state: &AppState, issued: &IssuedSession) -> HeaderMap {
    let secure = state.config.is_https();
    let persist = issued.remember.then(|| issued.refresh_ttl(state));
    [
        cookies::access(&issued.access_token, state.tokens.ttl, secure),
        cookies::refresh(&issued.refresh_token, persist, secure),
    ]
    .into_iter()
    .flatten()
    .map(|v| (SET_COOKIE, v))
    .collect()
}

/// Renders a session: cookies for browsers, the refresh token in the body for native clients.
fn session_response(
    state: &AppState,
    issued: IssuedSession,
    client: ClientKind,
    status: StatusCode,
) -> Response {
    let headers = if client == ClientKind::Browser {
        browser_cookies(state, &issued)
    } else {
        HeaderMap::new()
    };
    let body = Session {
        user: Me::from_record(&issued.user),
        expires_in: state.tokens.ttl.as_secs(),
        csrf_token: state.csrf.token_for(issued.session_id),
        refresh_token: (client == ClientKind::Native).then_some(issued.refresh_token),
        access_token: issued.access_token,
    };
    (status, headers, axum::Json(body)).into_response()
}

/// Create an account and sign in.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignupRequest,
    responses(
        (status = 201, description = "Signed up and signed in", body = Session),
        (status = 409, description = "`username_taken` or `email_taken`", body = ErrorBody),
        (status = 422, description = "A field breaks the rules", body = ErrorBody),
    ))]
async fn signup(
    State(state): State<AppState>,
    ip: ClientIp,
    SignInOrigin(origin): SignInOrigin,
    Json(req): Json<SignupRequest>,
) -> ApiResult<Response> {
    rate_limit::enforce(
        &state,
        &format!("signup:ip:{}", ip.0),
        state.config.rate_limits.signup,
    )
    .await?;
    let input = SignUp {
        username: req.username,
        email: req.email,
        password: req.password,
        display_name: req.display_name,
        origin,
    };
    let issued = accounts::sign_up(&state, input).await?;
    tracing::info!(user_id = %issued.user.id, "signed up");
    Ok(session_response(
        &state,
        issued,
        req.client,
        StatusCode::CREATED,
    ))
}

/// Sign in with username or email and password.
#[utoipa::path(post, path = "/api/v1/auth/signin", tag = "auth", request_body = SigninRequest,
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 401, description = "`invalid_credentials` (the same for an unknown user and a wrong password)", body = ErrorBody),
    ))]
async fn signin(
    State(state): State<AppState>,
    ip: ClientIp,
    SignInOrigin(origin): SignInOrigin,
    Json(req): Json<SigninRequest>,
) -> ApiResult<Response> {
    let limit = state.config.rate_limits.signin;
    let ip_key = format!("signin:ip:{}", ip.0);
    // One budget per account, whichever spelling (username or email) is used.
    let account_key = accounts::throttle_key(&state, &req.login).await?;
    // Count the attempt before verifying, so concurrent guesses cannot all
    // pass a check made before any of them failed; a success is refunded, so
    // only failures stay counted.
    rate_limit::enforce(&state, &ip_key, limit).await?;
    if let Err(refused) = rate_limit::enforce(&state, &account_key, limit).await {
        rate_limit::refund(&state, &ip_key, limit).await;
        return Err(refused);
    }
    let outcome = accounts::sign_in(&state, &req.login, &req.password, req.remember, origin).await;
    if !matches!(
        outcome,
        Err(parley_core::Error::Refused(ErrorCode::InvalidCredentials))
    ) {
        rate_limit::refund(&state, &ip_key, limit).await;
        rate_limit::refund(&state, &account_key, limit).await;
    }
    Ok(session_response(
        &state,
        outcome?,
        req.client,
        StatusCode::OK,
    ))
}

/// Exchange a refresh token (cookie or body) for a new session; the old token stops working.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body(content = Option<RefreshRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "Rotated", body = Session),
        (status = 401, description = "`invalid_refresh_token`, or `refresh_token_reused` (the whole session is now revoked)", body = ErrorBody),
    ))]
async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    OptionalJson(body): OptionalJson<RefreshRequest>,
) -> ApiResult<Response> {
    let from_body = body.and_then(|b| b.refresh_token);
    let (token, client) = match from_body {
        Some(token) => (token, ClientKind::Native),
        None => match cookies::read(&headers, REFRESH_COOKIE) {
            Some(token) => (token, ClientKind::Browser),
            None => return Err(ApiError::refused(ErrorCode::InvalidRefreshToken)),
        },
    };
    match accounts::refresh(&state, &token).await {
        Ok(issued) => Ok(session_response(&state, issued, client, StatusCode::OK)),
        Err(e) if client == ClientKind::Browser => {
            Ok((cookies::clear(state.config.is_https()), ApiError::from(e)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Sign out: revokes this session's refresh tokens and clears the cookies.
#[utoipa::path(post, path = "/api/v1/auth/signout", tag = "auth",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed`", body = ErrorBody),
    ))]
async fn signout(State(state): State<AppState>, auth: Auth) -> ApiResult<Response> {
    let signed_out = accounts::sign_out(&state, auth.user_id, auth.session_id).await?;
    state.finish(signed_out).await;
    Ok((
        StatusCode::NO_CONTENT,
        cookies::clear(state.config.is_https()),
    )
        .into_response())
}

/// The current session, without tokens: what a reloaded page needs.
#[utoipa::path(get, path = "/api/v1/auth/session", tag = "auth",
    responses(
        (status = 200, description = "Signed in", body = SessionInfo),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn session(State(state): State<AppState>, auth: Auth) -> ApiResult<axum::Json<SessionInfo>> {
    let user = crate::services::profiles::me(&state, auth.user_id).await?;
    Ok(axum::Json(SessionInfo {
        user: Me::from_record(&user),
        csrf_token: state.csrf.token_for(auth.session_id),
    }))
}

/// What a page load may try, answered without an error either way.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionStatus {
    /// The credentials sent (cookie or bearer) are a live session:
    /// `GET /api/v1/auth/session` will answer 200.
    signed_in: bool,
    /// A refresh cookie came with the request, so `POST /api/v1/auth/refresh`
    /// is worth trying (it may still be refused if the token was revoked).
    refreshable: bool,
}

/// Whether this browser is signed in, or could be by refreshing. A freshly
/// loaded page asks this first, so a signed-out visitor costs no failed
/// requests (which browsers log as console errors); the refresh cookie's
/// path covers this route, so its presence is visible here.
#[utoipa::path(get, path = "/api/v1/auth/status", tag = "auth",
    responses((status = 200, description = "Always answered", body = SessionStatus)))]
async fn status(headers: HeaderMap, auth: Result<Auth, ApiError>) -> axum::Json<SessionStatus> {
    axum::Json(SessionStatus {
        signed_in: auth.is_ok(),
        refreshable: cookies::read(&headers, REFRESH_COOKIE).is_some(),
    })
}
