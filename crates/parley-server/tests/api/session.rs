//! `GET /api/v1/auth/session`: what a reloaded page asks for — the user and
//! the CSRF token, never a token.

use crate::helpers::*;
use reqwest::StatusCode;

both_backends!(
    session_by_cookie_or_bearer_has_user_and_csrf_but_no_tokens,
    session_without_credentials_is_401,
    status_tells_a_page_load_what_to_try_without_failing,
);

async fn session_by_cookie_or_bearer_has_user_and_csrf_but_no_tokens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.signup_browser("alice").await;

    let by_cookie = browser
        .client
        .get(app.url("/api/v1/auth/session"))
        .send()
        .await
        .expect("session");
    assert!(
        set_cookies(by_cookie.headers()).is_empty(),
        "reading the session sets no cookies"
    );
    let by_cookie = expect_json(by_cookie, StatusCode::OK).await;
    let by_bearer = expect_json(
        app.session_of(&browser.session.access_token).await,
        StatusCode::OK,
    )
    .await;

    for body in [&by_cookie, &by_bearer] {
        let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
        assert!(
            body.get("access_token").is_none() && body.get("refresh_token").is_none(),
            "no tokens in the session: {body}"
        );
        assert!(keys.contains(&&"user".to_owned()) && keys.contains(&&"csrf_token".to_owned()));
        assert_eq!(body["user"]["username"], "alice");
        assert_eq!(
            body["user"]["email"], "alice@example.com",
            "the user is a Me"
        );
        assert_eq!(body["user"]["id"], browser.session.user_id());
        assert_eq!(body["csrf_token"], browser.session.csrf_token.as_str());
    }
}

async fn session_without_credentials_is_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    assert_error(
        app.get("/api/v1/auth/session").await,
        reqwest::StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let response = browser_client()
        .get(app.url("/api/v1/auth/session"))
        .send()
        .await
        .expect("session");
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // A malformed Authorization header is not "signed out" either.
    for header in ["Bearer", "Bearer ", "Basic YWxpY2U6cGFzcw==", "Token abc"] {
        let response = app
            .client()
            .get(app.url("/api/v1/auth/session"))
            .header(reqwest::header::AUTHORIZATION, header)
            .send()
            .await
            .expect("session");
        let body = expect_json(response, StatusCode::UNAUTHORIZED).await;
        assert_error_shape(&body);
    }
}

/// `GET /api/v1/auth/status` lets a reloaded page decide between reading the
/// session, refreshing, or showing the signed-out view, and never answers
/// with an error (a failed request is a console error in the browser).
async fn status_tells_a_page_load_what_to_try_without_failing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let status = |response| async { expect_json(response, StatusCode::OK).await };

    let stranger = browser_client();
    let body = status(
        stranger
            .get(app.url("/api/v1/auth/status"))
            .send()
            .await
            .expect("status"),
    )
    .await;
    assert_eq!(
        body,
        serde_json::json!({"signed_in": false, "refreshable": false})
    );

    let browser = app.signup_browser("alice").await;
    let body = status(
        browser
            .client
            .get(app.url("/api/v1/auth/status"))
            .send()
            .await
            .expect("status"),
    )
    .await;
    assert_eq!(
        body,
        serde_json::json!({"signed_in": true, "refreshable": true})
    );

    // An expired access cookie is gone from the browser, the refresh cookie is not.
    let refresh_only = browser_client()
        .get(app.url("/api/v1/auth/status"))
        .header(
            reqwest::header::COOKIE,
            format!("parley_refresh={}", browser.refresh_cookie()),
        )
        .send()
        .await
        .expect("status");
    assert_eq!(
        status(refresh_only).await,
        serde_json::json!({"signed_in": false, "refreshable": true})
    );

    // A bad token is not an error here, just "not signed in".
    let bad_bearer = app.bearer_get("not-a-token", "/api/v1/auth/status").await;
    assert_eq!(
        status(bad_bearer).await,
        serde_json::json!({"signed_in": false, "refreshable": false})
    );

    // After sign-out the cookies are cleared: nothing to try.
    let signout = browser
        .client
        .post(app.url("/api/v1/auth/signout"))
        .header("X-CSRF-Token", browser.session.csrf_token.as_str())
        .send()
        .await
        .expect("sign out");
    expect_status(signout, StatusCode::NO_CONTENT).await;
    let body = status(
        browser
            .client
            .get(app.url("/api/v1/auth/status"))
            .send()
            .await
            .expect("status"),
    )
    .await;
    assert_eq!(
        body,
        serde_json::json!({"signed_in": false, "refreshable": false})
    );
}
