//! `/api/v1/users`: public profiles, editing one's own, changing the password
//! (which signs out every other session) and deleting the account.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    profile_by_username_is_case_insensitive_and_unknown_is_404,
    users_me_needs_sign_in_and_has_the_email,
    patch_me_updates_only_the_given_fields,
    patch_me_rules_are_422_per_field_and_change_nothing,
    patch_me_refuses_unknown_fields,
    wrong_current_password_is_422_and_changes_nothing,
    a_common_or_short_new_password_is_422,
    changing_the_password_revokes_the_other_sessions_only,
    deleting_with_a_wrong_password_is_422_and_keeps_the_account,
    deleting_the_account_removes_it_everywhere,
    a_browser_deleting_its_account_needs_csrf_and_loses_its_cookies,
    a_malformed_username_in_the_path_gets_the_json_error_shape,
);

async fn profile_by_username_is_case_insensitive_and_unknown_is_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    for name in ["alice", "ALICE", "aLiCe"] {
        let user = app.user(name).await;
        assert_eq!(user["id"], alice.user_id());
        assert_eq!(user["username"], "alice");
        assert!(user.get("email").is_none(), "{user}");
    }
    app.assert_no_user("bob").await;
    app.assert_no_user("nobody_at_all").await;
    // Not even a valid username: still just 404.
    app.assert_no_user("x").await;
}

