//! Serving the web client at `/`, from both places it can come from: the
//! files built into the binary (the default, here a small `RustEmbed`
//! fixture set standing in for `web/dist`, so nothing depends on the
//! process's working directory) and a folder on disk (`PARLEY_WEB_DIR`).
//! For each: content types, cache headers (hashed assets immutable,
//! index.html revalidated), conditional requests, the SPA fallback for deep
//! links, the server's own paths keeping their JSON 404, HEAD, refused path
//! traversal, and the 503 page while there is no client.

use crate::helpers::*;
use parley_server::http::web_client::{EmbeddedClient, WebClient};
use reqwest::header::{
    CACHE_CONTROL, CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use reqwest::{Method, Response, StatusCode};
use rust_embed::RustEmbed;
use std::path::Path;

both_backends!(
    files_have_their_types_and_cache_headers,
    deep_links_get_index_html,
    server_paths_keep_their_json_404,
    a_missing_asset_is_404_not_index_html,
    head_requests_are_answered_without_a_body,
    path_traversal_is_refused,
    an_unbuilt_client_is_a_503_page_and_the_api_still_works,
    a_binary_without_a_client_is_a_503_page,
);

/// The fixture client, embedded the way `web/dist` is in the real binary.
#[derive(RustEmbed)]
#[folder = "tests/api/web_fixture"]
struct FixtureClient;

/// What a binary built without `web/dist` carries: nothing.
#[derive(RustEmbed)]
#[folder = "tests/api/no_such_client"]
#[allow_missing = true]
struct NoClient;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/web_fixture");
const SCRIPT: &str = include_str!("web_fixture/assets/app-abc123.js");
const SECRET: &str = "parley-secret-next-to-the-client";

/// Where the client under test comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// Built into the binary (no `PARLEY_WEB_DIR`).
    Embedded,
    /// A folder on disk (`PARLEY_WEB_DIR`).
    Dir,
}

const SOURCES: [Source; 2] = [Source::Embedded, Source::Dir];

/// A built client in `DATA_DIR/web` (the fixture's files), and a file beside
/// it that must never be served.
fn write_client(data_dir: &Path) -> std::path::PathBuf {
    let web = data_dir.join("web");
    std::fs::create_dir_all(web.join("assets")).expect("create web/assets");
    for file in [
        "index.html",
        "favicon.svg",
        "assets/app-abc123.js",
        "assets/app-abc123.css",
    ] {
        std::fs::copy(Path::new(FIXTURE).join(file), web.join(file)).expect("copy the client");
    }
    std::fs::write(data_dir.join("secret.txt"), SECRET).expect("write the secret");
    web
}

async fn spawn_with_client(backend: Backend, source: Source) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.web_client = match source {
            Source::Embedded => {
                // The secret beside the data folder exists in both cases.
                std::fs::write(c.data_dir.join("secret.txt"), SECRET).expect("write the secret");
                WebClient::Embedded(EmbeddedClient::of::<FixtureClient>("the test fixture"))
            }
            Source::Dir => WebClient::Dir(write_client(&c.data_dir)),
        }
    })
    .await
}

fn header(headers: &HeaderMap, name: impl reqwest::header::AsHeaderName, what: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{what}: header missing in {headers:?}"))
        .to_owned()
}

/// Asserts a 200 with index.html, not cached, under the usual security headers.
async fn assert_index(response: Response, what: &str) {
    assert_eq!(response.status(), StatusCode::OK, "{what}");
    let headers = response.headers().clone();
    assert!(
        header(&headers, CONTENT_TYPE, what).starts_with("text/html"),
        "{what}: {headers:?}"
    );
    assert_eq!(header(&headers, CACHE_CONTROL, what), "no-cache", "{what}");
    assert_spa_security_headers(&headers, what);
    let body = response.text().await.expect("body");
    assert!(body.contains("parley-index-marker"), "{what}: {body}");
}

/// The CSP the single-page app needs, and the other headers every response has.
fn assert_spa_security_headers(headers: &HeaderMap, what: &str) {
    let csp = header(headers, "content-security-policy", what);
    for directive in [
        "script-src 'self'",
        "connect-src 'self' ws: wss:",
        "img-src 'self' data: blob:",
        "style-src 'self' 'unsafe-inline'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{what}: {directive} not in {csp}");
    }
    assert_eq!(header(headers, "x-content-type-options", what), "nosniff");
    assert_eq!(header(headers, "x-frame-options", what), "DENY");
}

