//! Sessions you can see (`/api/v1/auth/sessions`): each sign-in listed with
//! its device, address and last activity, `current` on the caller's own;
//! signing out one (someone else's is 404 and changes nothing) or every
//! other, which ends their tokens at once.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    each_sign_in_is_listed_with_its_device,
    one_session_is_signed_out_and_no_one_elses,
    everywhere_else_is_signed_out_at_once,
);

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/// Signs in as a native client that sends `user_agent`.
async fn sign_in_from(app: &TestApp, login: &str, user_agent: &str) -> Session {
    let client = reqwest::Client::builder()
        .user_agent(user_agent)
        .build()
        .expect("client");
    let response = client
        .post(app.url("/api/v1/auth/signin"))
        .json(&json!({"login": login, "password": PASSWORD, "client": "native"}))
        .send()
        .await
        .expect("sign in");
    Session::from_json(&expect_json(response, StatusCode::OK).await)
}

async fn sessions(app: &TestApp, token: &str) -> Vec<Value> {
    let page = expect_json(
        app.bearer_get(token, "/api/v1/auth/sessions").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["next_cursor"], Value::Null);
    page["items"].as_array().cloned().unwrap_or_default()
}

fn session_id(token: &Session) -> String {
    token.claims()["sid"].as_str().expect("sid").to_owned()
}

async fn each_sign_in_is_listed_with_its_device(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("alice").await;
    let laptop = sign_in_from(&app, "alice", FIREFOX).await;
    let phone = sign_in_from(&app, "alice", IPHONE).await;
    let listed = sessions(&app, &phone.access_token).await;
    assert_eq!(listed.len(), 3, "sign-up, laptop and phone: {listed:?}");
    let of = |id: &str| {
        listed
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("session {id} listed: {listed:?}"))
    };
    let p = of(&session_id(&phone));
    assert_eq!(p["current"], true);
    assert_eq!(p["device"], "Safari on iOS");
    assert_eq!(p["user_agent"], IPHONE);
    assert_eq!(p["ip"], "127.0.0.1");
    assert_eq!(p["signed_in_with"], "password");
    assert!(p["last_active_at"].is_string() && p["created_at"].is_string());
    let l = of(&session_id(&laptop));
    assert_eq!(l["current"], false);
    assert_eq!(l["device"], "Firefox on Linux");
    assert_eq!(
        listed.iter().filter(|s| s["current"] == true).count(),
        1,
        "exactly one is the caller's"
    );

    // Only live sessions, and only mine.
    let bob = app.signup("bob").await;
    assert_eq!(sessions(&app, &bob.access_token).await.len(), 1);
    expect_status(
        app.bearer_post(&laptop.access_token, "/api/v1/auth/signout", &json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(sessions(&app, &phone.access_token).await.len(), 2);
    assert_error(
        app.get("/api/v1/auth/sessions").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn one_session_is_signed_out_and_no_one_elses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let laptop = sign_in_from(&app, "alice", FIREFOX).await;
    let bob = app.signup("bob").await;

    // Bob cannot end alice's session, nor can anyone end an unknown one.
    let theirs = format!("/api/v1/auth/sessions/{}", session_id(&laptop));
    assert_error(
        app.bearer_delete(&bob.access_token, &theirs, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for bad in ["not-a-uuid", "0190a5b4-0000-7000-8000-000000000000"] {
        assert_error(
            app.bearer_delete(
                &alice.access_token,
                &format!("/api/v1/auth/sessions/{bad}"),
                None,
            )
            .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    app.assert_token_works(&laptop.access_token).await;

    expect_status(
        app.bearer_delete(&alice.access_token, &theirs, None).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    app.assert_token_refused(&laptop.access_token).await;
    assert_eq!(
        app.refresh_native(laptop.refresh()).await.status(),
        StatusCode::UNAUTHORIZED,
        "its refresh token ends with it"
    );
    app.assert_token_works(&alice.access_token).await;
    app.assert_token_works(&bob.access_token).await;
    assert_error(
        app.bearer_delete(&alice.access_token, &theirs, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // A browser ending its own session is signed out, cookies cleared.
    let browser = app.signin_browser("alice", PASSWORD, false).await;
    let own = format!("/api/v1/auth/sessions/{}", session_id(&browser.session));
    let ended = browser
        .client
        .delete(app.url(&own))
        .header("x-csrf-token", &browser.session.csrf_token)
        .send()
        .await
        .expect("delete");
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    let cleared = set_cookies(ended.headers());
    assert!(
        cleared
            .iter()
            .any(|c| c.name == "parley_access" && c.max_age() == Some(0)),
        "{cleared:?}"
    );
    app.assert_token_refused(&browser.session.access_token)
        .await;
}

async fn everywhere_else_is_signed_out_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.signup("alice").await;
    let second = sign_in_from(&app, "alice", FIREFOX).await;
    let here = sign_in_from(&app, "alice", IPHONE).await;
    let bob = app.signup("bob").await;
    let ended = expect_json(
        app.bearer_post(
            &here.access_token,
            "/api/v1/auth/sessions/sign_out_others",
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ended["ended"], 2);
    app.assert_token_refused(&first.access_token).await;
    app.assert_token_refused(&second.access_token).await;
    app.assert_token_works(&here.access_token).await;
    app.assert_token_works(&bob.access_token).await;
    let left = sessions(&app, &here.access_token).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["current"], true);
}
