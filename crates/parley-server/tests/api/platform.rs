//! What every response shares and the operational endpoints: security
//! headers, request ids, the 404 shape, health, readiness, metrics, and the
//! OpenAPI document.

use crate::helpers::*;
use reqwest::header::{
    ACCESS_CONTROL_REQUEST_METHOD, CONTENT_TYPE, HeaderMap, ORIGIN, STRICT_TRANSPORT_SECURITY,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

both_backends!(
    security_headers_are_on_every_response_including_errors,
    hsts_and_secure_cookies_only_over_https,
    request_ids_are_set_and_echoed,
    unknown_routes_and_methods_get_the_json_error_shape,
    healthz_is_200,
    readyz_follows_the_database,
    metrics_count_requests_by_route,
    openapi_documents_every_auth_and_users_path,
);

fn assert_security_headers(headers: &HeaderMap, what: &str) {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{what}: missing {name} in {headers:?}"))
            .to_owned()
    };
    let csp = get("content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'none'") || csp.contains("frame-ancestors 'self'"),
        "{what}: CSP without frame-ancestors: {csp}"
    );
    assert!(csp.contains("default-src"), "{what}: {csp}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    let xfo = get("x-frame-options").to_ascii_uppercase();
    assert!(xfo == "DENY" || xfo == "SAMEORIGIN", "{what}: {xfo}");
    assert!(!get("referrer-policy").is_empty(), "{what}");
}

async fn security_headers_are_on_every_response_including_errors(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.rate_limits.signup = limit(1)).await;
    let alice = app.signup("alice").await;
    let responses = vec![
        ("healthz 200", app.get("/healthz").await),
        ("readyz 200", app.get("/readyz").await),
        ("metrics 200", app.get("/metrics").await),
        ("openapi 200", app.get("/api/openapi.json").await),
        ("profile 200", app.get("/api/v1/users/alice").await),
        ("session 200", app.session_of(&alice.access_token).await),
        ("unknown route 404", app.get("/nope").await),
        ("unknown user 404", app.get("/api/v1/users/bob").await),
        ("not signed in 401", app.get("/api/v1/auth/session").await),
        (
            "validation 422",
            app.signin_raw(&json!({"login": "alice"})).await,
        ),
        (
            "signup limit 429",
            app.signup_raw(&json!({
                "username": "bob", "email": "bob@example.com", "password": PASSWORD,
            }))
            .await,
        ),
        (
            "origin 403",
            app.client()
                .post(app.url("/api/v1/auth/signin"))
                .header(ORIGIN, EVIL_ORIGIN)
                .json(&json!({"login": "alice", "password": PASSWORD}))
                .send()
                .await
                .expect("request"),
        ),
        (
            "method 405",
            app.client()
                .delete(app.url("/healthz"))
                .send()
                .await
                .expect("request"),
        ),
        (
            "media type 415",
            app.client()
                .post(app.url("/api/v1/auth/signin"))
                .body("x")
                .send()
                .await
                .expect("request"),
        ),
        (
            "preflight",
            app.client()
                .request(Method::OPTIONS, app.url("/api/v1/auth/signin"))
                .header(ORIGIN, PUBLIC_ORIGIN)
                .header(ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .send()
                .await
                .expect("request"),
        ),
    ];
    for (what, response) in responses {
        assert_security_headers(response.headers(), what);
        assert!(
            response.headers().get(STRICT_TRANSPORT_SECURITY).is_none(),
            "{what}: no HSTS over plain http"
        );
    }
}