/// Asserts docs/api.md's JSON 404.
async fn assert_json_404(response: Response, what: &str) {
    let content_type = header(response.headers(), CONTENT_TYPE, what);
    assert!(
        content_type.starts_with("application/json"),
        "{what}: {content_type}"
    );
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

async fn files_have_their_types_and_cache_headers(backend: Backend) {
    for source in SOURCES {
        files_have_their_types_and_cache_headers_in(backend, source).await;
    }
}

async fn files_have_their_types_and_cache_headers_in(backend: Backend, source: Source) {
    let app = spawn_with_client(backend, source).await;
    assert_index(app.get("/").await, "/").await;
    assert_index(app.get("/index.html").await, "/index.html").await;

    let cases = [
        (
            "/assets/app-abc123.js",
            "javascript",
            "public, max-age=31536000, immutable",
        ),
        (
            "/assets/app-abc123.css",
            "text/css",
            "public, max-age=31536000, immutable",
        ),
        ("/favicon.svg", "image/svg+xml", "no-cache"),
    ];
    for (path, content_type, cache) in cases {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{source:?} {path}");
        let headers = response.headers().clone();
        assert!(
            header(&headers, CONTENT_TYPE, path).contains(content_type),
            "{source:?} {path}: {headers:?}"
        );
        assert_eq!(
            header(&headers, CACHE_CONTROL, path),
            cache,
            "{source:?} {path}"
        );
        assert_eq!(header(&headers, "x-content-type-options", path), "nosniff");
    }
    let response = app.get("/assets/app-abc123.js").await;
    let last_modified = header(response.headers(), LAST_MODIFIED, "asset");
    assert_eq!(response.text().await.expect("body"), SCRIPT);

    // A revalidation keeps the long cache lifetime.
    let response = app
        .client()
        .get(app.url("/assets/app-abc123.js"))
        .header(IF_MODIFIED_SINCE, last_modified)
        .send()
        .await
        .expect("conditional request");
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{source:?}");
    assert_eq!(
        header(response.headers(), CACHE_CONTROL, "304"),
        "public, max-age=31536000, immutable"
    );

    // So does one by ETag; a changed file (another ETag) is sent again.
    let response = app.get("/assets/app-abc123.js").await;
    let etag = header(response.headers(), ETAG, "asset");
    for (tag, status) in [
        (etag.as_str(), StatusCode::NOT_MODIFIED),
        ("\"an-older-build\"", StatusCode::OK),
    ] {
        let response = app
            .client()
            .get(app.url("/assets/app-abc123.js"))
            .header(IF_NONE_MATCH, tag)
            .send()
            .await
            .expect("conditional request");
        assert_eq!(response.status(), status, "{source:?} If-None-Match {tag}");
        assert_eq!(
            header(response.headers(), CACHE_CONTROL, "revalidated"),
            "public, max-age=31536000, immutable"
        );
    }
}

async fn deep_links_get_index_html(backend: Backend) {
    for source in SOURCES {
        deep_links_get_index_html_in(backend, source).await;
    }
}

async fn deep_links_get_index_html_in(backend: Backend, source: Source) {
    let app = spawn_with_client(backend, source).await;
    for path in [
        "/chat/123",
        "/u/alice",
        "/u/alice/followers",
        "/posts/01890000-0000-7000-8000-000000000000?comment=1",
        "/tags/%E6%97%A5%E6%9C%AC",
        "/settings",
        "/nope.png",
        "/assets",
        "/apis",
    ] {
        assert_index(app.get(path).await, path).await;
    }
}

async fn server_paths_keep_their_json_404(backend: Backend) {
    for source in SOURCES {
        server_paths_keep_their_json_404_in(backend, source).await;
    }
}

async fn server_paths_keep_their_json_404_in(backend: Backend, source: Source) {
    let app = spawn_with_client(backend, source).await;
    for path in [
        "/api",
        "/api/",
        "/api/v1/nope",
        "/api/v2/users/alice",
        "/open/v1/anything",
        "/healthz/extra",
        "/metrics/x",
    ] {
        assert_json_404(app.get(path).await, path).await;
    }
    // Unknown API resources too, with the same security headers as before.
    let response = app.get("/api/v1/users/nobody").await;
    assert_spa_security_headers(response.headers(), "unknown user");
    assert_json_404(response, "/api/v1/users/nobody").await;
    // Only GET and HEAD reach the client.
    let response = app
        .client()
        .request(Method::DELETE, app.url("/chat/123"))
        .send()
        .await
        .expect("request");
    assert_json_404(response, "DELETE /chat/123").await;
    // The operational endpoints are untouched.
    let body = expect_json(app.get("/healthz").await, StatusCode::OK).await;
    assert_eq!(body["status"], "ok", "{body}");
    expect_json(app.get("/api/openapi.json").await, StatusCode::OK).await;
}

async fn a_missing_asset_is_404_not_index_html(backend: Backend) {
    for source in SOURCES {
        a_missing_asset_is_404_not_index_html_in(backend, source).await;
    }
}

async fn a_missing_asset_is_404_not_index_html_in(backend: Backend, source: Source) {
    let app = spawn_with_client(backend, source).await;
    for path in ["/assets/app-old999.js", "/assets/nested/missing.css"] {
        let response = app.get(path).await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "{source:?} {path}"
        );
        let body = response.text().await.expect("body");
        assert!(
            !body.contains("parley-index-marker"),
            "{source:?} {path}: {body}"
        );
    }
}

