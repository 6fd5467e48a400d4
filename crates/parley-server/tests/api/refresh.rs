//! `POST /api/v1/auth/refresh`: rotation, reuse detection revoking the whole
//! family, browser refresh by cookie (no CSRF header, but the Origin check).

use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ORIGIN};
use serde_json::json;

both_backends!(
    native_refresh_rotates_the_token,
    a_reused_refresh_token_revokes_the_whole_family,
    concurrent_use_of_one_token_lets_only_one_win,
    browser_refresh_uses_the_cookie_without_csrf_and_rotates_it,
    refresh_without_a_token_is_401,
    a_garbage_refresh_token_is_401,
    refresh_from_a_foreign_origin_is_403_and_consumes_nothing,
    an_access_token_is_not_a_refresh_token,
    malformed_refresh_body_is_400,
    an_oversized_refresh_body_is_413_with_the_error_shape,
);

async fn native_refresh_rotates_the_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.signup("alice").await;
    let response = app.refresh_native(first.refresh()).await;
    assert!(
        set_cookies(response.headers()).is_empty(),
        "native refresh sets no cookies"
    );
    let second = Session::from_json(&expect_json(response, StatusCode::OK).await);
    assert_ne!(second.refresh(), first.refresh(), "the token rotates");
    assert_eq!(second.user_id(), first.user_id());
    assert_eq!(second.user["email"], "alice@example.com");
    assert_eq!(
        second.claims()["sid"],
        first.claims()["sid"],
        "same session family"
    );
    assert_eq!(
        second.csrf_token, first.csrf_token,
        "same session, same CSRF token"
    );
    app.assert_token_works(&second.access_token).await;
    // The rotated token rotates again.
    let third = Session::from_json(
        &expect_json(app.refresh_native(second.refresh()).await, StatusCode::OK).await,
    );
    assert_ne!(third.refresh(), second.refresh());
    app.assert_token_works(&third.access_token).await;
}

async fn a_reused_refresh_token_revokes_the_whole_family(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.signup("alice").await;
    let other = app.signin("alice", PASSWORD).await; // another family, unaffected
    let second = Session::from_json(
        &expect_json(app.refresh_native(first.refresh()).await, StatusCode::OK).await,
    );
    app.assert_token_works(&second.access_token).await;

    // The old token again: theft suspected.
    assert_error(
        app.refresh_native(first.refresh()).await,
        StatusCode::UNAUTHORIZED,
        "refresh_token_reused",
    )
    .await;
    // The newest token of the family is dead too...
    let newest = app.refresh_native(second.refresh()).await;
    let body = expect_json(newest, StatusCode::UNAUTHORIZED).await;
    assert_error_shape(&body);
    // ...and so are the family's access tokens, at once.
    app.assert_token_refused(&second.access_token).await;
    app.assert_token_refused(&first.access_token).await;
    // Another session of the same user is untouched.
    app.assert_token_works(&other.access_token).await;
    expect_json(app.refresh_native(other.refresh()).await, StatusCode::OK).await;
    // The account itself still signs in.
    app.signin("alice", PASSWORD).await;
}

async fn concurrent_use_of_one_token_lets_only_one_win(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.signup("alice").await;
    let (a, b) = futures::join!(
        app.refresh_native(session.refresh()),
        app.refresh_native(session.refresh())
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::UNAUTHORIZED],
        "exactly one of two simultaneous uses of one token may succeed"
    );
    let winner = if a.status() == StatusCode::OK { a } else { b };
    let winner = Session::from_json(&body_json(winner).await);
    // The loser was a reuse, so the whole family is revoked.
    app.assert_token_refused(&winner.access_token).await;
    let after = app.refresh_native(winner.refresh()).await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

