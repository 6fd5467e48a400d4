//! CORS for `/open/v1`, decided per request from the registered domains (the
//! configured-origin CORS of `/api/v1` does not apply there): an `Origin` of
//! `http://` or `https://` followed by exactly a registered host (with its
//! port, if any) gets `Access-Control-Allow-Origin: <that origin>`, never
//! `*` and never with credentials; anything else (`null`, look-alikes such
//! as `example.com.evil.net`, other schemes, paths) gets no CORS headers.
//! Every answer varies on `Origin`. Preflights are answered here, before any
//! limit counts them.

use crate::open::host::parse_host;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, StatusCode};

/// Where this middleware applies.
pub const PREFIX: &str = "/open/";
/// How long a browser may cache a preflight, in seconds.
const MAX_AGE: &str = "600";

/// The host an `Origin` header names, if it is `http(s)://host[:port]` and
/// nothing more, lower-cased.
pub fn origin_host(origin: &HeaderValue) -> Option<String> {
    let origin = origin.to_str().ok()?;
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))?;
    parse_host(rest).ok()
}

pub async fn open_cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with(PREFIX) {
        return next.run(request).await;
    }
    let origin = request.headers().get(header::ORIGIN).cloned();
    let allowed = match origin.as_ref().and_then(origin_host) {
        Some(host) => match state.open.registry.host_registered(&host).await {
            Ok(known) => known,
            Err(e) => {
                tracing::warn!(error = %e, "open api: CORS lookup failed; answering without CORS headers");
                false
            }
        },
        None => false,
    };
    let allow = origin.filter(|_| allowed);
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    // Whatever the /api CORS layer said does not hold here.
    for name in [
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        header::ACCESS_CONTROL_ALLOW_METHODS,
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        header::ACCESS_CONTROL_MAX_AGE,
        header::VARY,
    ] {
        headers.remove(name);
    }
    headers.insert(header::VARY, HeaderValue::from_static("origin"));
    if let Some(origin) = allow {
        allow_origin(headers, origin, preflight);
    }
    response
}

fn allow_origin(headers: &mut HeaderMap, origin: HeaderValue, preflight: bool) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    let set = |headers: &mut HeaderMap, name, value| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    if preflight {
        set(headers, header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
        set(
            headers,
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            "authorization, content-type",
        );
        set(headers, header::ACCESS_CONTROL_MAX_AGE, MAX_AGE);
    } else {
        set(
            headers,
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            "retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset, x-request-id",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::origin_host;
    use http::HeaderValue;

    #[test]
    fn only_plain_web_origins_name_a_host() {
        let host = |o: &str| origin_host(&HeaderValue::from_str(o).expect("header"));
        assert_eq!(host("https://Example.com").as_deref(), Some("example.com"));
        assert_eq!(
            host("http://localhost:3000").as_deref(),
            Some("localhost:3000")
        );
        for refused in [
            "null",
            "example.com",
            "ftp://example.com",
            "https://example.com/",
            "https://example.com/path",
            "https://user@example.com",
            "https://example.com:0",
            "https://example.com:99999",
            "https://",
        ] {
            assert_eq!(host(refused), None, "{refused}");
        }
    }
}