async fn head_requests_are_answered_without_a_body(backend: Backend) {
    for source in SOURCES {
        head_requests_are_answered_without_a_body_in(backend, source).await;
    }
}

async fn head_requests_are_answered_without_a_body_in(backend: Backend, source: Source) {
    let app = spawn_with_client(backend, source).await;
    for (path, cache) in [
        ("/", "no-cache"),
        ("/chat/123", "no-cache"),
        (
            "/assets/app-abc123.js",
            "public, max-age=31536000, immutable",
        ),
    ] {
        let response = app
            .client()
            .head(app.url(path))
            .send()
            .await
            .expect("HEAD request");
        assert_eq!(response.status(), StatusCode::OK, "{source:?} HEAD {path}");
        assert_eq!(header(response.headers(), CACHE_CONTROL, path), cache);
        assert!(
            response.headers().contains_key(CONTENT_TYPE),
            "{source:?} HEAD {path}"
        );
        assert!(
            response.bytes().await.expect("body").is_empty(),
            "{source:?} HEAD {path}"
        );
    }
}

async fn path_traversal_is_refused(backend: Backend) {
    for source in SOURCES {
        path_traversal_is_refused_in(backend, source).await;
    }
}

async fn path_traversal_is_refused_in(backend: Backend, source: Source) {
    let app = spawn_with_client(backend, source).await;
    for path in [
        "/..%2fsecret.txt",
        "/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
        "/assets/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/chat/..%2f..%2fsecret.txt",
        // Beside and above the embedded fixture: this file, the crate's manifest.
        "/..%2fweb_client.rs",
        "/assets/..%2f..%2f..%2f..%2fCargo.toml",
    ] {
        let response = app.get(path).await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "{source:?} {path}"
        );
        let body = response.text().await.expect("body");
        for leak in [SECRET, "root:", "both_backends", "[package]"] {
            assert!(!body.contains(leak), "{source:?} {path}: {body}");
        }
    }
}

/// Asserts the 503 page of a server without a client, and that the API works.
async fn assert_not_built(app: &TestApp, what: &str) {
    for path in ["/", "/chat/123", "/index.html"] {
        let response = app.get(path).await;
        assert_eq!(
            response.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "{what} {path}"
        );
        let headers = response.headers().clone();
        assert!(
            header(&headers, CONTENT_TYPE, path).starts_with("text/plain"),
            "{what} {path}"
        );
        assert_eq!(
            header(&headers, CACHE_CONTROL, path),
            "no-store",
            "{what} {path}"
        );
        let body = response.text().await.expect("body");
        assert!(
            body.contains("not built") && body.contains("make run"),
            "{what} {path}: {body}"
        );
    }
    assert_json_404(app.get("/api/v1/nope").await, "/api/v1/nope").await;
    let alice = app.signup("alice").await;
    app.assert_token_works(&alice.access_token).await;
}

async fn an_unbuilt_client_is_a_503_page_and_the_api_still_works(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.web_client = WebClient::Dir(c.data_dir.join("web"));
    })
    .await;
    assert_not_built(&app, "an empty PARLEY_WEB_DIR").await;

    // Building the client while the server runs is picked up without a restart.
    write_client(&app.data_path());
    assert_index(app.get("/chat/123").await, "after the build").await;
}

/// A binary compiled before `web/dist` existed (a fresh clone, no Node.js).
async fn a_binary_without_a_client_is_a_503_page(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.web_client = WebClient::Embedded(EmbeddedClient::of::<NoClient>("nothing"));
    })
    .await;
    assert_not_built(&app, "no client in the binary").await;
    assert_json_404(app.get("/assets/app-abc123.js").await, "an asset").await;
}