async fn browser_refresh_uses_the_cookie_without_csrf_and_rotates_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.signup_browser("alice").await;
    let original = browser.refresh_cookie();

    // A reloaded page: no CSRF header, no body, only the cookie.
    let response = browser
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("refresh");
    let cookies = set_cookies(response.headers());
    let session = Session::from_json(&expect_json(response, StatusCode::OK).await);
    assert_eq!(session.refresh_token, None, "browsers never see it");
    assert_eq!(
        session.csrf_token, browser.session.csrf_token,
        "the page gets its CSRF token back"
    );
    let rotated = cookie_named(&cookies, "parley_refresh");
    assert_ne!(rotated.value, original, "the refresh cookie rotates");
    assert_eq!(rotated.attr("path"), Some("/api/v1/auth"));
    assert_eq!(rotated.attr("samesite"), Some("Strict"));
    assert!(rotated.has("httponly"));
    let access = cookie_named(&cookies, "parley_access");
    assert_eq!(access.value, session.access_token);

    // The browser's cookie jar now holds the new token: it works (again, without CSRF).
    let response = browser
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("second refresh");
    expect_json(response, StatusCode::OK).await;

    // The original cookie value is spent: replaying it is a reuse.
    assert_error(
        app.refresh_native(&original).await,
        StatusCode::UNAUTHORIZED,
        "refresh_token_reused",
    )
    .await;
}

async fn refresh_without_a_token_is_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    let no_body = app
        .client()
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("refresh");
    assert_error(no_body, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
    for body in [json!({}), json!({"refresh_token": null})] {
        assert_error(
            app.post_json("/api/v1/auth/refresh", &body).await,
            StatusCode::UNAUTHORIZED,
            "invalid_refresh_token",
        )
        .await;
    }
    // A browser with no cookies.
    let response = browser_client()
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("refresh");
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
}

async fn a_garbage_refresh_token_is_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.signup("alice").await;
    let mut almost = session.refresh().to_owned();
    let last = almost.pop().expect("non-empty");
    almost.push(if last == 'A' { 'B' } else { 'A' });
    for garbage in ["garbage", "", &almost, &"x".repeat(5000)] {
        assert_error(
            app.refresh_native(garbage).await,
            StatusCode::UNAUTHORIZED,
            "invalid_refresh_token",
        )
        .await;
    }
    // A garbage cookie too.
    let response = app
        .client()
        .post(app.url("/api/v1/auth/refresh"))
        .header(reqwest::header::COOKIE, "parley_refresh=garbage")
        .send()
        .await
        .expect("refresh");
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
    // None of that hurt the real session.
    expect_json(app.refresh_native(session.refresh()).await, StatusCode::OK).await;
}

async fn refresh_from_a_foreign_origin_is_403_and_consumes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.signup_browser("alice").await;
    let response = browser
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header(ORIGIN, EVIL_ORIGIN)
        .send()
        .await
        .expect("refresh");
    assert!(
        set_cookies(response.headers()).is_empty(),
        "a refused refresh sets no cookies"
    );
    assert_error(response, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    // Same with the token in the body.
    let native = app.signin("alice", PASSWORD).await;
    let response = app
        .client()
        .post(app.url("/api/v1/auth/refresh"))
        .header(ORIGIN, EVIL_ORIGIN)
        .json(&json!({"refresh_token": native.refresh()}))
        .send()
        .await
        .expect("refresh");
    assert_error(response, StatusCode::FORBIDDEN, "origin_not_allowed").await;

    // Neither token was spent: both still rotate normally.
    let response = browser
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("refresh");
    expect_json(response, StatusCode::OK).await;
    expect_json(app.refresh_native(native.refresh()).await, StatusCode::OK).await;
}

async fn an_access_token_is_not_a_refresh_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.signup("alice").await;
    assert_error(
        app.refresh_native(&session.access_token).await,
        StatusCode::UNAUTHORIZED,
        "invalid_refresh_token",
    )
    .await;
    app.assert_token_works(&session.access_token).await;
}

async fn malformed_refresh_body_is_400(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.signup("alice").await;
    let response = app
        .client()
        .post(app.url("/api/v1/auth/refresh"))
        .header(CONTENT_TYPE, "application/json")
        .body(format!("{{\"refresh_token\": \"{}\"", session.refresh()))
        .send()
        .await
        .expect("refresh");
    assert_error(response, StatusCode::BAD_REQUEST, "malformed_json").await;
    expect_json(app.refresh_native(session.refresh()).await, StatusCode::OK).await;
}

async fn an_oversized_refresh_body_is_413_with_the_error_shape(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.signup("alice").await;
    let body = json!({"refresh_token": session.refresh(), "padding": "p".repeat(70 * 1024)});
    let response = app.post_json("/api/v1/auth/refresh", &body).await;
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // The token was not spent.
    expect_json(app.refresh_native(session.refresh()).await, StatusCode::OK).await;
}