async fn hsts_and_secure_cookies_only_over_https(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.public_url = "https://parley.test".into();
        c.allowed_origins = vec!["https://parley.test".into()];
    })
    .await;
    for path in ["/healthz", "/nope", "/api/v1/auth/session"] {
        let response = app.get(path).await;
        let hsts = response
            .headers()
            .get(STRICT_TRANSPORT_SECURITY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{path}: HSTS expected over https"))
            .to_owned();
        assert!(hsts.contains("max-age="), "{hsts}");
        assert_security_headers(response.headers(), path);
    }
    // Cookies are Secure when the public URL is https.
    let response = app
        .client()
        .post(app.url("/api/v1/auth/signup"))
        .header(ORIGIN, "https://parley.test")
        .json(&json!({
            "username": "alice",
            "email": "alice@example.com",
            "password": PASSWORD,
        }))
        .send()
        .await
        .expect("signup");
    let cookies = set_cookies(response.headers());
    let session = Session::from_json(&expect_json(response, StatusCode::CREATED).await);
    for name in ["parley_access", "parley_refresh"] {
        let cookie = cookie_named(&cookies, name);
        assert!(cookie.has("secure"), "{}", cookie.raw);
        assert!(cookie.has("httponly"), "{}", cookie.raw);
    }
    assert_eq!(session.claims()["iss"], "https://parley.test");
    app.assert_token_works(&session.access_token).await;
    // The http origin is foreign now.
    let response = app
        .client()
        .post(app.url("/api/v1/auth/signin"))
        .header(ORIGIN, PUBLIC_ORIGIN)
        .json(&json!({"login": "alice", "password": PASSWORD}))
        .send()
        .await
        .expect("signin");
    assert_error(response, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    // Clearing cookies over https keeps them Secure too.
    let response = app
        .bearer_post(&session.access_token, "/api/v1/auth/signout", &json!({}))
        .await;
    let cleared = set_cookies(response.headers());
    expect_status(response, StatusCode::NO_CONTENT).await;
    for cookie in &cleared {
        assert!(cookie.has("secure"), "{}", cookie.raw);
    }
}

async fn request_ids_are_set_and_echoed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut seen = Vec::new();
    for path in ["/healthz", "/nope", "/api/v1/auth/session"] {
        let response = app.get(path).await;
        let id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{path}: no x-request-id"))
            .to_owned();
        assert!(!id.is_empty());
        seen.push(id);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "request ids are unique: {seen:?}");

    let response = app
        .client()
        .get(app.url("/api/v1/users/nobody"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .expect("request");
    assert_eq!(
        response.headers().get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"trace-me-42"[..])
    );
}

async fn unknown_routes_and_methods_get_the_json_error_shape(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in [
        "/nope",
        "/api/v1/nope",
        "/api/v2/users/alice",
        "/api/v1/auth/signup/extra",
    ] {
        let response = app.get(path).await;
        assert!(
            response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("application/json")),
            "{path}: {:?}",
            response.headers()
        );
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    let response = app
        .client()
        .delete(app.url("/api/v1/auth/signin"))
        .send()
        .await
        .expect("request");
    assert_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
}

async fn healthz_is_200(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = expect_json(app.get("/healthz").await, StatusCode::OK).await;
    assert_eq!(body["status"], "ok", "{body}");
}

async fn readyz_follows_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = expect_json(app.get("/readyz").await, StatusCode::OK).await;
    assert_eq!(body["status"], "ok", "{body}");
    assert_eq!(body["database"], backend.name(), "{body}");

    app.state.store.close().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = body_json(response).await;
    assert_ne!(body["status"], "ok", "{body}");
    // The process itself is still up.
    expect_json(app.get("/healthz").await, StatusCode::OK).await;
    // And a request that needs the database is a clean 503, not a 500.
    let response = app
        .signin_raw(&json!({"login": "alice", "password": PASSWORD}))
        .await;
    let body = assert_error(response, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        !message.to_ascii_lowercase().contains("pool") && !message.contains("sqlx"),
        "no internals in the message: {message}"
    );
}

