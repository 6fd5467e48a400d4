//! The Socket.IO gateway (docs/api.md, "Realtime"), driven by the official
//! `socket.io-client` from Node (`tests/realtime/*.mjs`, see
//! `realtime_support`): handshake authentication and its error code, the
//! Origin allow-list on both transports, the message size limit, cookie
//! authentication, fan-out through `Realtime` (to users, to conversations
//! whose rooms follow membership), and every way a session's sockets are
//! disconnected.

use crate::helpers::*;
use crate::realtime_support::{Scenario, metric, run_scenario};
use parley_core::{ConversationId, SessionId, Timestamp, UserId};
use parley_server::delivery::{Effect, Room};
use parley_store::NewSession;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

both_backends!(
    unauthorized_handshakes_are_refused_with_the_code,
    foreign_origins_are_refused_on_both_transports,
    oversized_messages_close_the_connection,
    sign_out_disconnects_only_that_session,
    cookie_auth_connects_from_the_allowed_origin,
    emit_to_users_reaches_every_socket_of_the_user_only,
    the_sweeper_disconnects_revoked_and_expired_sessions,
    password_change_disconnects_the_other_sessions,
    account_deletion_disconnects_every_socket,
    refresh_token_replay_disconnects_the_session,
    emit_failures_are_counted_not_silent,
    conversation_rooms_follow_membership,
    post_events_reach_followers_not_strangers,
);

fn user_id(session: &Session) -> UserId {
    session.user_id().parse().expect("user.id is a UUID")
}

fn session_id(session: &Session) -> SessionId {
    session.claims()["sid"]
        .as_str()
        .expect("the access token names its session")
        .parse()
        .expect("sid is a UUID")
}

/// One socket for the `disconnects.mjs` scenario.
fn socket_spec(name: &str, session: &Session, transport: &str) -> Value {
    json!({"name": name, "token": session.access_token, "transport": transport})
}

/// Runs `disconnects.mjs`: opens `sockets`, lets `act` end something once
/// they are all connected, then checks that exactly `gone` were disconnected.
async fn expect_disconnects<F, Fut>(
    app: &TestApp,
    sockets: &[Value],
    gone: &[&str],
    within: Duration,
    act: F,
) where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut scenario = Scenario::start(
        app,
        "disconnects.mjs",
        &[
            ("SOCKETS", Value::from(sockets.to_vec()).to_string()),
            ("GONE", json!(gone).to_string()),
            ("WITHIN_MS", within.as_millis().to_string()),
        ],
    );
    scenario.expect_line("READY").await;
    act().await;
    scenario.tell("ACTED");
    scenario.finish().await;
}

/// Ends the session of `token` through the API (native client, bearer).
async fn sign_out(app: &TestApp, token: &str) {
    expect_status(
        app.bearer_post(token, "/api/v1/auth/signout", &json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
}

async fn unauthorized_handshakes_are_refused_with_the_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;

    let ended = app.signin("alice", PASSWORD).await;
    sign_out(&app, &ended.access_token).await;

    let mut claims = alice.claims();
    claims["iat"] = json!(unix_now() - 3600);
    claims["exp"] = json!(unix_now() - 60);
    let expired = app.sign_token(&claims);
    let forged = sign_hs256(&alice.claims(), b"not the server's key, but 32+ bytes long");

    // A token that verifies, for a session whose own lifetime is over.
    let now = Timestamp::now();
    let over = SessionId::new();
    app.state
        .store
        .create_session(&NewSession {
            id: over,
            user_id: user_id(&alice),
            remember: false,
            signed_in_with: "password".into(),
            origin: Default::default(),
            created_at: Timestamp(now.as_millis() - 10_000),
            expires_at: Timestamp(now.as_millis() - 1_000),
            token_hash: over.0.as_bytes().to_vec(),
        })
        .await
        .expect("create an already expired session");
    let expired_session = app
        .state
        .tokens
        .issue(user_id(&alice), over)
        .expect("issue a token");

    run_scenario(
        &app,
        "unauthorized.mjs",
        &[
            ("VALID_TOKEN", alice.access_token.clone()),
            ("EXPIRED_TOKEN", expired),
            ("FORGED_TOKEN", forged),
            ("REVOKED_TOKEN", ended.access_token.clone()),
            ("EXPIRED_SESSION_TOKEN", expired_session),
        ],
    )
    .await;
}

async fn foreign_origins_are_refused_on_both_transports(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    run_scenario(&app, "origin.mjs", &[("TOKEN", alice.access_token.clone())]).await;

    // The same refusal seen from Rust, with docs/api.md's error shape.
    let response = app
        .client()
        .get(app.url("/socket.io/?EIO=4&transport=polling"))
        .header("origin", EVIL_ORIGIN)
        .send()
        .await
        .expect("polling handshake");
    assert_error(response, StatusCode::FORBIDDEN, "origin_not_allowed").await;
}

async fn oversized_messages_close_the_connection(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.max_socket_message = 4096).await;
    let alice = app.signup("alice").await;
    let mut scenario = Scenario::start(
        &app,
        "oversized.mjs",
        &[
            ("TOKEN", alice.access_token.clone()),
            ("MAX_MESSAGE", "4096".to_owned()),
        ],
    );
    scenario.expect_line("SENT_NORMAL").await;
    app.state
        .delivery
        .emit_untyped(
            vec![Room::User(user_id(&alice))],
            "test:alive",
            &json!({"ok": true}),
        )
        .await;
    scenario.tell("EMITTED");
    scenario.finish().await;
}

