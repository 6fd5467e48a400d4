//! Serving the web client from the router's fallback, so every API route
//! keeps precedence. The client comes from one of two places (see
//! [`WebClient`]): the copy built into the binary (the default; see
//! `embedded`), or a folder on disk named by `PARLEY_WEB_DIR` (development).
//! Both follow the same rules:
//!
//! - files of the build are served with their content type; Vite's
//!   content-hashed `/assets/*` are cached for a year, everything else
//!   (notably `index.html`) must be revalidated (`no-cache`);
//! - any other GET/HEAD outside the server's own prefixes gets `index.html`
//!   (200) so deep links like `/chat/123` load the app, which routes itself;
//! - unknown `/api/...` (etc.) paths, other methods, missing assets and
//!   paths that try to climb out of the folder keep the JSON 404;
//! - when there is no client (none built into the binary, or an empty
//!   folder), app routes answer 503 with a page saying how to build it: the
//!   API keeps working without it.
//!
//! Security headers (CSP included) come from the middleware, like every response.

mod embedded;

pub use embedded::EmbeddedClient;

use crate::config::Config;
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};
use std::path::{Path, PathBuf};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Where the client served at `/` comes from.
#[derive(Debug, Clone)]
pub enum WebClient {
    /// No client at all: every unknown path is the JSON 404 (the API tests).
    None,
    /// The files carried by the binary (`parley serve`'s default), so the
    /// server works from any working directory.
    Embedded(EmbeddedClient),
    /// A built client in a folder (`PARLEY_WEB_DIR`), re-read on every
    /// request: a client rebuilt while the server runs is picked up.
    Dir(PathBuf),
}

/// Paths that belong to the server, never to the client.
const SERVER_PREFIXES: [&str; 7] = [
    "/api",
    "/socket.io",
    "/media",
    "/open",
    "/healthz",
    "/readyz",
    "/metrics",
];
/// Vite's content-hashed build output: safe to cache forever.
const ASSETS: &str = "/assets/";
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The router's fallback: the web client, or the JSON 404 of an unknown route.
pub async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let client = &state.config.web_client;
    if matches!(client, WebClient::None) {
        return ApiError::NoRoute.into_response();
    }
    let path = request.uri().path();
    let readable = request.method() == Method::GET || request.method() == Method::HEAD;
    if !readable || is_server_path(path) || climbs_out(path) {
        return ApiError::NoRoute.into_response();
    }
    match client {
        WebClient::None => ApiError::NoRoute.into_response(),
        WebClient::Embedded(files) => files.serve(request),
        WebClient::Dir(dir) => serve_dir(dir, request).await,
    }
}

/// Logs at start whether the client will be served, so a missing build is
/// noticed before someone opens the page.
pub fn log_status(config: &Config) {
    let dir = match &config.web_client {
        WebClient::None => return,
        WebClient::Embedded(files) => return files.log_status(),
        WebClient::Dir(dir) => dir,
    };
    if dir.join("index.html").is_file() {
        tracing::info!(web_dir = %dir.display(), "serving the web client");
    } else {
        tracing::warn!(
            web_dir = %dir.display(),
            "PARLEY_WEB_DIR holds no built web client (no index.html there): `/` answers 503 \
             until it does; `npm ci --prefix web && npm --prefix web run build` builds web/dist"
        );
    }
}

/// Serves the client from a folder (tower-http's `ServeDir`, which also
/// answers conditional requests from the files' modification times).
async fn serve_dir(dir: &Path, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let path = path.as_str();
    let is_asset = path.starts_with(ASSETS);
    let index = dir.join("index.html");
    // Checked per request: a client built while the server runs is picked up.
    if !is_asset && !tokio::fs::metadata(&index).await.is_ok_and(|m| m.is_file()) {
        return not_built();
    }
    let (parts, _body) = request.into_parts();
    if path != "/" {
        let files = ServeDir::new(dir)
            .append_index_html_on_directories(false)
            .redirect_to_trailing_slash(false);
        let request = Request::from_parts(parts.clone(), Body::empty());
        let response = match files.oneshot(request).await {
            Ok(response) => response.map(Body::new),
            Err(never) => match never {},
        };
        if response.status() != StatusCode::NOT_FOUND {
            let cache = if is_asset { IMMUTABLE } else { REVALIDATE };
            return with_cache(response, cache);
        }
        if is_asset {
            // A stale page asking for an asset of an older build: a clear 404,
            // not index.html parsed as JavaScript.
            return ApiError::NoRoute.into_response();
        }
    }
    let request = Request::from_parts(parts, Body::empty());
    let response = match ServeFile::new(index).oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    with_cache(response, REVALIDATE)
}

/// Whether `path` is the server's (its own routes, or a JSON 404).
fn is_server_path(path: &str) -> bool {
    SERVER_PREFIXES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Whether the decoded path has a `..` segment (`/..%2f..%2fetc/passwd`).
/// `ServeDir` refuses those too, but it would answer 404 and the SPA
/// fallback would turn that into index.html; refusing them here keeps the
/// answer an honest 404.
fn climbs_out(path: &str) -> bool {
    // Lossy UTF-8 is enough for spotting `..` segments.
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    decoded
        .split(['/', '\\'])
        .any(|segment| segment == ".." || segment.contains('\0'))
}

/// Adds `Cache-Control` to answers a cache may keep (200 and 304 only).
fn with_cache(mut response: Response, value: HeaderValue) -> Response {
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    response
}

/// The page of a server that has no client to serve.
fn not_built() -> Response {
    let text = "Parley's web client is not built yet.\n\n\
                Build it and start the server with `make run` (it builds the client and a\n\
                release binary that carries it), or build the client alone with\n\
                `npm ci --prefix web && npm --prefix web run build` and rebuild the server\n\
                with `cargo build --release` (or point PARLEY_WEB_DIR at the built client,\n\
                web/dist), then reload this page.\n\n\
                The API works meanwhile: /api/v1, /api/openapi.json.\n";
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_paths_are_whole_segments() {
        for path in [
            "/api",
            "/api/v1/x",
            "/socket.io/",
            "/media/k",
            "/healthz",
            "/metrics",
        ] {
            assert!(is_server_path(path), "{path}");
        }
        for path in [
            "/",
            "/apis",
            "/chat/1",
            "/mediator",
            "/u/alice",
            "/assets/a.js",
        ] {
            assert!(!is_server_path(path), "{path}");
        }
    }

    #[test]
    fn encoded_parent_segments_are_spotted() {
        for path in [
            "/..%2f..%2fetc/passwd",
            "/%2e%2e/x",
            "/a/../b",
            "/a/%2E%2E%5cb",
            "/..\\x",
        ] {
            assert!(climbs_out(path), "{path}");
        }
        for path in [
            "/",
            "/chat/123",
            "/assets/app-abc123.js",
            "/a..b",
            "/%zz",
            "/%",
        ] {
            assert!(!climbs_out(path), "{path}");
        }
    }
}