/// The value of the counter line with all of `labels`, or 0.
fn counter(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")))
        .filter(|l| labels.iter().all(|label| l.contains(label)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

async fn metrics_count_requests_by_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let labels = [
        "route=\"/api/v1/auth/signup\"",
        "method=\"POST\"",
        "status=\"201\"",
    ];
    let before = app
        .get("/metrics")
        .await
        .text()
        .await
        .expect("metrics text");
    let before = counter(&before, "http_requests_total", &labels);
    app.signup("alice").await;
    app.get("/api/v1/users/alice").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = response.text().await.expect("metrics text");
    assert!(text.contains("http_requests_total"), "{text}");
    let after = counter(&text, "http_requests_total", &labels);
    assert!(
        after >= before + 1.0,
        "the sign-up was counted under its route pattern (before {before}, after {after})"
    );
    // Routes are patterns, never raw paths.
    assert!(
        text.contains("route=\"/api/v1/users/{username}\""),
        "the profile route is labelled by its pattern"
    );
    assert!(
        !text.contains("route=\"/api/v1/users/alice\""),
        "raw paths must not become labels"
    );
    assert!(text.contains("http_request_duration_seconds"), "{text}");
}

/// The documented response statuses of `method` on `path`.
fn statuses(spec: &Value, path: &str, method: &str) -> Vec<String> {
    let responses = spec["paths"][path][method]["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} is not documented"));
    responses.keys().cloned().collect()
}

async fn openapi_documents_every_auth_and_users_path(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let spec = expect_json(app.get("/api/openapi.json").await, StatusCode::OK).await;
    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "OpenAPI 3.1: {}",
        spec["openapi"]
    );
    let expected: &[(&str, &str, &[&str])] = &[
        (
            "/api/v1/auth/signup",
            "post",
            &["201", "400", "403", "409", "413", "415", "422", "429"],
        ),
        (
            "/api/v1/auth/signin",
            "post",
            &["200", "400", "401", "403", "422", "429"],
        ),
        (
            "/api/v1/auth/refresh",
            "post",
            &["200", "401", "403", "429"],
        ),
        ("/api/v1/auth/signout", "post", &["204", "401", "403"]),
        ("/api/v1/auth/session", "get", &["200", "401"]),
        ("/api/v1/auth/status", "get", &["200"]),
        ("/api/v1/users/{username}", "get", &["200", "404"]),
        ("/api/v1/users/me", "get", &["200", "401"]),
        ("/api/v1/users/me", "patch", &["200", "401", "403", "422"]),
        ("/api/v1/users/me", "delete", &["204", "401", "403", "422"]),
        (
            "/api/v1/users/me/password",
            "put",
            &["204", "401", "403", "422"],
        ),
        ("/healthz", "get", &["200"]),
        ("/readyz", "get", &["200", "503"]),
        ("/metrics", "get", &["200"]),
    ];
    let mut missing = Vec::new();
    for (path, method, wanted) in expected {
        let documented = statuses(&spec, path, method);
        let absent: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|status| !documented.iter().any(|s| s == status))
            .collect();
        if !absent.is_empty() {
            missing.push(format!(
                "{method} {path}: missing {absent:?} (documents {documented:?})"
            ));
        }
    }
    // The global rate limit applies to every route but the probes, so every
    // other operation can answer 429.
    for (path, item) in spec["paths"].as_object().expect("paths") {
        if matches!(path.as_str(), "/healthz" | "/readyz" | "/metrics") {
            continue;
        }
        for (method, op) in item.as_object().expect("path item") {
            if op["responses"].get("429").is_none() {
                missing.push(format!("{method} {path}: missing 429 (global rate limit)"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "undocumented statuses:\n{}",
        missing.join("\n")
    );
    // Error responses point at the error shape.
    let conflict = &spec["paths"]["/api/v1/auth/signup"]["post"]["responses"]["409"];
    assert!(
        conflict.to_string().contains("ErrorBody"),
        "409 uses the error schema: {conflict}"
    );
    assert!(spec["components"]["schemas"]["ErrorBody"].is_object());
}
