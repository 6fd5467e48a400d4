//! Full-text search: posts for anyone (English word prefixes, Korean by
//! character pairs, every word must match, newest first, paged; edits and
//! deletions reflected at once) and the messages of my conversations only
//! (not other people's, not deleted ones, one conversation with
//! `conversation_id`), refusals (401 signed out, 422 for empty, long or
//! wordless `q`, never a 500 for hostile input), and highlight ranges in
//! UTF-16 code units.

use crate::chat_support::*;
use crate::helpers::*;
use crate::social_support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    posts_are_found_by_words_prefixes_and_korean,
    post_search_pages_newest_first,
    edited_and_deleted_posts_are_reindexed,
    messages_are_found_only_in_my_conversations,
    search_refuses_bad_queries_and_survives_hostile_ones,
    highlights_are_utf16_ranges,
);

async fn search_posts_raw(
    app: &TestApp,
    token: Option<&str>,
    q: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut params = vec![("q", q)];
    params.extend_from_slice(extra);
    get_as(app, token, &with_query("/api/v1/search/posts", &params)).await
}

async fn search_posts(app: &TestApp, token: Option<&str>, q: &str) -> Vec<Value> {
    let page = expect_json(search_posts_raw(app, token, q, &[]).await, StatusCode::OK).await;
    page["items"].as_array().expect("items").clone()
}

/// The texts of the posts a search finds, newest first.
async fn found_posts(app: &TestApp, q: &str) -> Vec<String> {
    search_posts(app, None, q)
        .await
        .iter()
        .map(|hit| hit["post"]["text"].as_str().expect("text").to_owned())
        .collect()
}

async fn search_messages_raw(
    app: &TestApp,
    token: &str,
    q: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut params = vec![("q", q)];
    params.extend_from_slice(extra);
    app.bearer_get(token, &with_query("/api/v1/search/messages", &params))
        .await
}

async fn found_messages(
    app: &TestApp,
    who: &Session,
    q: &str,
    extra: &[(&str, &str)],
) -> Vec<String> {
    let page = expect_json(
        search_messages_raw(app, &who.access_token, q, extra).await,
        StatusCode::OK,
    )
    .await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|hit| {
            assert_message_shape(&hit["message"]);
            hit["message"]["text"].as_str().expect("text").to_owned()
        })
        .collect()
}

async fn posts_are_found_by_words_prefixes_and_korean(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    create_post(&app, &alice, "Hello world from Parley").await;
    create_post(&app, &alice, "안녕하세요 여러분, 서울에서 만나요").await;
    create_post(&app, &alice, "Goodbye WORLD").await;

    assert_eq!(
        found_posts(&app, "hello").await,
        ["Hello world from Parley"]
    );
    assert_eq!(
        found_posts(&app, "HEL").await,
        ["Hello world from Parley"],
        "a prefix, any case"
    );
    assert_eq!(
        found_posts(&app, "world").await,
        ["Goodbye WORLD", "Hello world from Parley"],
        "newest first"
    );
    assert_eq!(
        found_posts(&app, "world hello").await,
        ["Hello world from Parley"],
        "AND"
    );
    assert!(
        found_posts(&app, "hello goodbye").await.is_empty(),
        "every word must match"
    );
    assert!(
        found_posts(&app, "elo").await.is_empty(),
        "a prefix, not a substring"
    );

    let korean = "안녕하세요 여러분, 서울에서 만나요";
    assert_eq!(found_posts(&app, "안녕").await, [korean]);
    assert_eq!(found_posts(&app, "서울").await, [korean]);
    assert_eq!(found_posts(&app, "서울 만나").await, [korean]);
    assert!(found_posts(&app, "부산").await.is_empty());

    // Signed in, posts carry the viewer's like like every feed.
    let hits = search_posts(&app, Some(&alice.access_token), "hello").await;
    assert_post_shape(&hits[0]["post"]);
    assert_eq!(hits[0]["post"]["liked_by_me"], false);
}