async fn sign_out_disconnects_only_that_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.signup("alice").await;
    let second = app.signin("alice", PASSWORD).await;
    let sockets = [
        socket_spec("first-ws", &first, "websocket"),
        socket_spec("first-polling", &first, "polling"),
        socket_spec("second-ws", &second, "websocket"),
        socket_spec("second-polling", &second, "polling"),
    ];
    expect_disconnects(
        &app,
        &sockets,
        &["first-ws", "first-polling"],
        Duration::from_secs(3),
        || sign_out(&app, &first.access_token),
    )
    .await;
}

async fn cookie_auth_connects_from_the_allowed_origin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.signup_browser("alice").await;
    let cookie = cookie_named(&browser.set_cookies, "parley_access")
        .value
        .clone();
    let mut scenario = Scenario::start(&app, "cookie.mjs", &[("TOKEN", cookie)]);
    scenario.expect_line("READY").await;
    app.state
        .delivery
        .emit_untyped(
            vec![Room::User(user_id(&browser.session))],
            "test:cookie",
            &json!({"via": "cookie"}),
        )
        .await;
    scenario.tell("EMITTED");
    scenario.finish().await;
}

async fn emit_to_users_reaches_every_socket_of_the_user_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice1 = app.signup("alice").await;
    let alice2 = app.signin("alice", PASSWORD).await;
    let bob = app.signup("bob").await;
    let events_before = metric(&app, r#"realtime_events_total{event="test:event"}"#).await;

    let mut scenario = Scenario::start(
        &app,
        "fanout.mjs",
        &[
            ("ALICE_TOKEN_1", alice1.access_token.clone()),
            ("ALICE_TOKEN_2", alice2.access_token.clone()),
            ("BOB_TOKEN", bob.access_token.clone()),
        ],
    );
    scenario.expect_line("READY").await;
    let realtime = app.state.delivery.clone();
    realtime
        .emit_untyped(vec![], "test:nobody", &json!({"to": "nobody"}))
        .await;
    realtime
        .emit_untyped(
            vec![Room::User(user_id(&alice1))],
            "test:event",
            &json!({"hello": "alice", "n": 1, "nested": {"list": [1, 2, 3]}}),
        )
        .await;
    scenario.tell("EMITTED");
    scenario.finish().await;

    let events_after = metric(&app, r#"realtime_events_total{event="test:event"}"#).await;
    assert!(
        events_after > events_before,
        "realtime_events_total counts the emission ({events_before} -> {events_after})"
    );
    assert_eq!(
        metric(&app, r#"realtime_emit_failures_total{event="test:event"}"#).await,
        0.0,
        "nothing failed"
    );
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(
        metrics.contains("realtime_connected_sockets"),
        "the connected-sockets gauge is exported"
    );
}

async fn the_sweeper_disconnects_revoked_and_expired_sessions(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.realtime_sweep_interval = Duration::from_millis(500);
    })
    .await;
    let revoked = app.signup("alice").await;
    let kept = app.signin("alice", PASSWORD).await;
    // A session that ends by itself a few seconds from now: nobody signs it
    // out, so only the sweeper can notice.
    let expiring = SessionId::new();
    let now = Timestamp::now();
    app.state
        .store
        .create_session(&NewSession {
            id: expiring,
            user_id: user_id(&revoked),
            remember: false,
            signed_in_with: "password".into(),
            origin: Default::default(),
            created_at: now,
            // Long enough for node to start and connect on a loaded machine.
            expires_at: now.plus(Duration::from_secs(8)),
            token_hash: expiring.0.as_bytes().to_vec(),
        })
        .await
        .expect("create a short session");
    let expiring_token = app
        .state
        .tokens
        .issue(user_id(&revoked), expiring)
        .expect("issue a token");
    let sockets = [
        socket_spec("revoked", &revoked, "websocket"),
        json!({"name": "expiring", "token": expiring_token, "transport": "polling"}),
        socket_spec("kept", &kept, "websocket"),
    ];
    expect_disconnects(
        &app,
        &sockets,
        &["revoked", "expiring"],
        Duration::from_secs(20),
        || async {
            // Straight in the store, past the services: no one disconnects it.
            let live = app
                .state
                .store
                .revoke_session(session_id(&revoked), Timestamp::now())
                .await
                .expect("revoke");
            assert!(live);
        },
    )
    .await;
}