async fn users_me_needs_sign_in_and_has_the_email(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let me = expect_json(
        app.bearer_get(&alice.access_token, "/api/v1/users/me")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["id"], alice.user_id());
    assert_eq!(me["email"], "alice@example.com");
    assert_error(
        app.get("/api/v1/users/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let anonymous_patch = app
        .client()
        .patch(app.url("/api/v1/users/me"))
        .json(&json!({"bio": "anonymous"}))
        .send()
        .await
        .expect("patch");
    assert_error(anonymous_patch, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn patch_me_updates_only_the_given_fields(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let token = &alice.access_token;

    let me = expect_json(
        app.bearer_patch(token, "/api/v1/users/me", &json!({"bio": "Hello\nworld"}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["bio"], "Hello\nworld", "the bio may span lines");
    assert_eq!(me["display_name"], "alice", "untouched");
    assert_eq!(me["status_message"], "");
    assert_eq!(me["email"], "alice@example.com", "PATCH returns Me");

    let me = expect_json(
        app.bearer_patch(
            token,
            "/api/v1/users/me",
            &json!({"display_name": "  Alice A.  ", "status_message": "busy"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["display_name"], "Alice A.", "trimmed");
    assert_eq!(me["status_message"], "busy");
    assert_eq!(me["bio"], "Hello\nworld", "kept from before");

    // An empty patch changes nothing; clearing the bio is allowed.
    let me = expect_json(
        app.bearer_patch(token, "/api/v1/users/me", &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["display_name"], "Alice A.");
    let me = expect_json(
        app.bearer_patch(token, "/api/v1/users/me", &json!({"bio": ""}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["bio"], "");

    let public = app.user("alice").await;
    assert_eq!(public["display_name"], "Alice A.");
    assert_eq!(public["status_message"], "busy");
    assert_eq!(public["bio"], "");
    // Boundaries that are allowed.
    let me = expect_json(
        app.bearer_patch(
            token,
            "/api/v1/users/me",
            &json!({
                "display_name": "d".repeat(50),
                "bio": "b".repeat(300),
                "status_message": "s".repeat(100),
            }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["bio"].as_str().map(str::len), Some(300));
}

async fn patch_me_rules_are_422_per_field_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let token = &alice.access_token;
    let cases: Vec<(&str, Value)> = vec![
        ("display_name", json!("")),
        ("display_name", json!("   ")),
        ("display_name", json!("d".repeat(51))),
        ("display_name", json!("two\nlines")),
        ("bio", json!("b".repeat(301))),
        ("bio", json!("bell\u{7}")),
        ("status_message", json!("s".repeat(101))),
        ("status_message", json!("two\nlines")),
        ("display_name", json!(42)),
        ("bio", json!(["a"])),
    ];
    for (field, value) in cases {
        // A valid change alongside: the whole request must be refused.
        let mut body = json!({"status_message": "should not stick", "display_name": "Fine Name"});
        body[field] = value.clone();
        let fields = assert_invalid(
            app.bearer_patch(token, "/api/v1/users/me", &body).await,
            field,
        )
        .await;
        assert!(fields.is_object(), "{field}={value}: {fields}");
    }
    let everything_wrong = json!({
        "display_name": "",
        "bio": "b".repeat(301),
        "status_message": "s".repeat(101),
    });
    let fields = assert_invalid(
        app.bearer_patch(token, "/api/v1/users/me", &everything_wrong)
            .await,
        "display_name",
    )
    .await;
    assert!(
        fields["bio"].is_string() && fields["status_message"].is_string(),
        "{fields}"
    );

    let me = expect_json(
        app.bearer_get(token, "/api/v1/users/me").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["display_name"], "alice", "nothing changed: {me}");
    assert_eq!(me["bio"], "");
    assert_eq!(me["status_message"], "");
}

async fn patch_me_refuses_unknown_fields(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    for body in [
        json!({"username": "mallory"}),
        json!({"email": "mallory@example.com"}),
        json!({"bio": "sneaky", "is_admin": true}),
    ] {
        let response = app
            .bearer_patch(&alice.access_token, "/api/v1/users/me", &body)
            .await;
        let error = assert_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            error["error"]["fields"]
                .as_object()
                .is_some_and(|f| !f.is_empty()),
            "{error}"
        );
    }
    let me = expect_json(
        app.bearer_get(&alice.access_token, "/api/v1/users/me")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["username"], "alice");
    assert_eq!(me["email"], "alice@example.com");
    assert_eq!(me["bio"], "");
    app.assert_no_user("mallory").await;
}

async fn wrong_current_password_is_422_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let other = app.signin("alice", PASSWORD).await;
    let response = app
        .bearer_put(
            &alice.access_token,
            "/api/v1/users/me/password",
            &json!({"current_password": "Not-My-Password-9", "new_password": OTHER_PASSWORD}),
        )
        .await;
    assert_invalid(response, "current_password").await;
    app.signin("alice", PASSWORD).await;
    app.assert_signin_fails("alice", OTHER_PASSWORD).await;
    app.assert_token_works(&other.access_token).await;
    expect_json(app.refresh_native(other.refresh()).await, StatusCode::OK).await;
}

async fn a_common_or_short_new_password_is_422(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let other = app.signin("alice", PASSWORD).await;
    for new in [
        "password",
        "12345678",
        "short",
        &"x".repeat(129),
        "alice-rocks-42",
    ] {
        let response = app
            .bearer_put(
                &alice.access_token,
                "/api/v1/users/me/password",
                &json!({"current_password": PASSWORD, "new_password": new}),
            )
            .await;
        assert_invalid(response, "new_password").await;
    }
    assert_invalid(
        app.bearer_put(
            &alice.access_token,
            "/api/v1/users/me/password",
            &json!({"current_password": PASSWORD}),
        )
        .await,
        "new_password",
    )
    .await;
    app.signin("alice", PASSWORD).await;
    app.assert_token_works(&other.access_token).await;
}

async fn changing_the_password_revokes_the_other_sessions_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let current = app.signup("alice").await;
    let other = app.signin("alice", PASSWORD).await;
    let browser = app.signin_browser("alice", PASSWORD, true).await;
    let bob = app.signup("bob").await;

    let response = app
        .bearer_put(
            &current.access_token,
            "/api/v1/users/me/password",
            &json!({"current_password": PASSWORD, "new_password": OTHER_PASSWORD}),
        )
        .await;
    expect_status(response, StatusCode::NO_CONTENT).await;

    // Other sessions: access and refresh tokens are dead.
    app.assert_token_refused(&other.access_token).await;
    assert_eq!(
        app.refresh_native(other.refresh()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.assert_token_refused(&browser.session.access_token)
        .await;
    let response = browser
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("refresh");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // This session lives on, refresh included.
    app.assert_token_works(&current.access_token).await;
    let rotated = Session::from_json(
        &expect_json(app.refresh_native(current.refresh()).await, StatusCode::OK).await,
    );
    app.assert_token_works(&rotated.access_token).await;

    // Only the new password signs in.
    app.assert_signin_fails("alice", PASSWORD).await;
    app.signin("alice", OTHER_PASSWORD).await;
    app.signin("alice@example.com", OTHER_PASSWORD).await;
    // Other users are untouched.
    app.assert_token_works(&bob.access_token).await;
    app.signin("bob", PASSWORD).await;
}

async fn deleting_with_a_wrong_password_is_422_and_keeps_the_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let response = app
        .bearer_delete(
            &alice.access_token,
            "/api/v1/users/me",
            Some(&json!({"password": "Not-My-Password-9"})),
        )
        .await;
    assert_invalid(response, "password").await;
    let missing = app
        .bearer_delete(&alice.access_token, "/api/v1/users/me", Some(&json!({})))
        .await;
    assert_invalid(missing, "password").await;
    assert_eq!(app.user("alice").await["id"], alice.user_id());
    app.assert_token_works(&alice.access_token).await;
    app.signin("alice", PASSWORD).await;
}

async fn deleting_the_account_removes_it_everywhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let other = app.signin("alice", PASSWORD).await;
    let bob = app.signup("bob").await;
    let response = app
        .bearer_delete(
            &alice.access_token,
            "/api/v1/users/me",
            Some(&json!({"password": PASSWORD})),
        )
        .await;
    expect_status(response, StatusCode::NO_CONTENT).await;

    app.assert_signin_fails("alice", PASSWORD).await;
    app.assert_signin_fails("alice@example.com", PASSWORD).await;
    app.assert_no_user("alice").await;
    app.assert_token_refused(&alice.access_token).await;
    app.assert_token_refused(&other.access_token).await;
    assert_eq!(
        app.refresh_native(alice.refresh()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.refresh_native(other.refresh()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Bob is fine.
    app.assert_token_works(&bob.access_token).await;
    assert_eq!(app.user("bob").await["id"], bob.user_id());
    // The name and the email are free again.
    let again = app.signup("alice").await;
    assert_ne!(again.user_id(), alice.user_id());
}

async fn a_browser_deleting_its_account_needs_csrf_and_loses_its_cookies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.signup_browser("alice").await;
    let delete = |csrf: Option<&str>| {
        let mut request = browser
            .client
            .delete(app.url("/api/v1/users/me"))
            .json(&json!({"password": PASSWORD}));
        if let Some(token) = csrf {
            request = request.header("x-csrf-token", token);
        }
        request.send()
    };
    let refused = delete(None).await.expect("delete");
    assert_error(refused, StatusCode::FORBIDDEN, "csrf_failed").await;
    assert_eq!(app.user("alice").await["id"], browser.session.user_id());

    let response = delete(Some(&browser.session.csrf_token))
        .await
        .expect("delete");
    let cookies = set_cookies(response.headers());
    expect_status(response, StatusCode::NO_CONTENT).await;
    for name in ["parley_access", "parley_refresh"] {
        assert_eq!(
            cookie_named(&cookies, name).max_age(),
            Some(0),
            "{name} cleared"
        );
    }
    app.assert_no_user("alice").await;
    let response = browser
        .client
        .get(app.url("/api/v1/auth/session"))
        .send()
        .await
        .expect("session");
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// Every error, even one about the URL itself, has docs/api.md's error shape.
async fn a_malformed_username_in_the_path_gets_the_json_error_shape(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    // %FF is not UTF-8: the path parameter cannot even be decoded.
    for path in ["/api/v1/users/%FF", "/api/v1/users/al%C3ice"] {
        let response = app.get(path).await;
        let status = response.status();
        let text = response.text().await.expect("body");
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST,
            "{path}: 400 or 404, got {status} {text:?}"
        );
        let body: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{path}: {status} with a non-JSON body {text:?}"));
        assert_error_shape(&body);
    }
}