async fn post_search_pages_newest_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    for i in 0..5 {
        create_post(&app, &alice, &format!("topic number {i}")).await;
    }
    create_post(&app, &alice, "something else").await;
    let mut texts = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = expect_json(
            search_posts_raw(&app, None, "topic", &[("limit", "2"), ("cursor", &cursor)]).await,
            StatusCode::OK,
        )
        .await;
        for hit in page["items"].as_array().expect("items") {
            texts.push(hit["post"]["text"].as_str().expect("text").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    let expected: Vec<String> = (0..5).rev().map(|i| format!("topic number {i}")).collect();
    assert_eq!(texts, expected);
}

async fn edited_and_deleted_posts_are_reindexed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let post = create_post(&app, &alice, "apples are red").await;
    let id = id_of(&post);
    expect_json(
        app.bearer_patch(
            &alice.access_token,
            &format!("/api/v1/posts/{id}"),
            &json!({"text": "bananas are yellow"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        found_posts(&app, "apples").await.is_empty(),
        "the old word is gone"
    );
    assert_eq!(found_posts(&app, "banana").await, ["bananas are yellow"]);

    expect_status(
        app.bearer_delete(&alice.access_token, &format!("/api/v1/posts/{id}"), None)
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert!(
        found_posts(&app, "banana").await.is_empty(),
        "a deleted post is not found"
    );
}

async fn messages_are_found_only_in_my_conversations(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let ab = cid(&direct(&app, &alice, &bob).await);
    let bc = cid(&direct(&app, &bob, &carol).await);
    send(&app, &alice, &ab, "secret plan for 토요일").await;
    send(&app, &bob, &bc, "secret party").await;
    let gone = send(&app, &bob, &ab, "secret to delete").await;
    expect_status(
        app.bearer_delete(
            &bob.access_token,
            &format!("/api/v1/messages/{}", cid(&gone)),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;

    assert_eq!(
        found_messages(&app, &alice, "secret", &[]).await,
        ["secret plan for 토요일"]
    );
    assert_eq!(
        found_messages(&app, &alice, "토요", &[]).await,
        ["secret plan for 토요일"]
    );
    assert_eq!(
        found_messages(&app, &bob, "secret", &[]).await,
        ["secret party", "secret plan for 토요일"],
        "both of bob's conversations, newest first, without the deleted one"
    );
    assert_eq!(
        found_messages(&app, &carol, "secret", &[]).await,
        ["secret party"]
    );
    assert!(
        found_messages(&app, &carol, "plan", &[]).await.is_empty(),
        "not a member"
    );

    // One conversation.
    assert_eq!(
        found_messages(&app, &bob, "secret", &[("conversation_id", &ab)]).await,
        ["secret plan for 토요일"]
    );
    // Someone else's conversation, or no such one, is 404 as everywhere in chat.
    assert_error(
        search_messages_raw(
            &app,
            &carol.access_token,
            "secret",
            &[("conversation_id", &ab)],
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        search_messages_raw(
            &app,
            &carol.access_token,
            "secret",
            &[("conversation_id", "nope")],
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // An edit re-indexes the message.
    let edited = send(&app, &alice, &ab, "draft words").await;
    expect_json(
        app.bearer_patch(
            &alice.access_token,
            &format!("/api/v1/messages/{}", cid(&edited)),
            &json!({"text": "final words"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(found_messages(&app, &bob, "draft", &[]).await.is_empty());
    assert_eq!(
        found_messages(&app, &bob, "final", &[]).await,
        ["final words"]
    );

    // Signed out.
    assert_error(
        app.get(&with_query("/api/v1/search/messages", &[("q", "secret")]))
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn search_refuses_bad_queries_and_survives_hostile_ones(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    create_post(&app, &alice, "100% real_deal back\\slash").await;
    let token = alice.access_token.clone();
    for q in ["", "   ", &"a".repeat(201), "%%%", "!!! ???", "😀🎉"] {
        assert_invalid(search_posts_raw(&app, None, q, &[]).await, "q").await;
        assert_invalid(search_messages_raw(&app, &token, q, &[]).await, "q").await;
    }
    // No q at all is a malformed query string.
    assert_invalid(app.get("/api/v1/search/posts").await, "query").await;
    assert_invalid(
        search_posts_raw(&app, None, "x", &[("limit", "0")]).await,
        "limit",
    )
    .await;
    assert_invalid(
        search_posts_raw(&app, None, "x", &[("cursor", "bogus")]).await,
        "cursor",
    )
    .await;
    // SQL and LIKE metacharacters are only separators.
    for q in [
        "'; DROP TABLE posts; --",
        "100%",
        "real_",
        "back\\",
        "%_\\ real",
        "\u{10FFFF}x",
    ] {
        let response = search_posts_raw(&app, None, q, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{q:?}");
        let response = search_messages_raw(&app, &token, q, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{q:?}");
    }
    assert_eq!(found_posts(&app, "100% real_").await.len(), 1);
    assert_eq!(found_posts(&app, &"a".repeat(200)).await.len(), 0);
    // Many words are fine (only the first terms are used).
    let many: String = (0..40).map(|i| format!("w{i} ")).collect();
    assert_eq!(
        search_posts_raw(&app, None, many.trim(), &[])
            .await
            .status(),
        StatusCode::OK
    );
}

async fn highlights_are_utf16_ranges(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    create_post(&app, &alice, "😀 Hello there, hello again").await;
    let hits = search_posts(&app, None, "hel").await;
    // The emoji is two UTF-16 code units, then a space.
    assert_eq!(
        hits[0]["highlights"],
        json!([{"start": 3, "end": 6}, {"start": 16, "end": 19}])
    );
    create_post(&app, &alice, "나는 서울에서 왔어요").await;
    let hits = search_posts(&app, None, "서울").await;
    assert_eq!(hits[0]["highlights"], json!([{"start": 3, "end": 5}]));

    let ab = cid(&direct(&app, &alice, &bob).await);
    send(&app, &alice, &ab, "🎉🎉 party time").await;
    let page = expect_json(
        search_messages_raw(&app, &bob.access_token, "party", &[]).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        page["items"][0]["highlights"],
        json!([{"start": 5, "end": 10}])
    );
}