async fn password_change_disconnects_the_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let changer = app.signup("alice").await;
    let other = app.signin("alice", PASSWORD).await;
    let sockets = [
        socket_spec("changer", &changer, "websocket"),
        socket_spec("other-ws", &other, "websocket"),
        socket_spec("other-polling", &other, "polling"),
    ];
    expect_disconnects(
        &app,
        &sockets,
        &["other-ws", "other-polling"],
        Duration::from_secs(3),
        || async {
            expect_status(
                app.bearer_put(
                    &changer.access_token,
                    "/api/v1/users/me/password",
                    &json!({"current_password": PASSWORD, "new_password": OTHER_PASSWORD}),
                )
                .await,
                StatusCode::NO_CONTENT,
            )
            .await;
        },
    )
    .await;
}

async fn account_deletion_disconnects_every_socket(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.signup("alice").await;
    let second = app.signin("alice", PASSWORD).await;
    let bob = app.signup("bob").await;
    let sockets = [
        socket_spec("alice-1", &first, "websocket"),
        socket_spec("alice-2", &second, "polling"),
        socket_spec("bob", &bob, "websocket"),
    ];
    expect_disconnects(
        &app,
        &sockets,
        &["alice-1", "alice-2"],
        Duration::from_secs(3),
        || async {
            expect_status(
                app.bearer_delete(
                    &first.access_token,
                    "/api/v1/users/me",
                    Some(&json!({"password": PASSWORD})),
                )
                .await,
                StatusCode::NO_CONTENT,
            )
            .await;
        },
    )
    .await;
}

async fn refresh_token_replay_disconnects_the_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let stolen = app.signup("alice").await;
    let other = app.signin("alice", PASSWORD).await;
    let sockets = [
        socket_spec("stolen", &stolen, "websocket"),
        socket_spec("other", &other, "websocket"),
    ];
    expect_disconnects(
        &app,
        &sockets,
        &["stolen"],
        Duration::from_secs(3),
        || async {
            let rotated = app.refresh_native(stolen.refresh()).await;
            expect_json(rotated, StatusCode::OK).await;
            // The old refresh token again: reuse revokes the whole family.
            let replayed = app.refresh_native(stolen.refresh()).await;
            assert_error(replayed, StatusCode::UNAUTHORIZED, "refresh_token_reused").await;
        },
    )
    .await;
}

async fn emit_failures_are_counted_not_silent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let series = r#"realtime_emit_failures_total{event="test:burst"}"#;
    let before = metric(&app, series).await;
    let mut scenario = Scenario::start(&app, "burst.mjs", &[("TOKEN", alice.access_token.clone())]);
    scenario.expect_line("READY").await;
    // Far more than socketioxide's 128-packet buffer, faster than a
    // long-polling client can collect them.
    let alice_id = user_id(&alice);
    for i in 0..2_000 {
        app.state
            .delivery
            .emit_untyped(vec![Room::User(alice_id)], "test:burst", &json!({"i": i}))
            .await;
    }
    let after = metric(&app, series).await;
    scenario.tell("DONE");
    scenario.finish().await;
    assert!(
        after > before,
        "a full socket buffer is counted in {series} ({before} -> {after})"
    );
}

/// One step of `rooms.mjs`: exactly the sockets `to` must get `event` with `payload`.
async fn expect_delivery(scenario: &mut Scenario, event: &str, payload: &Value, to: &[&str]) {
    scenario.tell(&json!({"event": event, "payload": payload, "to": to}).to_string());
    scenario.expect_line("OK").await;
}

