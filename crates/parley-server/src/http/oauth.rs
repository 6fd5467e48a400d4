//! Sign-in with providers: `GET /api/v1/auth/providers`, the flow's start
//! (`GET /api/v1/auth/oauth/{provider}`) and callback, and my linked
//! identities (`/api/v1/users/me/identities`). The callback never answers
//! an error page or a 5xx: every failure is a redirect to the web client
//! with `error=oauth_failed` (or `identity_taken` when linking), and every
//! callback clears the flow cookie, so a flow finishes at most once.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::http::auth::browser_cookies;
use crate::http::client::SignInOrigin;
use crate::http::params::Path;
use crate::oauth::Provider;
use crate::oauth::flow::{FlowState, Intent, now_secs};
use crate::protocol::errors::ErrorBody;
use crate::protocol::views::{AuthProvider, Identity, OAuthRedirect, Page};
use crate::services::identities;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::header::{LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};
use parley_core::{Error, ErrorCode, Timestamp};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(providers))
        .routes(routes!(start))
        .routes(routes!(callback))
        .routes(routes!(identities_list))
        .routes(routes!(link_start, unlink))
}

/// Where a failed sign-in lands.
const SIGN_IN_PAGE: &str = "/signin";
/// Where linking returns by default.
const SETTINGS_PAGE: &str = "/settings";

/// The configured sign-in providers, for the sign-in page's buttons.
#[utoipa::path(get, path = "/api/v1/auth/providers", tag = "auth",
    responses((status = 200, description = "`next_cursor` is always null", body = Page<AuthProvider>)))]
