//! Account recovery by mail, with the mail read from an SMTP sink started
//! in the test: a reset link sets a new password once, expires, ends every
//! session, and asking tells no one whether the account exists; e-mail
//! verification proves the address; every refusal changes nothing.

use crate::helpers::*;
use crate::smtp_sink::{ReceivedMail, SmtpSink};
use reqwest::StatusCode;
use serde_json::json;

both_backends!(
    an_expired_link_changes_nothing,
    a_mailed_link_resets_the_password_once_and_ends_every_session,
    asking_for_a_reset_says_nothing_about_the_account,
    a_mailed_link_verifies_the_address,
);

async fn app_with_mail(backend: Backend, sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    TestApp::spawn_with(backend, |c| c.smtp_url = Some(url)).await
}

/// The `token=` of the link in `mail` (quoted-printable soft breaks undone).
fn token_in(mail: &ReceivedMail, page: &str) -> String {
    let body = mail.data.replace("=\n", "").replace("=3D", "=");
    let start = body
        .find(&format!("{page}?token="))
        .unwrap_or_else(|| panic!("a {page} link in {body}"))
        + page.len()
        + "?token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn request_reset(app: &TestApp, login: &str) {
    expect_status(
        app.post_json("/api/v1/auth/password_reset", &json!({"login": login}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/password_reset/confirm",
        &json!({"token": token, "new_password": password}),
    )
    .await
}

async fn a_mailed_link_resets_the_password_once_and_ends_every_session(backend: Backend) {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(backend, &sink).await;
    let alice = app.signup("alice").await;
    let other_device = app.signin("alice", PASSWORD).await;
    request_reset(&app, "alice").await;
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, [email_for("alice")]);
    assert!(
        mails[0]
            .data
            .contains("Subject: Reset your Parley password"),
        "{}",
        mails[0].data
    );
    let token = token_in(&mails[0], "/reset-password");
    assert!(
        mails[0]
            .data
            .contains("http://parley.test/reset-password?token="),
        "the link is on the public URL"
    );

    // A bad password changes nothing and keeps the token.
    assert_invalid(confirm(&app, &token, "short").await, "new_password").await;
    app.assert_token_works(&alice.access_token).await;

    expect_status(
        confirm(&app, &token, "A-new-long-passphrase").await,
        StatusCode::NO_CONTENT,
    )
    .await;
    app.assert_token_refused(&alice.access_token).await;
    app.assert_token_refused(&other_device.access_token).await;
    assert_eq!(
        app.refresh_native(other_device.refresh()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let back = app.signin("alice", "A-new-long-passphrase").await;
    assert_eq!(
        back.user["email_verified"], true,
        "following the link proved the address"
    );
    let old = app
        .signin_raw(&json!({"login": "alice", "password": PASSWORD}))
        .await;
    assert_error(old, StatusCode::UNAUTHORIZED, "invalid_credentials").await;

    // Once only, and a made-up token is no better.
    assert_error(
        confirm(&app, &token, "Yet-another-passphrase").await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
    assert_error(
        confirm(&app, "made-up-token", "Yet-another-passphrase").await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;

    // Two links asked for: using one voids the other.
    request_reset(&app, &email_for("alice")).await;
    request_reset(&app, "alice").await;
    let mails = sink.wait_for(3).await;
    let (first, second) = (
        token_in(&mails[1], "/reset-password"),
        token_in(&mails[2], "/reset-password"),
    );
    expect_status(
        confirm(&app, &first, "Fourth-long-passphrase").await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        confirm(&app, &second, "Fifth-long-passphrase").await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
    app.signin("alice", "Fourth-long-passphrase").await;
}

async fn asking_for_a_reset_says_nothing_about_the_account(backend: Backend) {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(backend, &sink).await;
    app.signup("alice").await;
    for login in ["nobody", "nobody@example.com", "", "alice"] {
        request_reset(&app, login).await;
    }
    // Every answer was the same 202; the one mail went to alice.
    let mails = sink.wait_for(1).await;
    assert!(
        mails.iter().all(|m| m.to == [email_for("alice")]),
        "{mails:?}"
    );
}

async fn a_mailed_link_verifies_the_address(backend: Backend) {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(backend, &sink).await;
    let alice = app.signup("alice").await;
    assert_eq!(alice.user["email_verified"], false);
    let anonymous = app
        .post_json("/api/v1/users/me/email_verification", &json!({}))
        .await;
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    expect_status(
        app.bearer_post(
            &alice.access_token,
            "/api/v1/users/me/email_verification",
            &json!({}),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let mails = sink.wait_for(1).await;
    let token = token_in(&mails[0], "/verify-email");
    let bad = app
        .post_json("/api/v1/auth/verify_email", &json!({"token": "nope"}))
        .await;
    assert_error(bad, StatusCode::BAD_REQUEST, "invalid_token").await;
    let me = expect_json(
        app.bearer_get(&alice.access_token, "/api/v1/users/me")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["email_verified"], false, "a bad token changes nothing");
    expect_status(
        app.post_json("/api/v1/auth/verify_email", &json!({"token": token}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let me = expect_json(
        app.bearer_get(&alice.access_token, "/api/v1/users/me")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["email_verified"], true);
    let again = app
        .post_json("/api/v1/auth/verify_email", &json!({"token": token}))
        .await;
    assert_error(again, StatusCode::BAD_REQUEST, "invalid_token").await;
}

/// A reset and a verification token an hour past their expiry: both refused
/// with `invalid_token`, the password and the address as they were.
async fn an_expired_link_changes_nothing(backend: Backend) {
    use parley_store::account_tokens::{NewAccountToken, TokenPurpose};
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let user: parley_core::UserId = alice.user_id().parse().expect("user id");
    let now = parley_core::Timestamp::now();
    for (token, purpose) in [
        ("expired-reset", TokenPurpose::ResetPassword),
        ("expired-verify", TokenPurpose::VerifyEmail),
    ] {
        app.state
            .store
            .create_account_token(&NewAccountToken {
                token_hash: parley_server::auth::refresh::hash(token),
                user_id: user,
                purpose,
                email: email_for("alice"),
                created_at: parley_core::Timestamp(now.as_millis() - 7_200_000),
                expires_at: parley_core::Timestamp(now.as_millis() - 3_600_000),
            })
            .await
            .expect("token");
    }
    assert_error(
        confirm(&app, "expired-reset", "A-new-long-passphrase").await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
    let verify = app
        .post_json(
            "/api/v1/auth/verify_email",
            &json!({"token": "expired-verify"}),
        )
        .await;
    assert_error(verify, StatusCode::BAD_REQUEST, "invalid_token").await;
    app.assert_token_works(&alice.access_token).await;
    let again = app.signin("alice", PASSWORD).await;
    assert_eq!(again.user["email_verified"], false);
}
