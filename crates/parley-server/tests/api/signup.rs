//! `POST /api/v1/auth/signup`: the session it returns, the cookies it sets,
//! and every way it refuses input — each refusal creating nothing.

use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

both_backends!(
    signup_returns_a_session_and_a_public_profile_without_email,
    browser_signup_sets_http_only_cookies_and_no_refresh_token_in_body,
    native_signup_returns_refresh_token_and_sets_no_cookies,
    username_is_case_insensitive_and_stored_lower_case,
    taken_username_is_409_whatever_the_case,
    taken_email_is_409_whatever_the_case,
    each_rule_is_a_422_naming_its_field_and_creates_nothing,
    several_broken_rules_are_all_named,
    malformed_json_is_400,
    trailing_garbage_is_400_even_when_fields_are_missing,
    a_body_without_json_content_type_is_415,
    a_body_over_64_kib_is_413,
    a_missing_or_mistyped_field_is_422_naming_it,
);

/// Checks `created_at`-style values: RFC 3339 UTC (`2025-01-02T03:04:05Z`, maybe with fractions).
fn assert_rfc3339_utc(value: &Value) {
    let s = value
        .as_str()
        .unwrap_or_else(|| panic!("timestamp must be a string: {value}"));
    let b = s.as_bytes();
    assert!(
        s.len() >= 20
            && s.ends_with('Z')
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':',
        "not an RFC 3339 UTC timestamp: {s:?}"
    );
}

/// The fields every `User` has, with a fresh account's values.
fn assert_fresh_user(user: &Value, username: &str) {
    assert!(
        user["id"].as_str().is_some_and(|id| !id.is_empty()),
        "{user}"
    );
    assert_eq!(user["username"], username, "{user}");
    assert_eq!(user["display_name"], username, "defaults to the username");
    assert_eq!(user["bio"], "", "{user}");
    assert_eq!(user["status_message"], "", "{user}");
    assert_eq!(user["avatar_url"], Value::Null, "{user}");
    assert_rfc3339_utc(&user["created_at"]);
    assert_eq!(user["followers_count"], 0, "{user}");
    assert_eq!(user["following_count"], 0, "{user}");
    assert_eq!(user["posts_count"], 0, "{user}");
    assert!(user["online"].is_boolean(), "{user}");
    assert_eq!(user["last_seen_at"], Value::Null, "{user}");
}

async fn signup_returns_a_session_and_a_public_profile_without_email(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .signup_raw(&json!({
            "username": "alice",
            "email": "alice@example.com",
            "password": PASSWORD,
            "client": "native",
        }))
        .await;
    let body = expect_json(response, StatusCode::CREATED).await;
    let session = Session::from_json(&body);
    assert_fresh_user(&session.user, "alice");
    assert_eq!(session.user["email"], "alice@example.com");
    assert_eq!(session.expires_in, 15 * 60, "access tokens live 15 minutes");
    assert!(!session.csrf_token.is_empty());
    let claims = session.claims();
    assert_eq!(claims["sub"], session.user_id(), "{claims}");
    assert_eq!(claims["typ"], "access", "{claims}");

    // The new session works at once.
    let me = expect_json(app.session_of(&session.access_token).await, StatusCode::OK).await;
    assert_eq!(me["user"]["id"], session.user_id());

    // The public profile never carries the email, signed in or not.
    let public = app.user("alice").await;
    assert_fresh_user(&public, "alice");
    assert_eq!(public["id"], session.user_id());
    assert!(public.get("email").is_none(), "email leaked: {public}");
    let viewer = app.signup("bob").await;
    let seen = expect_json(
        app.bearer_get(&viewer.access_token, "/api/v1/users/alice")
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(seen.get("email").is_none(), "email leaked: {seen}");

    // A display name given at sign-up is kept.
    let carol = app
        .signup_raw(&json!({
            "username": "carol",
            "email": "carol@example.com",
            "password": PASSWORD,
            "display_name": "Carol C.",
            "client": "native",
        }))
        .await;
    let carol = Session::from_json(&expect_json(carol, StatusCode::CREATED).await);
    assert_eq!(carol.user["display_name"], "Carol C.");
}

async fn browser_signup_sets_http_only_cookies_and_no_refresh_token_in_body(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.signup_browser("alice").await;
    assert_eq!(
        browser.session.refresh_token, None,
        "a browser never sees the refresh token"
    );

    let access = cookie_named(&browser.set_cookies, "parley_access");
    assert_eq!(access.value, browser.session.access_token);
    assert!(access.has("httponly"), "{}", access.raw);
    assert_eq!(access.attr("samesite"), Some("Lax"), "{}", access.raw);
    assert_eq!(access.attr("path"), Some("/"), "{}", access.raw);
    assert!(
        !access.has("secure"),
        "not Secure over plain http: {}",
        access.raw
    );
    assert_eq!(
        access.max_age(),
        Some(15 * 60),
        "lives as long as the token"
    );

    let refresh = cookie_named(&browser.set_cookies, "parley_refresh");
    assert!(!refresh.value.is_empty());
    assert!(refresh.has("httponly"), "{}", refresh.raw);
    assert_eq!(refresh.attr("samesite"), Some("Strict"), "{}", refresh.raw);
    assert_eq!(
        refresh.attr("path"),
        Some("/api/v1/auth"),
        "{}",
        refresh.raw
    );
    assert!(!refresh.has("secure"), "{}", refresh.raw);
    assert!(
        !refresh.has("max-age") && !refresh.has("expires"),
        "without remember-me the refresh cookie is a session cookie: {}",
        refresh.raw
    );

    // The cookies alone sign the browser in.
    let response = browser
        .client
        .get(app.url("/api/v1/auth/session"))
        .send()
        .await
        .expect("session request");
    let body = expect_json(response, StatusCode::OK).await;
    assert_eq!(body["user"]["username"], "alice");
    assert_eq!(body["csrf_token"], browser.session.csrf_token.as_str());
}

async fn native_signup_returns_refresh_token_and_sets_no_cookies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .signup_raw(&json!({
            "username": "alice",
            "email": "alice@example.com",
            "password": PASSWORD,
            "client": "native",
        }))
        .await;
    assert!(
        set_cookies(response.headers()).is_empty(),
        "native clients get no cookies: {:?}",
        response.headers()
    );
    let session = Session::from_json(&expect_json(response, StatusCode::CREATED).await);
    let token = session.refresh();
    assert!(token.len() >= 32, "refresh token too short: {token}");
    // And it is a working refresh token.
    expect_json(app.refresh_native(token).await, StatusCode::OK).await;
}

