//! `POST /api/v1/auth/signout`: the session ends everywhere at once.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    browser_signout_clears_cookies_and_ends_the_session,
    signout_by_cookie_without_csrf_is_403_and_changes_nothing,
    native_signout_by_bearer_needs_no_csrf,
    signout_without_credentials_is_401,
);

async fn browser_signout_clears_cookies_and_ends_the_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.signup_browser("alice").await;
    let refresh_token = browser.refresh_cookie();
    assert_eq!(app.user("alice").await["last_seen_at"], Value::Null);

    let response = browser
        .client
        .post(app.url("/api/v1/auth/signout"))
        .header("x-csrf-token", &browser.session.csrf_token)
        .send()
        .await
        .expect("signout");
    let cookies = set_cookies(response.headers());
    expect_status(response, StatusCode::NO_CONTENT).await;

    for (name, path) in [("parley_access", "/"), ("parley_refresh", "/api/v1/auth")] {
        let cookie = cookie_named(&cookies, name);
        assert_eq!(
            cookie.max_age(),
            Some(0),
            "{name} is deleted: {}",
            cookie.raw
        );
        assert_eq!(cookie.value, "", "{}", cookie.raw);
        assert_eq!(
            cookie.attr("path"),
            Some(path),
            "deleting needs the same path: {}",
            cookie.raw
        );
    }

    // The refresh token and the access token are both dead.
    let refused = app.refresh_native(&refresh_token).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_error_shape(&body_json(refused).await);
    app.assert_token_refused(&browser.session.access_token)
        .await;
    // The browser's jar is empty now.
    let response = browser
        .client
        .get(app.url("/api/v1/auth/session"))
        .send()
        .await
        .expect("session");
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Sign-out records when the user was last seen.
    let last_seen = app.user("alice").await["last_seen_at"].clone();
    assert!(
        last_seen.as_str().is_some_and(|s| s.ends_with('Z')),
        "last_seen_at is set by sign-out: {last_seen}"
    );
}

async fn signout_by_cookie_without_csrf_is_403_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.signup_browser("alice").await;
    for csrf in [None, Some("wrong"), Some("")] {
        let mut request = browser.client.post(app.url("/api/v1/auth/signout"));
        if let Some(token) = csrf {
            request = request.header("x-csrf-token", token);
        }
        let response = request.send().await.expect("signout");
        assert!(set_cookies(response.headers()).is_empty(), "cookies kept");
        assert_error(response, StatusCode::FORBIDDEN, "csrf_failed").await;
    }
    // Another session's CSRF token is no good either.
    let other = app.signin("alice", PASSWORD).await;
    let response = browser
        .client
        .post(app.url("/api/v1/auth/signout"))
        .header("x-csrf-token", &other.csrf_token)
        .send()
        .await
        .expect("signout");
    assert_error(response, StatusCode::FORBIDDEN, "csrf_failed").await;

    // Still signed in: the cookie session works and refreshes.
    let response = browser
        .client
        .get(app.url("/api/v1/auth/session"))
        .send()
        .await
        .expect("session");
    expect_json(response, StatusCode::OK).await;
    app.assert_token_works(&browser.session.access_token).await;
    let response = browser
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("refresh");
    expect_json(response, StatusCode::OK).await;
    assert_eq!(
        app.user("alice").await["last_seen_at"],
        Value::Null,
        "a refused sign-out records nothing"
    );
}

async fn native_signout_by_bearer_needs_no_csrf(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.signup("alice").await;
    let response = app
        .client()
        .post(app.url("/api/v1/auth/signout"))
        .bearer_auth(&session.access_token)
        .send()
        .await
        .expect("signout");
    expect_status(response, StatusCode::NO_CONTENT).await;
    app.assert_token_refused(&session.access_token).await;
    let refused = app.refresh_native(session.refresh()).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    // Signing out twice: the session is gone, so the token no longer authenticates.
    let again = app
        .bearer_post(&session.access_token, "/api/v1/auth/signout", &json!({}))
        .await;
    assert_error(again, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The account is fine.
    app.signin("alice", PASSWORD).await;
}

async fn signout_without_credentials_is_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .client()
        .post(app.url("/api/v1/auth/signout"))
        .send()
        .await
        .expect("signout");
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
