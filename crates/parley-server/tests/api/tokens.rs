//! Access tokens: anything but a live, untampered HS256 access token of the
//! server's own issuing is 401 — on every route, including public ones.

use crate::helpers::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    the_real_token_works_and_a_re_signed_copy_too,
    an_expired_token_is_401_token_expired,
    forged_and_tampered_tokens_are_401,
    a_refresh_token_is_not_an_access_token,
    a_valid_signature_for_a_revoked_or_unknown_session_is_401,
    a_bad_token_is_401_even_on_public_routes,
    the_access_cookie_is_checked_like_the_bearer_token,
);

/// Claims like the server's for `session`, with `changes` applied.
fn claims_like(session: &Session, changes: &Value) -> Value {
    let mut claims = session.claims();
    for (key, value) in changes.as_object().expect("object") {
        if value.is_null() {
            claims.as_object_mut().expect("object").remove(key);
        } else {
            claims[key] = value.clone();
        }
    }
    claims
}

async fn assert_refused(app: &TestApp, token: &str, what: &str) -> Value {
    let response = app.session_of(token).await;
    let status = response.status();
    let body = body_json(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    assert_error_shape(&body);
    body
}

async fn the_real_token_works_and_a_re_signed_copy_too(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let claims = alice.claims();
    assert_eq!(claims["iss"], PUBLIC_ORIGIN, "{claims}");
    assert_eq!(claims["aud"], "parley", "{claims}");
    assert_eq!(claims["typ"], "access", "{claims}");
    let lifetime = claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat");
    assert_eq!(lifetime, 15 * 60, "{claims}");
    // The forging helper is faithful: the same claims re-signed are accepted, so
    // every refusal below is about the one thing each case changes.
    let resigned = app.sign_token(&claims_like(&alice, &json!({"exp": unix_now() + 600})));
    app.assert_token_works(&resigned).await;
}

async fn an_expired_token_is_401_token_expired(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let now = unix_now();
    let expired = app.sign_token(&claims_like(
        &alice,
        &json!({"iat": now - 960, "exp": now - 60}),
    ));
    let body = assert_refused(&app, &expired, "expired").await;
    assert_eq!(body["error"]["code"], "token_expired", "{body}");
    // The session itself is fine: a fresh token works.
    app.assert_token_works(&alice.access_token).await;
}

async fn forged_and_tampered_tokens_are_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let in_ten_minutes = json!({"exp": unix_now() + 600});
    let claims = claims_like(&alice, &in_ten_minutes);

    // alg: none, empty signature.
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    assert_refused(&app, &format!("{header}.{payload}."), "alg none").await;
    // alg: none, with the real signature kept.
    let real_signature = alice.access_token.rsplit('.').next().expect("signature");
    assert_refused(
        &app,
        &format!("{header}.{payload}.{real_signature}"),
        "alg none + signature",
    )
    .await;

    // One flipped byte of the signature.
    let mut bytes = alice.access_token.clone().into_bytes();
    let i = bytes.len() - 5;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(bytes).expect("ascii");
    assert_refused(&app, &flipped, "flipped signature byte").await;

    // The real signature on a changed payload (another user id).
    let [h, _, s]: [&str; 3] = alice
        .access_token
        .split('.')
        .collect::<Vec<_>>()
        .try_into()
        .expect("three parts");
    let bob = app.signup("bob").await;
    let swapped =
        URL_SAFE_NO_PAD.encode(claims_like(&alice, &json!({"sub": bob.user_id()})).to_string());
    assert_refused(&app, &format!("{h}.{swapped}.{s}"), "payload swapped").await;

    // Signed with another key, or with HS512 under the real key.
    assert_refused(&app, &sign_hs256(&claims, &[7u8; 64]), "wrong key").await;
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(&app.jwt_key()),
    )
    .expect("sign");
    assert_refused(&app, &hs512, "HS512").await;

    // Right key, wrong claims.
    for (what, change) in [
        ("wrong issuer", json!({"iss": "http://evil.example"})),
        ("wrong audience", json!({"aud": "other-service"})),
        ("no exp", json!({"exp": null})),
        ("no typ", json!({"typ": null})),
        ("no sid", json!({"sid": null})),
        ("sid not a uuid", json!({"sid": "nope"})),
        ("sub of another user", json!({"sub": bob.user_id()})),
    ] {
        let mut change = change;
        if change.get("exp").is_none() {
            change["exp"] = in_ten_minutes["exp"].clone();
        }
        let token = app.sign_token(&claims_like(&alice, &change));
        assert_refused(&app, &token, what).await;
    }

    // Not a JWT at all.
    for garbage in ["garbage", "a.b.c", "..", &"x".repeat(10_000)] {
        assert_refused(&app, garbage, "garbage").await;
    }
    app.assert_token_works(&alice.access_token).await;
}