async fn providers(State(state): State<AppState>) -> axum::Json<Page<AuthProvider>> {
    axum::Json(Page {
        items: state
            .oauth
            .providers
            .all()
            .iter()
            .map(|p| AuthProvider {
                name: p.name.clone(),
                display_name: p.display_name.clone(),
            })
            .collect(),
        next_cursor: None,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StartQuery {
    /// A path of this site to return to afterwards (default `/`).
    return_to: Option<String>,
    /// Keep the browser signed in after it closes.
    #[serde(default)]
    remember: bool,
}

/// Start signing in with a provider: redirects (302) to it with `state`,
/// PKCE (S256) and, for OpenID Connect, a `nonce`, kept in an encrypted
/// HttpOnly cookie for the callback.
#[utoipa::path(get, path = "/api/v1/auth/oauth/{provider}", tag = "auth",
    params(("provider" = String, Path, description = "A configured provider's name"), StartQuery),
    responses(
        (status = 302, description = "To the provider; or to `/signin?error=oauth_failed` if it cannot be reached"),
        (status = 404, description = "No such provider", body = ErrorBody),
    ))]
async fn start(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<StartQuery>,
) -> ApiResult<Response> {
    let provider = provider(&state, &name)?;
    let return_to = same_origin_path(query.return_to.as_deref()).unwrap_or("/");
    Ok(
        match begin(&state, provider, Intent::SignIn, return_to, query.remember).await {
            Some((url, cookie)) => redirect_with(&url, Some(cookie)),
            None => redirect_with(&failure_url(SIGN_IN_PAGE, "oauth_failed"), None),
        },
    )
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    /// A path of this site to return to afterwards (default `/settings`).
    return_to: Option<String>,
}

/// Start linking a provider to my account: the answer says where to send
/// the browser (a top-level navigation); the provider returns it to the
/// callback, which links the account it vouches for.
#[utoipa::path(post, path = "/api/v1/users/me/identities/{provider}", tag = "users",
    params(("provider" = String, Path, description = "A configured provider's name")),
    request_body(content = Option<LinkBody>, content_type = "application/json"),
    responses(
        (status = 200, description = "Navigate to `authorize_url`", body = OAuthRedirect),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed`", body = ErrorBody),
        (status = 404, description = "No such provider", body = ErrorBody),
        (status = 503, description = "The provider cannot be reached", body = ErrorBody),
    ))]
async fn link_start(
    State(state): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
    crate::http::json::OptionalJson(body): crate::http::json::OptionalJson<LinkBody>,
) -> ApiResult<Response> {
    let provider = provider(&state, &name)?;
    let return_to = body
        .and_then(|b| b.return_to)
        .filter(|p| same_origin_path(Some(p)).is_some())
        .unwrap_or_else(|| SETTINGS_PAGE.to_owned());
    let (url, cookie) = begin(
        &state,
        provider,
        Intent::Link(auth.user_id),
        &return_to,
        false,
    )
    .await
    .ok_or_else(|| {
        ApiError::from(Error::Unavailable(format!(
            "the provider {} cannot be reached",
            provider.name
        )))
    })?;
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, cookie);
    Ok((headers, axum::Json(OAuthRedirect { authorize_url: url })).into_response())
}

/// A new flow: the provider's URL and the sealed cookie; `None` (logged)
/// when the provider cannot be reached.
async fn begin(
    state: &AppState,
    provider: &Provider,
    intent: Intent,
    return_to: &str,
    remember: bool,
) -> Option<(String, HeaderValue)> {
    let started = match state.oauth.providers.start(provider).await {
        Ok(started) => started,
        Err(failure) => {
            tracing::warn!(provider = %provider.name, error = ?failure, "cannot start a provider sign-in");
            return None;
        }
    };
    let flow = FlowState {
        provider: provider.name.clone(),
        state: started.state,
        pkce_verifier: started.pkce_verifier,
        nonce: started.nonce,
        return_to: return_to.to_owned(),
        intent,
        remember,
        started_at: now_secs(),
    };
    Some((started.authorize_url, state.oauth.flows.seal(&flow)?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    /// The provider's refusal (`access_denied`, ...).
    error: Option<String>,
}

/// Where the provider sends the browser back. Signs in (or creates the
/// account, or links it) and redirects to the web client with the session
/// cookies; every failure redirects with `error=oauth_failed` instead.
#[utoipa::path(get, path = "/api/v1/auth/oauth/{provider}/callback", tag = "auth",
    params(("provider" = String, Path, description = "A configured provider's name"), CallbackQuery),
    responses((status = 302, description = "To the page the flow started from; on failure to `/signin?error=oauth_failed` (or the settings page with `error=oauth_failed` / `identity_taken` when linking)")))]
async fn callback(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<CallbackQuery>,
    headers: HeaderMap,
    auth: Result<Auth, ApiError>,
    SignInOrigin(origin): SignInOrigin,
) -> Response {
    let flow = state.oauth.flows.open(&headers);
    let outcome = finish(&state, &name, query, flow.as_ref(), auth.ok(), origin).await;
    let failed_to = match flow.as_ref().map(|f| f.intent) {
        Some(Intent::Link(_)) => flow
            .as_ref()
            .map_or(SETTINGS_PAGE, |f| f.return_to.as_str()),
        _ => SIGN_IN_PAGE,
    };
    let label = match &outcome {
        Ok(_) => "ok",
        Err(_) => "failed",
    };
    metrics::counter!("oauth_callbacks_total", "provider" => provider_label(&state, &name), "outcome" => label)
        .increment(1);
    let mut response = match outcome {
        Ok(Finished::SignedIn(cookies, to)) => {
            let mut r = redirect_with(&to, None);
            r.headers_mut().extend(cookies);
            r
        }
        Ok(Finished::Linked(to)) => redirect_with(&to, None),
        Err(code) => redirect_with(&failure_url(failed_to, code), None),
    };
    if let Some(clear) = state.oauth.flows.clear() {
        response.headers_mut().append(SET_COOKIE, clear);
    }
    response
}

enum Finished {
    SignedIn(HeaderMap, String),
    Linked(String),
}

/// The callback's work; the error is the `error=` word for the web client.
async fn finish(
    state: &AppState,
    name: &str,
    query: CallbackQuery,
    flow: Option<&FlowState>,
    auth: Option<Auth>,
    origin: parley_store::SessionOrigin,
) -> Result<Finished, &'static str> {
    let refuse = |why: &str| {
        tracing::info!(provider = name, why, "provider sign-in refused");
        "oauth_failed"
    };
    let Some(flow) = flow else {
        return Err(refuse(
            "no valid flow cookie (missing, tampered or expired)",
        ));
    };
    let provider = state
        .oauth
        .providers
        .get(name)
        .filter(|p| p.name == flow.provider)
        .ok_or_else(|| refuse("the flow is for another provider"))?;
    if let Some(error) = &query.error {
        tracing::info!(provider = name, error = %error.chars().take(64).collect::<String>(), "the provider refused");
        return Err("oauth_failed");
    }
    if !query
        .state
        .as_deref()
        .is_some_and(|s| flow.state_matches(s))
    {
        return Err(refuse("missing or wrong state"));
    }
    let code = query.code.ok_or_else(|| refuse("no code"))?;
    let profile = state
        .oauth
        .providers
        .finish(
            provider,
            code,
            flow.pkce_verifier.clone(),
            flow.nonce.as_deref(),
        )
        .await
        .map_err(|failure| {
            tracing::warn!(provider = name, error = ?failure, "provider sign-in failed");
            "oauth_failed"
        })?;
    match flow.intent {
        Intent::SignIn => {
            let issued = identities::sign_in(state, name, &profile, flow.remember, origin)
                .await
                .map_err(|e| {
                    tracing::error!(provider = name, error = ?e, "provider sign-in could not be stored");
                    "oauth_failed"
                })?;
            Ok(Finished::SignedIn(
                browser_cookies(state, &issued),
                flow.return_to.clone(),
            ))
        }
        Intent::Link(user) => {
            // The browser that started the link, signed in as someone else
            // now, does not link to the first account.
            if auth.is_some_and(|a| a.user_id != user) {
                return Err(refuse("signed in as another user than the one linking"));
            }
            match identities::link(state, user, name, &profile).await {
                Ok(()) => Ok(Finished::Linked(flow.return_to.clone())),
                Err(Error::Refused(ErrorCode::IdentityTaken)) => Err("identity_taken"),
                Err(e) => {
                    tracing::error!(provider = name, error = ?e, "linking could not be stored");
                    Err("oauth_failed")
                }
            }
        }
    }
}

/// My linked providers, oldest first.
#[utoipa::path(get, path = "/api/v1/users/me/identities", tag = "users",
    responses(
        (status = 200, description = "`next_cursor` is always null", body = Page<Identity>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn identities_list(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<Page<Identity>>> {
    let linked = identities::linked(&state, auth.user_id).await?;
    let items = linked
        .into_iter()
        .map(|r| Identity {
            display_name: state
                .oauth
                .providers
                .get(&r.provider)
                .map_or_else(|| r.provider.clone(), |p| p.display_name.clone()),
            provider: r.provider,
            email: r.email,
            created_at: Timestamp(r.created_at),
            last_used_at: Timestamp(r.last_used_at),
        })
        .collect();
    Ok(axum::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// Unlink a provider from my account.
#[utoipa::path(delete, path = "/api/v1/users/me/identities/{provider}", tag = "users",
    params(("provider" = String, Path, description = "A linked provider's name")),
    responses(
        (status = 204, description = "Unlinked"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`csrf_failed`", body = ErrorBody),
        (status = 404, description = "Not linked", body = ErrorBody),
        (status = 409, description = "`last_sign_in_method`: no password and no other provider", body = ErrorBody),
    ))]
async fn unlink(
    State(state): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    identities::unlink(&state, auth.user_id, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn provider<'a>(state: &'a AppState, name: &str) -> ApiResult<&'a Provider> {
    state
        .oauth
        .providers
        .get(name)
        .ok_or_else(|| ApiError::from(Error::NotFound))
}

/// A configured provider's name, or `unknown`: metric labels stay bounded.
fn provider_label(state: &AppState, name: &str) -> String {
    state
        .oauth
        .providers
        .get(name)
        .map_or_else(|| "unknown".to_owned(), |p| p.name.clone())
}

/// `raw` if it is a path on this site: one leading `/`, not `//` or `/\`
/// (which browsers read as another host), no control characters.
fn same_origin_path(raw: Option<&str>) -> Option<&str> {
    let path = raw?;
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 512
        && !path.chars().any(|c| c.is_control() || c == '\\');
    ok.then_some(path)
}

/// `page` with `error=code` added to its query.
fn failure_url(page: &str, code: &str) -> String {
    let sep = if page.contains('?') { '&' } else { '?' };
    format!("{page}{sep}error={code}")
}

fn redirect_with(location: &str, cookie: Option<HeaderValue>) -> Response {
    let mut headers = HeaderMap::new();
    match HeaderValue::from_str(location) {
        Ok(value) => headers.insert(LOCATION, value),
        Err(_) => headers.insert(LOCATION, HeaderValue::from_static("/")),
    };
    if let Some(cookie) = cookie {
        headers.insert(SET_COOKIE, cookie);
    }
    // The answer carries secrets in cookies and a one-time URL.
    headers.insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    (StatusCode::FOUND, headers).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_return_targets() {
        for ok in ["/", "/settings", "/posts/1?x=1#y", "/orgs/acme/inbox"] {
            assert_eq!(same_origin_path(Some(ok)), Some(ok));
        }
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/a\\b",
            "/a\nb",
            "settings",
        ] {
            assert_eq!(same_origin_path(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(same_origin_path(None), None);
    }

    #[test]
    fn failures_keep_the_page_query() {
        assert_eq!(
            failure_url("/signin", "oauth_failed"),
            "/signin?error=oauth_failed"
        );
        assert_eq!(
            failure_url("/settings?tab=accounts", "identity_taken"),
            "/settings?tab=accounts&error=identity_taken"
        );
    }
}
