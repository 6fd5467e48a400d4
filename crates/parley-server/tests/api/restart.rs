//! A restart on the same data keeps accounts, sessions and the secrets that
//! sign them: tokens issued before the restart still work after it.

use crate::helpers::*;
use reqwest::StatusCode;
use std::os::unix::fs::PermissionsExt;

both_backends!(accounts_and_tokens_survive_a_restart, key_files_are_private,);

async fn accounts_and_tokens_survive_a_restart(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let browser = app.signup_browser("bob").await;
    let signed_out = app.signin("alice", PASSWORD).await;
    expect_status(
        app.bearer_post(
            &signed_out.access_token,
            "/api/v1/auth/signout",
            &serde_json::json!({}),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let key_before = app.jwt_key();

    app.restart().await;

    assert_eq!(app.jwt_key(), key_before, "the signing key was kept");
    // The account signs in, by username and by email.
    app.signin("alice", PASSWORD).await;
    app.signin("alice@example.com", PASSWORD).await;
    app.assert_signin_fails("alice", "Wrong-Password-1").await;
    // An access token issued before the restart is still accepted...
    let session = expect_json(app.session_of(&alice.access_token).await, StatusCode::OK).await;
    assert_eq!(session["user"]["id"], alice.user_id());
    assert_eq!(
        session["csrf_token"],
        alice.csrf_token.as_str(),
        "CSRF tokens survive too (the cookie key was kept)"
    );
    // ...so is the refresh token...
    let refreshed = Session::from_json(
        &expect_json(app.refresh_native(alice.refresh()).await, StatusCode::OK).await,
    );
    app.assert_token_works(&refreshed.access_token).await;
    // ...and a browser's cookies: its CSRF token still guards unsafe requests.
    let response = browser
        .client
        .patch(app.url("/api/v1/users/me"))
        .header("x-csrf-token", &browser.session.csrf_token)
        .json(&serde_json::json!({"bio": "after the restart"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(
        expect_json(response, StatusCode::OK).await["bio"],
        "after the restart"
    );
    // A session signed out before the restart stays signed out.
    app.assert_token_refused(&signed_out.access_token).await;
    assert_eq!(
        app.refresh_native(signed_out.refresh()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // And a second restart changes nothing either.
    app.restart().await;
    app.assert_token_works(&refreshed.access_token).await;
    assert_eq!(app.user("bob").await["bio"], "after the restart");
}

async fn key_files_are_private(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let check = |app: &TestApp| {
        for name in ["jwt.key", "cookie.key"] {
            let path = app.data_path().join("keys").join(name);
            let meta =
                std::fs::metadata(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                meta.permissions().mode() & 0o777,
                0o600,
                "{} must be mode 0600",
                path.display()
            );
            assert_eq!(meta.len(), 64, "{} holds 64 raw bytes", path.display());
        }
    };
    check(&app);
    let jwt = app.jwt_key();
    let cookie = std::fs::read(app.data_path().join("keys/cookie.key")).expect("cookie.key");
    assert_ne!(jwt, cookie, "two different secrets");
    app.restart().await;
    check(&app);
    assert_eq!(app.jwt_key(), jwt);
}
