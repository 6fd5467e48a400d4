//! The Origin allow-list for Socket.IO handshakes, on both transports.
//!
//! socketioxide does not check `Origin`. Without this, any web page could
//! open a websocket (or long-polling session) to Parley from a victim's
//! browser, which attaches the access cookie, and read their chat: cross-site
//! WebSocket hijacking. Browsers always send `Origin` on websocket upgrades
//! and on cross-origin requests, so every request under `/socket.io` whose
//! `Origin` is present and not one of ours is refused with 403 before
//! socketioxide sees it. Requests without `Origin` (native apps, Node
//! clients, same-origin polling GETs) are not browser cross-site requests and
//! pass; they must still authenticate.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::HeaderMap;
use http::header::ORIGIN;
use parley_core::ErrorCode;

/// Where socketioxide listens (its default request path).
pub const SOCKET_PATH: &str = "/socket.io";

/// Whether `path` is one socketioxide answers: exactly the rule it uses
/// (`/socket.io` itself or anything below `/socket.io/`).
pub fn is_socket_path(path: &str) -> bool {
    path.strip_prefix(SOCKET_PATH)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whether a request with these headers may reach the gateway: no `Origin`,
/// or exactly one that is in `allowed` (compared case-insensitively; the
/// configured origins are already lower-cased). `Origin: null` (sandboxed
/// frames, some redirects) is never allowed.
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let mut origins = headers.get_all(ORIGIN).iter();
    let Some(origin) = origins.next() else {
        return true;
    };
    if origins.next().is_some() {
        return false;
    }
    origin
        .to_str()
        .map(str::to_ascii_lowercase)
        .is_ok_and(|o| allowed.contains(&o))
}

/// The middleware, for every route: only `/socket.io` requests are checked.
pub async fn check_handshake_origin(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if is_socket_path(request.uri().path())
        && !origin_allowed(request.headers(), &state.config.allowed_origins)
    {
        tracing::info!(
            origin = ?request.headers().get(ORIGIN),
            "socket handshake from a foreign origin refused"
        );
        return ApiError::refused(ErrorCode::OriginNotAllowed).into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn allowed() -> Vec<String> {
        vec![
            "http://parley.test".to_owned(),
            "https://chat.example".to_owned(),
        ]
    }

    fn with_origin(values: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(ORIGIN, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn no_origin_passes() {
        assert!(origin_allowed(&HeaderMap::new(), &allowed()));
    }

    #[test]
    fn allowed_origins_pass_in_any_case() {
        assert!(origin_allowed(
            &with_origin(&["http://parley.test"]),
            &allowed()
        ));
        assert!(origin_allowed(
            &with_origin(&["HTTPS://Chat.Example"]),
            &allowed()
        ));
    }

    #[test]
    fn foreign_and_odd_origins_are_refused() {
        for bad in [
            "https://evil.example",
            "null",
            "http://parley.test.evil.example",
            "https://parley.test",     // other scheme
            "http://parley.test:8080", // other port
            "http://parley.test/",     // not an origin
            "",
        ] {
            assert!(
                !origin_allowed(&with_origin(&[bad]), &allowed()),
                "{bad:?} must be refused"
            );
        }
        assert!(
            !origin_allowed(
                &with_origin(&["http://parley.test", "https://evil.example"]),
                &allowed()
            ),
            "two Origin headers are refused"
        );
        let mut h = HeaderMap::new();
        h.insert(
            ORIGIN,
            HeaderValue::from_bytes(b"http://parl\xffey.test")
                .expect("opaque bytes are a valid value"),
        );
        assert!(!origin_allowed(&h, &allowed()), "non-ASCII origin");
    }

    #[test]
    fn socket_paths_match_socketioxide() {
        assert!(is_socket_path("/socket.io"));
        assert!(is_socket_path("/socket.io/"));
        assert!(is_socket_path("/socket.io/anything"));
        assert!(!is_socket_path("/socket.iox"));
        assert!(!is_socket_path("/api/v1/socket.io/"));
        assert!(!is_socket_path("/"));
    }
}
