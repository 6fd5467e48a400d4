//! Cross-site protections: the CSRF header on cookie-authenticated unsafe
//! requests, the `Origin` check, and CORS for the web client's origin only.

use crate::helpers::*;
use reqwest::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

both_backends!(
    cookie_patch_needs_the_right_csrf_token,
    bearer_requests_need_no_csrf_token,
    signup_and_signin_from_a_foreign_origin_are_403_and_create_nothing,
    requests_from_the_public_origin_work,
    cors_allows_the_public_origin_with_credentials_only,
);

async fn cookie_patch_needs_the_right_csrf_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.signup_browser("alice").await;
    let other_session = app.signin("alice", PASSWORD).await;
    let patch = |csrf: Option<String>| {
        let mut request = browser
            .client
            .patch(app.url("/api/v1/users/me"))
            .json(&json!({"bio": "hacked"}));
        if let Some(token) = csrf {
            request = request.header("X-CSRF-Token", token);
        }
        request.send()
    };

    let missing = patch(None).await.expect("patch");
    assert_error(missing, StatusCode::FORBIDDEN, "csrf_failed").await;
    for wrong in [
        "wrong".to_owned(),
        String::new(),
        other_session.csrf_token.clone(),
        browser.session.csrf_token.to_uppercase(),
        format!("{}x", browser.session.csrf_token),
    ] {
        let response = patch(Some(wrong)).await.expect("patch");
        assert_error(response, StatusCode::FORBIDDEN, "csrf_failed").await;
    }
    assert_eq!(app.user("alice").await["bio"], "", "nothing changed");

    let right = patch(Some(browser.session.csrf_token.clone()))
        .await
        .expect("patch");
    let me = expect_json(right, StatusCode::OK).await;
    assert_eq!(me["bio"], "hacked");
    assert_eq!(app.user("alice").await["bio"], "hacked");

    // Safe requests by cookie need no CSRF token.
    let response = browser
        .client
        .get(app.url("/api/v1/users/me"))
        .send()
        .await
        .expect("get me");
    assert_eq!(expect_json(response, StatusCode::OK).await["bio"], "hacked");
}