async fn username_is_case_insensitive_and_stored_lower_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .signup_raw(&json!({
            "username": "Carol_99",
            "email": "Carol@Example.COM",
            "password": PASSWORD,
            "client": "native",
        }))
        .await;
    let session = Session::from_json(&expect_json(response, StatusCode::CREATED).await);
    assert_eq!(session.user["username"], "carol_99");
    assert_eq!(session.user["email"], "carol@example.com");
    assert_eq!(app.user("CAROL_99").await["username"], "carol_99");
    app.signin("carol_99", PASSWORD).await;
}

async fn taken_username_is_409_whatever_the_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    for name in ["alice", "Alice", "ALICE"] {
        let response = app
            .signup_raw(&json!({
                "username": name,
                "email": "someone.else@example.com",
                "password": OTHER_PASSWORD,
                "client": "native",
            }))
            .await;
        assert_error(response, StatusCode::CONFLICT, "username_taken").await;
    }
    // Nothing changed: the first account keeps its password, the other email is free.
    app.signin("alice", PASSWORD).await;
    app.assert_signin_fails("alice", OTHER_PASSWORD).await;
    app.assert_signin_fails("someone.else@example.com", OTHER_PASSWORD)
        .await;
    assert_eq!(app.user("alice").await["id"], alice.user_id());
    app.signup_raw(&json!({
        "username": "someone",
        "email": "someone.else@example.com",
        "password": OTHER_PASSWORD,
    }))
    .await
    .error_for_status()
    .expect("the email was not taken by the refused sign-ups");
}

async fn taken_email_is_409_whatever_the_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    for email in [
        "alice@example.com",
        "ALICE@EXAMPLE.COM",
        "Alice@Example.Com",
    ] {
        let response = app
            .signup_raw(&json!({
                "username": "bob",
                "email": email,
                "password": OTHER_PASSWORD,
                "client": "native",
            }))
            .await;
        assert_error(response, StatusCode::CONFLICT, "email_taken").await;
    }
    app.assert_no_user("bob").await;
    app.signin("alice@example.com", PASSWORD).await;
    app.assert_signin_fails("alice@example.com", OTHER_PASSWORD)
        .await;
}

async fn each_rule_is_a_422_naming_its_field_and_creates_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let valid = json!({
        "username": "dave",
        "email": "dave@example.com",
        "password": PASSWORD,
        "client": "native",
    });
    let cases: Vec<(&str, Value, &str)> = vec![
        ("username", json!("ab"), "too short"),
        ("username", json!("a".repeat(31)), "too long"),
        ("username", json!("dave!"), "punctuation"),
        ("username", json!("da ve"), "space"),
        ("username", json!("dävé"), "non-ASCII letters"),
        ("username", json!(""), "empty"),
        ("email", json!("not-an-email"), "no @"),
        ("email", json!("dave@localhost"), "no dot in the domain"),
        ("email", json!("dave @example.com"), "space"),
        ("email", json!("@example.com"), "empty local part"),
        ("password", json!("Sh0rt!x"), "7 characters"),
        ("password", json!("x".repeat(129)), "129 characters"),
        ("password", json!("password"), "common"),
        ("password", json!("12345678"), "common"),
        ("password", json!("PassWord"), "common, other case"),
        (
            "password",
            json!("dave-is-the-best-1"),
            "contains the username",
        ),
        ("display_name", json!("d".repeat(51)), "too long"),
        ("display_name", json!("   "), "blank"),
    ];
    for (field, value, why) in cases {
        let mut body = valid.clone();
        body[field] = value.clone();
        let response = app.signup_raw(&body).await;
        let status = response.status();
        let fields = assert_invalid(response, field).await;
        assert_eq!(
            fields.as_object().map(|f| f.len()),
            Some(1),
            "{field} = {value} ({why}, status {status}): only {field} is wrong, got {fields}"
        );
    }
    // None of those attempts created anything: the valid username and email are free.
    app.assert_no_user("dave").await;
    app.assert_signin_fails("dave@example.com", PASSWORD).await;
    // Boundaries that are allowed.
    let mut ok = valid.clone();
    ok["username"] = json!("a".repeat(30));
    ok["email"] = json!("thirty@example.com");
    ok["password"] = json!("x7".repeat(64)); // 128 characters
    ok["display_name"] = json!("d".repeat(50));
    expect_json(app.signup_raw(&ok).await, StatusCode::CREATED).await;
    expect_json(app.signup_raw(&valid).await, StatusCode::CREATED).await;
}