async fn conversation_rooms_follow_membership(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice1 = app.signup("alice").await;
    let alice2 = app.signin("alice", PASSWORD).await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    // A conversation that exists before anyone connects: sockets join its
    // room at connect.
    let conversation = app
        .state
        .store
        .create_conversation(
            parley_core::ConversationKind::Group,
            Some("plans"),
            &[user_id(&alice1), user_id(&bob)],
            Timestamp::now(),
        )
        .await
        .expect("create a conversation")
        .id;
    let sockets = [
        socket_spec("alice-ws", &alice1, "websocket"),
        socket_spec("alice-polling", &alice2, "polling"),
        socket_spec("bob", &bob, "websocket"),
        socket_spec("carol", &carol, "polling"),
    ];
    let mut scenario = Scenario::start(
        &app,
        "rooms.mjs",
        &[("SOCKETS", Value::from(sockets.to_vec()).to_string())],
    );
    scenario.expect_line("READY").await;
    let realtime = app.state.delivery.clone();

    let payload = json!({"n": 1});
    realtime
        .emit_untyped(
            vec![Room::Conversation(conversation)],
            "test:conv",
            &payload,
        )
        .await;
    expect_delivery(
        &mut scenario,
        "test:conv",
        &payload,
        &["alice-ws", "alice-polling", "bob"],
    )
    .await;

    realtime
        .deliver(vec![Effect::Join {
            users: vec![user_id(&carol)],
            room: Room::Conversation(conversation),
        }])
        .await;
    let payload = json!({"n": 2});
    realtime
        .emit_untyped(
            vec![Room::Conversation(conversation)],
            "test:conv",
            &payload,
        )
        .await;
    expect_delivery(
        &mut scenario,
        "test:conv",
        &payload,
        &["alice-ws", "alice-polling", "bob", "carol"],
    )
    .await;

    realtime
        .deliver(vec![Effect::Leave {
            users: vec![user_id(&bob)],
            room: Room::Conversation(conversation),
        }])
        .await;
    let payload = json!({"n": 3});
    realtime
        .emit_untyped(
            vec![Room::Conversation(conversation)],
            "test:conv",
            &payload,
        )
        .await;
    expect_delivery(
        &mut scenario,
        "test:conv",
        &payload,
        &["alice-ws", "alice-polling", "carol"],
    )
    .await;

    // Another conversation's events stay in its own room.
    let payload = json!({"n": 4});
    realtime
        .emit_untyped(
            vec![Room::Conversation(ConversationId::from(
                uuid::Uuid::now_v7(),
            ))],
            "test:conv",
            &payload,
        )
        .await;
    realtime
        .emit_untyped(
            vec![Room::User(user_id(&bob))],
            "test:user",
            &json!({"only": "bob"}),
        )
        .await;
    expect_delivery(
        &mut scenario,
        "test:user",
        &json!({"only": "bob"}),
        &["bob"],
    )
    .await;
    expect_delivery(&mut scenario, "test:conv", &payload, &[]).await;

    scenario.tell("END");
    scenario.finish().await;
}

/// Post events reach the author and followers (every socket), never a
/// stranger; a like notifies the author live.
async fn post_events_reach_followers_not_strangers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let author = app.signup("author").await;
    let follower = app.signup("follower").await;
    let stranger = app.signup("stranger").await;
    let followed = app
        .bearer_put(
            &follower.access_token,
            "/api/v1/users/author/follow",
            &json!({}),
        )
        .await;
    assert_eq!(followed.status(), StatusCode::OK);

    let mut scenario = Scenario::start(
        &app,
        "posts.mjs",
        &[
            ("AUTHOR_TOKEN", author.access_token.clone()),
            ("FOLLOWER_TOKEN", follower.access_token.clone()),
            ("STRANGER_TOKEN", stranger.access_token.clone()),
        ],
    );
    scenario.expect_line("READY").await;
    let created = app
        .bearer_post(
            &author.access_token,
            "/api/v1/posts",
            &json!({"text": "hello #live"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let post: Value = created.json().await.expect("post json");
    let id = post["id"].as_str().expect("post id").to_owned();
    let liked = app
        .bearer_put(
            &follower.access_token,
            &format!("/api/v1/posts/{id}/like"),
            &json!({}),
        )
        .await;
    assert_eq!(liked.status(), StatusCode::OK);
    let edited = app
        .bearer_patch(
            &author.access_token,
            &format!("/api/v1/posts/{id}"),
            &json!({"text": "edited #live"}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let deleted = app
        .bearer_delete(&author.access_token, &format!("/api/v1/posts/{id}"), None)
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    scenario.tell(&format!("DONE {id}"));
    scenario.finish().await;
}