async fn bearer_requests_need_no_csrf_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.signup("alice").await;
    let me = expect_json(
        app.bearer_patch(
            &session.access_token,
            "/api/v1/users/me",
            &json!({"bio": "native"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["bio"], "native");
    // A bearer request from a browser that also carries the cookie: the bearer
    // token authenticates, so no CSRF header is needed.
    let browser = app.signup_browser("bob").await;
    let response = browser
        .client
        .patch(app.url("/api/v1/users/me"))
        .bearer_auth(&browser.session.access_token)
        .json(&json!({"bio": "bearer wins"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(
        expect_json(response, StatusCode::OK).await["bio"],
        "bearer wins"
    );
}

async fn signup_and_signin_from_a_foreign_origin_are_403_and_create_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for origin in [
        EVIL_ORIGIN,
        "http://parley.test.evil.example",
        "https://parley.test",
        "http://parley.test:8080",
        "null",
    ] {
        let response = app
            .client()
            .post(app.url("/api/v1/auth/signup"))
            .header(ORIGIN, origin)
            .json(&json!({
                "username": "mallory",
                "email": "mallory@example.com",
                "password": PASSWORD,
            }))
            .send()
            .await
            .expect("signup");
        assert!(set_cookies(response.headers()).is_empty());
        assert_error(response, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    }
    app.assert_no_user("mallory").await;
    app.assert_signin_fails("mallory", PASSWORD).await;

    app.signup("alice").await;
    let response = app
        .client()
        .post(app.url("/api/v1/auth/signin"))
        .header(ORIGIN, EVIL_ORIGIN)
        .json(&json!({"login": "alice", "password": PASSWORD}))
        .send()
        .await
        .expect("signin");
    assert!(
        set_cookies(response.headers()).is_empty(),
        "no session cookies for a foreign origin"
    );
    assert_error(response, StatusCode::FORBIDDEN, "origin_not_allowed").await;

    // A cookie-authenticated unsafe request from a foreign origin is refused even
    // with the right CSRF token.
    let browser = app.signup_browser("bob").await;
    let response = browser
        .client
        .patch(app.url("/api/v1/users/me"))
        .header(ORIGIN, EVIL_ORIGIN)
        .header("x-csrf-token", &browser.session.csrf_token)
        .json(&json!({"bio": "from evil"}))
        .send()
        .await
        .expect("patch");
    assert_error(response, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    assert_eq!(app.user("bob").await["bio"], "");
}

async fn requests_from_the_public_origin_work(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for origin in [PUBLIC_ORIGIN, "HTTP://PARLEY.TEST"] {
        let name = if origin == PUBLIC_ORIGIN {
            "alice"
        } else {
            "bob"
        };
        let response = app
            .client()
            .post(app.url("/api/v1/auth/signup"))
            .header(ORIGIN, origin)
            .json(&json!({
                "username": name,
                "email": email_for(name),
                "password": PASSWORD,
            }))
            .send()
            .await
            .expect("signup");
        expect_json(response, StatusCode::CREATED).await;
        let response = app
            .client()
            .post(app.url("/api/v1/auth/signin"))
            .header(ORIGIN, origin)
            .json(&json!({"login": name, "password": PASSWORD}))
            .send()
            .await
            .expect("signin");
        expect_json(response, StatusCode::OK).await;
    }
    // Safe requests are never refused for their Origin (CORS decides what the page may read).
    let response = app
        .client()
        .get(app.url("/api/v1/users/alice"))
        .header(ORIGIN, EVIL_ORIGIN)
        .send()
        .await
        .expect("get");
    expect_json(response, StatusCode::OK).await;
}

async fn cors_allows_the_public_origin_with_credentials_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.signup("alice").await;
    let preflight = |origin: &'static str| {
        app.client()
            .request(Method::OPTIONS, app.url("/api/v1/users/me"))
            .header(ORIGIN, origin)
            .header(ACCESS_CONTROL_REQUEST_METHOD, "PATCH")
            .header(ACCESS_CONTROL_REQUEST_HEADERS, "content-type,x-csrf-token")
            .send()
    };

    let ok = preflight(PUBLIC_ORIGIN).await.expect("preflight");
    assert!(ok.status().is_success(), "preflight status {}", ok.status());
    let headers = ok.headers();
    assert_eq!(
        headers
            .get(ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.as_bytes()),
        Some(PUBLIC_ORIGIN.as_bytes()),
        "{headers:?}"
    );
    assert_eq!(
        headers
            .get(ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .map(|v| v.as_bytes()),
        Some(&b"true"[..]),
        "{headers:?}"
    );
    let allowed_methods = headers
        .get("access-control-allow-methods")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_uppercase();
    assert!(allowed_methods.contains("PATCH"), "{headers:?}");
    let allowed_headers = headers
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(allowed_headers.contains("x-csrf-token"), "{headers:?}");

    let evil = preflight(EVIL_ORIGIN).await.expect("preflight");
    assert!(
        evil.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none(),
        "no ACAO for a foreign origin: {:?}",
        evil.headers()
    );

    // Actual requests.
    let ok = app
        .client()
        .get(app.url("/api/v1/auth/session"))
        .bearer_auth(&session.access_token)
        .header(ORIGIN, PUBLIC_ORIGIN)
        .send()
        .await
        .expect("get");
    assert_eq!(
        ok.headers()
            .get(ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.as_bytes()),
        Some(PUBLIC_ORIGIN.as_bytes())
    );
    assert_eq!(
        ok.headers()
            .get(ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    let vary = ok
        .headers()
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",")
        .to_ascii_lowercase();
    assert!(vary.contains("origin"), "Vary: Origin, got {vary:?}");
    let evil = app
        .client()
        .get(app.url("/api/v1/auth/session"))
        .bearer_auth(&session.access_token)
        .header(ORIGIN, EVIL_ORIGIN)
        .send()
        .await
        .expect("get");
    assert!(
        evil.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none(),
        "{:?}",
        evil.headers()
    );
    let wildcard = evil
        .headers()
        .get(ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_some_and(|v| v.as_bytes() == b"*");
    assert!(!wildcard, "never *");
}
