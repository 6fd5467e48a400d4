//! The browser-origin check. A browser sends `Origin` on every cross-site
//! (and most same-site) unsafe request; if it names an origin we do not
//! serve, the request is refused before any handler runs. This guards the
//! requests that carry no CSRF token by design (sign-up, sign-in, refresh)
//! and adds a second lock to the ones that do. Native clients send no
//! `Origin` and are unaffected. The Open API (`/open/`) is for other sites
//! by design: its own rules (the registered domains) decide there.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use parley_core::ErrorCode;

pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !request.method().is_safe()
        && !request.uri().path().starts_with(crate::open::cors::PREFIX)
        && let Some(origin) = request.headers().get(http::header::ORIGIN)
    {
        let allowed = origin
            .to_str()
            .map(|o| o.to_ascii_lowercase())
            .is_ok_and(|o| state.config.allowed_origins.contains(&o));
        if !allowed {
            return ApiError::refused(ErrorCode::OriginNotAllowed).into_response();
        }
    }
    next.run(request).await
}
