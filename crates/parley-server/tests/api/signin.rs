//! `POST /api/v1/auth/signin`: by username or email in any case, one answer
//! for every kind of wrong credentials (same body, comparable time), and the
//! "remember me" refresh cookie.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;
use std::time::{Duration, Instant};

both_backends!(
    signs_in_by_username_or_email_in_any_case,
    native_signin_returns_refresh_token_and_no_cookies,
    unknown_user_and_wrong_password_get_the_identical_401,
    unknown_user_and_wrong_password_take_comparable_time,
    remember_me_makes_the_refresh_cookie_persistent,
    each_signin_is_a_new_session,
    a_missing_field_is_422,
);

async fn signs_in_by_username_or_email_in_any_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    for login in [
        "alice",
        "ALICE",
        "Alice",
        " alice ",
        "alice@example.com",
        "ALICE@EXAMPLE.COM",
        "Alice@Example.Com",
    ] {
        let session = app.signin(login, PASSWORD).await;
        assert_eq!(session.user_id(), alice.user_id(), "login {login:?}");
        assert_eq!(session.user["email"], "alice@example.com");
        app.assert_token_works(&session.access_token).await;
    }
    // The password, unlike the login, is case-sensitive.
    app.assert_signin_fails("alice", &PASSWORD.to_uppercase())
        .await;
}

async fn native_signin_returns_refresh_token_and_no_cookies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    let response = app
        .signin_raw(&json!({"login": "alice", "password": PASSWORD, "client": "native"}))
        .await;
    assert!(set_cookies(response.headers()).is_empty());
    let session = Session::from_json(&expect_json(response, StatusCode::OK).await);
    expect_json(app.refresh_native(session.refresh()).await, StatusCode::OK).await;

    // A browser sign-in: cookies, no refresh token in the body.
    let browser = app.signin_browser("alice", PASSWORD, false).await;
    assert_eq!(browser.session.refresh_token, None);
    cookie_named(&browser.set_cookies, "parley_access");
    cookie_named(&browser.set_cookies, "parley_refresh");
}

async fn unknown_user_and_wrong_password_get_the_identical_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    let attempt = |login: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let response = app
                .signin_raw(&json!({"login": login, "password": password}))
                .await;
            assert!(
                set_cookies(response.headers()).is_empty(),
                "no cookies on failure"
            );
            assert_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await
        }
    };
    let wrong_password = attempt("alice", "Not-The-Password-1").await;
    let unknown_user = attempt("nobody", "Not-The-Password-1").await;
    let unknown_email = attempt("nobody@example.com", "Not-The-Password-1").await;
    let empty_login = attempt("", "Not-The-Password-1").await;
    assert_eq!(wrong_password, unknown_user);
    assert_eq!(wrong_password, unknown_email);
    assert_eq!(wrong_password, empty_login);
    assert!(wrong_password["error"].get("fields").is_none());
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// No absolute thresholds (machines differ): both paths verify an Argon2 hash,
/// so an unknown user must not be answered dramatically faster.
async fn unknown_user_and_wrong_password_take_comparable_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    // Warm up connections and caches.
    app.assert_signin_fails("alice", "Warm-Up-Password-1").await;
    app.assert_signin_fails("ghost", "Warm-Up-Password-1").await;
    let (mut unknown, mut wrong) = (Vec::new(), Vec::new());
    for i in 0..5 {
        let password = format!("Wrong-Password-{i}");
        let started = Instant::now();
        app.assert_signin_fails("alice", &password).await;
        wrong.push(started.elapsed());
        let started = Instant::now();
        app.assert_signin_fails(&format!("ghost{i}"), &password)
            .await;
        unknown.push(started.elapsed());
    }
    let (unknown, wrong) = (median(unknown), median(wrong));
    assert!(
        unknown * 3 >= wrong,
        "an unknown user is answered much faster ({unknown:?}) than a wrong password ({wrong:?}): \
         user enumeration by timing"
    );
}

async fn remember_me_makes_the_refresh_cookie_persistent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;

    let remembered = app.signin_browser("alice", PASSWORD, true).await;
    let cookie = cookie_named(&remembered.set_cookies, "parley_refresh");
    let max_age = cookie
        .max_age()
        .unwrap_or_else(|| panic!("remember-me refresh cookie must persist: {}", cookie.raw));
    let thirty_days = 30 * 24 * 3600;
    assert!(
        (thirty_days - 60..=thirty_days).contains(&max_age),
        "Max-Age ≈ 30 days, got {max_age}"
    );
    assert!(cookie.has("httponly") && cookie.attr("samesite") == Some("Strict"));

    // Rotation keeps it persistent.
    let response = remembered
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("refresh");
    let rotated = set_cookies(response.headers());
    expect_json(response, StatusCode::OK).await;
    let rotated = cookie_named(&rotated, "parley_refresh");
    assert!(
        rotated
            .max_age()
            .is_some_and(|a| (thirty_days - 60..=thirty_days).contains(&a)),
        "a rotated remember-me cookie stays persistent: {}",
        rotated.raw
    );

    let session_only = app.signin_browser("alice", PASSWORD, false).await;
    let cookie = cookie_named(&session_only.set_cookies, "parley_refresh");
    assert!(
        !cookie.has("max-age") && !cookie.has("expires"),
        "without remember-me: a browser-session cookie, got {}",
        cookie.raw
    );
}

async fn each_signin_is_a_new_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    let a = app.signin("alice", PASSWORD).await;
    let b = app.signin("alice", PASSWORD).await;
    assert_ne!(a.claims()["sid"], b.claims()["sid"]);
    assert_ne!(a.refresh(), b.refresh());
    assert_ne!(a.csrf_token, b.csrf_token, "CSRF tokens are per session");
    // Signing one out leaves the other alone.
    expect_status(
        app.bearer_post(&a.access_token, "/api/v1/auth/signout", &json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    app.assert_token_refused(&a.access_token).await;
    app.assert_token_works(&b.access_token).await;
}

async fn a_missing_field_is_422(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    assert_invalid(app.signin_raw(&json!({"login": "alice"})).await, "password").await;
    assert_invalid(
        app.signin_raw(&json!({"password": PASSWORD})).await,
        "login",
    )
    .await;
    assert_invalid(
        app.signin_raw(&json!({"login": "alice", "password": PASSWORD, "remember": "yes"}))
            .await,
        "remember",
    )
    .await;
}