async fn several_broken_rules_are_all_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .signup_raw(&json!({
            "username": "x",
            "email": "nope",
            "password": "short",
            "display_name": "d".repeat(60),
        }))
        .await;
    let body = assert_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    for field in ["username", "email", "password", "display_name"] {
        assert!(
            body["error"]["fields"][field].is_string(),
            "{field} not named in {body}"
        );
    }
    app.assert_no_user("x").await;
}

async fn malformed_json_is_400(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Complete and valid, but followed by more bytes.
    let trailing = format!(
        "{} x",
        json!({"username": "eve", "email": "eve@example.com", "password": PASSWORD})
    );
    for raw in [
        r#"{"username": "eve", "email": "#,
        "not json at all",
        &trailing,
        "",
    ] {
        let response = app
            .client()
            .post(app.url("/api/v1/auth/signup"))
            .header(CONTENT_TYPE, "application/json")
            .body(raw.to_owned())
            .send()
            .await
            .expect("request");
        assert_error(response, StatusCode::BAD_REQUEST, "malformed_json").await;
    }
    app.assert_no_user("eve").await;
}

/// A body that is not JSON is 400 whatever it holds: the syntax error must not
/// be masked by a shape error (422) found while reading the part before it.
async fn trailing_garbage_is_400_even_when_fields_are_missing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for raw in [r#"{"username": "eve"} trailing"#, r#"{} {}"#, r#"[] x"#] {
        let response = app
            .client()
            .post(app.url("/api/v1/auth/signup"))
            .header(CONTENT_TYPE, "application/json")
            .body(raw)
            .send()
            .await
            .expect("request");
        let status = response.status();
        let body = body_json(response).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{raw:?} is not JSON, so 400 malformed_json; got {body}"
        );
        assert_eq!(body["error"]["code"], "malformed_json", "{body}");
    }
    app.assert_no_user("eve").await;
}

async fn a_body_without_json_content_type_is_415(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = json!({
        "username": "eve",
        "email": "eve@example.com",
        "password": PASSWORD,
    })
    .to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = app
            .client()
            .post(app.url("/api/v1/auth/signup"))
            .body(body.clone());
        if let Some(ct) = content_type {
            request = request.header(CONTENT_TYPE, ct);
        }
        let response = request.send().await.expect("request");
        assert_error(
            response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        )
        .await;
    }
    app.assert_no_user("eve").await;
    // A charset parameter is still JSON.
    let response = app
        .client()
        .post(app.url("/api/v1/auth/signup"))
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("request");
    expect_json(response, StatusCode::CREATED).await;
}

async fn a_body_over_64_kib_is_413(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = json!({
        "username": "eve",
        "email": "eve@example.com",
        "password": PASSWORD,
        "display_name": "e".repeat(70 * 1024),
    });
    let response = app.signup_raw(&body).await;
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    app.assert_no_user("eve").await;
}

async fn a_missing_or_mistyped_field_is_422_naming_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let full = json!({
        "username": "eve",
        "email": "eve@example.com",
        "password": PASSWORD,
    });
    for missing in ["username", "email", "password"] {
        let mut body = full.clone();
        body.as_object_mut().expect("object").remove(missing);
        let fields = assert_invalid(app.signup_raw(&body).await, missing).await;
        assert!(
            fields[missing]
                .as_str()
                .is_some_and(|why| why.contains(missing)),
            "the reason names the missing field: {fields}"
        );
    }
    let mut wrong_type = full.clone();
    wrong_type["username"] = json!(12345);
    assert_invalid(app.signup_raw(&wrong_type).await, "username").await;
    let mut bad_client = full.clone();
    bad_client["client"] = json!("toaster");
    assert_invalid(app.signup_raw(&bad_client).await, "client").await;
    assert_error(
        app.signup_raw(&json!(["not", "an", "object"])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    app.assert_no_user("eve").await;
}
