//! Serving the built web client at `/`: content types, cache headers (hashed
//! assets immutable, index.html revalidated), the SPA fallback for deep
//! links, the server's own paths keeping their JSON 404, HEAD, refused path
//! traversal, and the 503 page while the client is not built.

use crate::helpers::*;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderMap, IF_MODIFIED_SINCE, LAST_MODIFIED};
use reqwest::{Method, Response, StatusCode};
use std::path::Path;

both_backends!(
    files_have_their_types_and_cache_headers,
    deep_links_get_index_html,
    server_paths_keep_their_json_404,
    a_missing_asset_is_404_not_index_html,
    head_requests_are_answered_without_a_body,
    path_traversal_is_refused,
    an_unbuilt_client_is_a_503_page_and_the_api_still_works,
);

const INDEX: &str = "<!doctype html><html><head><title>Parley</title>\
                     <script type=\"module\" src=\"/assets/app-abc123.js\"></script></head>\
                     <body><div id=\"root\">parley-index-marker</div></body></html>";
const SCRIPT: &str = "console.log('parley-asset-marker');";
const SECRET: &str = "parley-secret-next-to-the-client";

/// A built client in `DATA_DIR/web`, and a file beside it that must never be served.
fn write_client(data_dir: &Path) -> std::path::PathBuf {
    let web = data_dir.join("web");
    std::fs::create_dir_all(web.join("assets")).expect("create web/assets");
    std::fs::write(web.join("index.html"), INDEX).expect("write index.html");
    std::fs::write(web.join("assets/app-abc123.js"), SCRIPT).expect("write the script");
    std::fs::write(web.join("assets/app-abc123.css"), "body{margin:0}").expect("write the css");
    std::fs::write(
        web.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .expect("write the icon");
    std::fs::write(data_dir.join("secret.txt"), SECRET).expect("write the secret");
    web
}

async fn spawn_with_client(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |c| c.web_dir = Some(write_client(&c.data_dir))).await
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

/// Asserts api.md's JSON 404.
async fn assert_json_404(response: Response, what: &str) {
    let content_type = header(response.headers(), CONTENT_TYPE, what);
    assert!(
        content_type.starts_with("application/json"),
        "{what}: {content_type}"
    );
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

async fn files_have_their_types_and_cache_headers(backend: Backend) {
    let app = spawn_with_client(backend).await;
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
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        assert!(
            header(&headers, CONTENT_TYPE, path).contains(content_type),
            "{path}: {headers:?}"
        );
        assert_eq!(header(&headers, CACHE_CONTROL, path), cache, "{path}");
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
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        header(response.headers(), CACHE_CONTROL, "304"),
        "public, max-age=31536000, immutable"
    );
}

async fn deep_links_get_index_html(backend: Backend) {
    let app = spawn_with_client(backend).await;
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
    let app = spawn_with_client(backend).await;
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
    let app = spawn_with_client(backend).await;
    for path in ["/assets/app-old999.js", "/assets/nested/missing.css"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body = response.text().await.expect("body");
        assert!(!body.contains("parley-index-marker"), "{path}: {body}");
    }
}

async fn head_requests_are_answered_without_a_body(backend: Backend) {
    let app = spawn_with_client(backend).await;
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
        assert_eq!(response.status(), StatusCode::OK, "HEAD {path}");
        assert_eq!(header(response.headers(), CACHE_CONTROL, path), cache);
        assert!(response.headers().contains_key(CONTENT_TYPE), "HEAD {path}");
        assert!(
            response.bytes().await.expect("body").is_empty(),
            "HEAD {path}"
        );
    }
}

async fn path_traversal_is_refused(backend: Backend) {
    let app = spawn_with_client(backend).await;
    for path in [
        "/..%2fsecret.txt",
        "/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
        "/assets/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/chat/..%2f..%2fsecret.txt",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body = response.text().await.expect("body");
        assert!(
            !body.contains(SECRET) && !body.contains("root:"),
            "{path}: {body}"
        );
    }
}

async fn an_unbuilt_client_is_a_503_page_and_the_api_still_works(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.web_dir = Some(c.data_dir.join("web"))).await;
    for path in ["/", "/chat/123", "/index.html"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        let headers = response.headers().clone();
        assert!(
            header(&headers, CONTENT_TYPE, path).starts_with("text/plain"),
            "{path}"
        );
        assert_eq!(header(&headers, CACHE_CONTROL, path), "no-store", "{path}");
        let body = response.text().await.expect("body");
        assert!(
            body.contains("not built") && body.contains("make run"),
            "{path}: {body}"
        );
    }
    assert_json_404(app.get("/api/v1/nope").await, "/api/v1/nope").await;
    let alice = app.signup("alice").await;
    app.assert_token_works(&alice.access_token).await;

    // Building the client while the server runs is picked up without a restart.
    write_client(&app.data_path());
    assert_index(app.get("/chat/123").await, "after the build").await;
}
