//! Deleting an account removes its content everywhere and leaves every
//! counter of the people who remain exact: follows, likes, comments (with the
//! replies under them), and chat messages erased in place.

use crate::helpers::*;
use crate::social_support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(deleting_an_account_keeps_everyone_elses_counters_exact);

async fn user(app: &TestApp, username: &str) -> Value {
    let response = app.get(&format!("/api/v1/users/{username}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("user json")
}

async fn deleting_an_account_keeps_everyone_elses_counters_exact(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    follow(&app, &alice, "bob").await;
    follow(&app, &bob, "alice").await;
    follow(&app, &carol, "bob").await;
    let post = create_post(&app, &bob, "bob's post").await;
    let post_id = post["id"].as_str().expect("post id").to_owned();
    like(&app, &alice, &post_id).await;
    like(&app, &carol, &post_id).await;
    let alices = comment(&app, &alice, &post_id, "alice's comment", None).await;
    let alices_id = alices["id"].as_str().expect("comment id").to_owned();
    comment(
        &app,
        &carol,
        &post_id,
        "carol replies to alice",
        Some(&alices_id),
    )
    .await;
    let carols = comment(&app, &carol, &post_id, "carol's own comment", None).await;
    let carols_id = carols["id"].as_str().expect("comment id").to_owned();
    comment(
        &app,
        &alice,
        &post_id,
        "alice replies to carol",
        Some(&carols_id),
    )
    .await;
    let conversation = app
        .bearer_post(
            &alice.access_token,
            "/api/v1/conversations",
            &json!({"usernames": ["bob"]}),
        )
        .await;
    assert_eq!(conversation.status(), StatusCode::CREATED);
    let conversation: Value = conversation.json().await.expect("conversation json");
    let conversation_id = conversation["id"]
        .as_str()
        .expect("conversation id")
        .to_owned();
    let sent = app
        .bearer_post(
            &alice.access_token,
            &format!("/api/v1/conversations/{conversation_id}/messages"),
            &json!({"text": "secret words", "client_id": "m1"}),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    assert_eq!(comment_count(&app, &post_id).await, 4);

    let deleted = app
        .bearer_delete(
            &alice.access_token,
            "/api/v1/users/me",
            Some(&json!({"password": PASSWORD})),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    let bob_now = user(&app, "bob").await;
    assert_eq!(bob_now["followers_count"], 1, "only carol follows bob now");
    assert_eq!(bob_now["following_count"], 0, "bob followed only alice");
    assert_eq!(like_count(&app, &post_id).await, 1, "carol's like remains");
    // alice's comment and carol's reply under it go; alice's reply to carol goes;
    // carol's own comment stays, with no replies left.
    assert_eq!(comment_count(&app, &post_id).await, 1);
    let top = app.get(&format!("/api/v1/posts/{post_id}/comments")).await;
    let top: Value = top.json().await.expect("comments json");
    let items = top["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], carols_id.as_str());
    assert_eq!(items[0]["reply_count"], 0);

    let history = app
        .bearer_get(
            &bob.access_token,
            &format!("/api/v1/conversations/{conversation_id}/messages"),
        )
        .await;
    assert_eq!(history.status(), StatusCode::OK);
    let history: Value = history.json().await.expect("history json");
    let messages = history["items"].as_array().expect("items");
    assert_eq!(
        messages.len(),
        1,
        "the message keeps its place in the history"
    );
    assert_eq!(messages[0]["seq"], 1);
    assert_eq!(messages[0]["deleted"], true);
    assert_eq!(messages[0]["text"], "", "alice's words are erased");
    assert_eq!(messages[0]["sender"]["username"], "deleted");
}
