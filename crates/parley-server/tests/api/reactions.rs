//! Reactions on chat messages: members react and take it back (idempotent,
//! counted per emoji with who), at most 20 different emoji per message,
//! refused for non-members, deleted messages and text that is not an emoji,
//! shown in history and the conversation list, and live to the members only.

use crate::chat_support::*;
use crate::helpers::*;
use crate::realtime_support::Scenario;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    members_react_and_take_it_back,
    reactions_are_refused_where_they_do_not_belong,
    a_message_holds_twenty_different_emoji,
    reactions_reach_the_members_live,
);

fn path(message: &Value, emoji: &str) -> String {
    let encoded: String = emoji.bytes().map(|b| format!("%{b:02X}")).collect();
    format!("/api/v1/messages/{}/reactions/{encoded}", cid(message))
}

async fn react(app: &TestApp, who: &Session, message: &Value, emoji: &str) -> reqwest::Response {
    app.bearer_put(&who.access_token, &path(message, emoji), &json!({}))
        .await
}

async fn unreact(app: &TestApp, who: &Session, message: &Value, emoji: &str) -> reqwest::Response {
    app.bearer_delete(&who.access_token, &path(message, emoji), None)
        .await
}

async fn members_react_and_take_it_back(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let g = cid(&group(&app, &alice, &[&bob, &carol], "trip").await);
    let m = send(&app, &alice, &g, "shall we go?").await;
    assert_eq!(m["reactions"], json!([]));

    let after = expect_json(react(&app, &bob, &m, "👍").await, StatusCode::OK).await;
    assert_message_shape(&after);
    assert_eq!(
        after["reactions"],
        json!([{"emoji": "👍", "count": 1, "user_ids": [bob.user_id()]}])
    );
    // Again is the same, not a second reaction.
    let again = expect_json(react(&app, &bob, &m, "👍").await, StatusCode::OK).await;
    assert_eq!(again["reactions"], after["reactions"]);
    expect_json(react(&app, &carol, &m, "👍").await, StatusCode::OK).await;
    let both = expect_json(react(&app, &alice, &m, "❤️").await, StatusCode::OK).await;
    assert_eq!(
        both["reactions"],
        json!([
            {"emoji": "👍", "count": 2, "user_ids": [bob.user_id(), carol.user_id()]},
            {"emoji": "❤️", "count": 1, "user_ids": [alice.user_id()]},
        ])
    );
    // History and the conversation list show them too.
    let history = full_history(&app, &bob, &g).await;
    assert_eq!(history[0]["reactions"], both["reactions"]);
    assert_eq!(
        conversation(&app, &carol, &g).await["last_message"]["reactions"],
        both["reactions"]
    );

    let taken = expect_json(unreact(&app, &bob, &m, "👍").await, StatusCode::OK).await;
    assert_eq!(
        taken["reactions"][0],
        json!({"emoji": "👍", "count": 1, "user_ids": [carol.user_id()]})
    );
    let twice = expect_json(unreact(&app, &bob, &m, "👍").await, StatusCode::OK).await;
    assert_eq!(twice["reactions"], taken["reactions"]);
    // Someone else's reaction is not mine to take back.
    let not_mine = expect_json(unreact(&app, &bob, &m, "❤️").await, StatusCode::OK).await;
    assert_eq!(not_mine["reactions"], taken["reactions"]);
}

async fn reactions_are_refused_where_they_do_not_belong(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let eve = app.signup("eve").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    let m = send(&app, &alice, &d, "private").await;

    assert_error(
        react(&app, &eve, &m, "👍").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        unreact(&app, &eve, &m, "👍").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for text in ["ok", "a", "1", " ", "👍👍👍👍👍👍👍👍👍"] {
        assert_invalid(react(&app, &bob, &m, text).await, "emoji").await;
    }
    let unknown = json!({"id": "0190a5b4-0000-7000-8000-000000000000"});
    assert_error(
        react(&app, &bob, &unknown, "👍").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let anonymous = app
        .client()
        .put(app.url(&path(&m, "👍")))
        .send()
        .await
        .expect("put");
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    expect_status(
        app.bearer_delete(
            &alice.access_token,
            &format!("/api/v1/messages/{}", cid(&m)),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        react(&app, &bob, &m, "👍").await,
        StatusCode::GONE,
        "message_deleted",
    )
    .await;
    // None of it left a reaction behind.
    let history = full_history(&app, &bob, &d).await;
    assert_eq!(history[0]["reactions"], json!([]));
}

async fn a_message_holds_twenty_different_emoji(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    let m = send(&app, &alice, &d, "react away").await;
    let emoji: Vec<String> = (0..21)
        .map(|i| {
            char::from_u32(0x1F600 + i)
                .map(String::from)
                .unwrap_or_default()
        })
        .collect();
    for e in &emoji[..20] {
        expect_json(react(&app, &bob, &m, e).await, StatusCode::OK).await;
    }
    assert_error(
        react(&app, &alice, &m, &emoji[20]).await,
        StatusCode::CONFLICT,
        "too_many_reactions",
    )
    .await;
    // One of the twenty still takes more people.
    let more = expect_json(react(&app, &alice, &m, &emoji[0]).await, StatusCode::OK).await;
    assert_eq!(more["reactions"].as_array().map(Vec::len), Some(20));
    assert_eq!(more["reactions"][0]["count"], 2);
}

async fn reactions_reach_the_members_live(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    let m = send(&app, &alice, &d, "live?").await;
    let mut scenario = Scenario::start(
        &app,
        "chat_reactions.mjs",
        &[
            ("CONVERSATION_ID", d.clone()),
            ("MESSAGE_ID", cid(&m)),
            ("ALICE_TOKEN", alice.access_token.clone()),
            ("BOB_TOKEN", bob.access_token.clone()),
            ("BOB_ID", bob.user_id().to_owned()),
            ("CAROL_TOKEN", carol.access_token.clone()),
        ],
    );
    scenario.expect_line("READY").await;
    expect_json(react(&app, &bob, &m, "👍").await, StatusCode::OK).await;
    scenario.tell("REACTED");
    scenario.expect_line("SEEN").await;
    // Taking back a reaction that is not there tells no one.
    expect_json(unreact(&app, &alice, &m, "👍").await, StatusCode::OK).await;
    expect_json(unreact(&app, &bob, &m, "👍").await, StatusCode::OK).await;
    scenario.tell("UNREACTED");
    scenario.finish().await;
}