async fn a_refresh_token_is_not_an_access_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    assert_refused(&app, alice.refresh(), "refresh token as bearer").await;
    let typ_refresh = app.sign_token(&claims_like(
        &alice,
        &json!({"typ": "refresh", "exp": unix_now() + 600}),
    ));
    assert_refused(&app, &typ_refresh, "typ refresh").await;
    // The refresh token was not consumed by being shown as a bearer token.
    expect_json(app.refresh_native(alice.refresh()).await, StatusCode::OK).await;
}

async fn a_valid_signature_for_a_revoked_or_unknown_session_is_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let later = unix_now() + 600;
    // A session that never existed.
    let unknown = app.sign_token(&claims_like(
        &alice,
        &json!({"sid": uuid::Uuid::now_v7().to_string(), "exp": later}),
    ));
    assert_refused(&app, &unknown, "unknown session").await;

    // A signed-out session: its re-signed, unexpired tokens stay dead.
    let resigned = app.sign_token(&claims_like(&alice, &json!({"exp": later})));
    app.assert_token_works(&resigned).await;
    expect_status(
        app.bearer_post(&alice.access_token, "/api/v1/auth/signout", &json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_refused(&app, &alice.access_token, "revoked session").await;
    assert_refused(&app, &resigned, "revoked session, re-signed").await;
}

async fn a_bad_token_is_401_even_on_public_routes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let now = unix_now();
    let expired = app.sign_token(&claims_like(
        &alice,
        &json!({"iat": now - 960, "exp": now - 60}),
    ));
    // A stale token must learn to refresh, not silently see the signed-out view.
    assert_error(
        app.bearer_get(&expired, "/api/v1/users/alice").await,
        StatusCode::UNAUTHORIZED,
        "token_expired",
    )
    .await;
    let response = app.bearer_get("garbage", "/api/v1/users/alice").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // Without a token the public route is open.
    app.user("alice").await;
}

async fn the_access_cookie_is_checked_like_the_bearer_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let now = unix_now();
    let expired = app.sign_token(&claims_like(
        &alice,
        &json!({"iat": now - 960, "exp": now - 60}),
    ));
    let forged = sign_hs256(&claims_like(&alice, &json!({"exp": now + 600})), &[9u8; 64]);
    for (token, code) in [
        (expired.as_str(), "token_expired"),
        (forged.as_str(), "unauthorized"),
        (alice.refresh(), "unauthorized"),
    ] {
        let response = app
            .client()
            .get(app.url("/api/v1/auth/session"))
            .header(reqwest::header::COOKIE, format!("parley_access={token}"))
            .send()
            .await
            .expect("session");
        assert_error(response, StatusCode::UNAUTHORIZED, code).await;
    }
    let response = app
        .client()
        .get(app.url("/api/v1/auth/session"))
        .header(
            reqwest::header::COOKIE,
            format!("parley_access={}", alice.access_token),
        )
        .send()
        .await
        .expect("session");
    expect_json(response, StatusCode::OK).await;
}
