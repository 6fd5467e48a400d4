//! Security headers on every response (unless a handler set its own):
//! a strict CSP, no MIME sniffing, no framing, a conservative referrer
//! policy, and HSTS when Parley is served over https.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderName, HeaderValue};
use std::sync::Arc;

/// Same-origin everything; the web client needs inline styles, images from
/// data:/blob: URLs (previews) and websocket connections back to us.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss:; \
                   font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
                   frame-ancestors 'none'";

pub type Headers = Arc<Vec<(HeaderName, HeaderValue)>>;

pub fn headers(https: bool) -> Headers {
    let mut list = vec![
        (
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static(CSP),
        ),
        (
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ),
        (
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ),
        (
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ),
    ];
    if https {
        list.push((
            HeaderName::from_static("strict-transport-security"),
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ));
    }
    Arc::new(list)
}

pub async fn add(headers: Headers, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let target = response.headers_mut();
    for (name, value) in headers.iter() {
        if !target.contains_key(name) {
            target.insert(name.clone(), value.clone());
        }
    }
    response
}
