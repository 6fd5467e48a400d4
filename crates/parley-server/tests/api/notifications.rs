//! `GET /api/v1/notifications`: follows, likes, comments, replies and
//! `@mentions` of me, newest first, each unread until marked; the unread
//! count; and `POST /api/v1/notifications/read` (some ids, or all).

use crate::helpers::*;
use crate::social_support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashSet;

both_backends!(
    follows_likes_and_comments_notify_the_owner,
    replies_notify_the_parent_comments_author,
    mentions_in_posts_and_comments_notify_the_mentioned,
    editing_a_post_notifies_only_newly_mentioned_users,
    nobody_is_notified_of_their_own_actions,
    notifications_are_listed_newest_first_and_unread,
    marking_some_read_by_id_touches_only_those,
    marking_all_read_with_an_empty_body,
    notifications_need_sign_in,
);

/// What each user has already seen, to pick out what a step added.
#[derive(Default)]
struct Seen(HashSet<String>);

impl Seen {
    /// `who`'s notifications that were not there at the last call.
    async fn new_for(&mut self, app: &TestApp, who: &Session) -> Vec<Value> {
        notifications(app, who)
            .await
            .into_iter()
            .filter(|n| self.0.insert(id_of(n)))
            .collect()
    }
}

/// Asserts `list` is exactly one unread notification of `kind` by `actor`
/// about `post` / `comment`; returns it.
fn assert_one(
    list: &[Value],
    kind: &str,
    actor: &Session,
    post: Option<&str>,
    comment: Option<&str>,
) -> Value {
    assert_eq!(list.len(), 1, "expected one {kind} notification: {list:#?}");
    let n = &list[0];
    assert_eq!(n["kind"], kind, "{n}");
    assert_summary_of(&n["actor"], actor);
    assert_eq!(n["read"], false, "{n}");
    assert_recent(&n["created_at"]);
    match post {
        Some(post) => assert_eq!(n["post_id"], post, "{n}"),
        None => assert!(n["post_id"].is_null(), "{n}"),
    }
    match comment {
        Some(comment) => assert_eq!(n["comment_id"], comment, "{n}"),
        None => assert!(n["comment_id"].is_null(), "{n}"),
    }
    n.clone()
}

async fn follows_likes_and_comments_notify_the_owner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let mut seen = Seen::default();

    follow(&app, &bob, "alice").await;
    assert_one(
        &seen.new_for(&app, &alice).await,
        "follow",
        &bob,
        None,
        None,
    );
    assert!(seen.new_for(&app, &bob).await.is_empty());
    // Following again changes nothing, so it notifies nobody.
    follow(&app, &bob, "alice").await;
    assert!(seen.new_for(&app, &alice).await.is_empty());

    let post = id_of(&create_post(&app, &alice, "my post").await);
    like(&app, &bob, &post).await;
    assert_one(
        &seen.new_for(&app, &alice).await,
        "like",
        &bob,
        Some(&post),
        None,
    );
    like(&app, &bob, &post).await;
    assert!(
        seen.new_for(&app, &alice).await.is_empty(),
        "an idempotent second like notifies nobody"
    );

    let c = id_of(&comment(&app, &bob, &post, "nice post", None).await);
    assert_one(
        &seen.new_for(&app, &alice).await,
        "comment",
        &bob,
        Some(&post),
        Some(&c),
    );
    assert!(seen.new_for(&app, &bob).await.is_empty());
    assert!(
        seen.new_for(&app, &carol).await.is_empty(),
        "bystanders hear nothing"
    );
    assert_eq!(unread_count(&app, &alice).await, 3);
    assert_eq!(unread_count(&app, &bob).await, 0);
    assert_eq!(unread_count(&app, &carol).await, 0);
}

async fn replies_notify_the_parent_comments_author(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let post = id_of(&create_post(&app, &alice, "a thread").await);
    let c = id_of(&comment(&app, &bob, &post, "top", None).await);
    let mut seen = Seen::default();
    for who in [&alice, &bob, &carol] {
        seen.new_for(&app, who).await;
    }

    let reply = id_of(&comment(&app, &carol, &post, "a reply", Some(&c)).await);
    assert_one(
        &seen.new_for(&app, &bob).await,
        "reply",
        &carol,
        Some(&post),
        Some(&reply),
    );
    assert!(seen.new_for(&app, &carol).await.is_empty());
    // The post's author may hear of it as a comment on her post, but only once.
    let for_alice = seen.new_for(&app, &alice).await;
    assert!(for_alice.len() <= 1, "{for_alice:#?}");
    for n in &for_alice {
        assert_eq!(n["comment_id"], reply.as_str(), "{n}");
    }

    // A reply to that reply notifies its author (carol), two levels down.
    let deeper = id_of(&comment(&app, &bob, &post, "deeper", Some(&reply)).await);
    assert_one(
        &seen.new_for(&app, &carol).await,
        "reply",
        &bob,
        Some(&post),
        Some(&deeper),
    );
}

async fn mentions_in_posts_and_comments_notify_the_mentioned(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let mut seen = Seen::default();

    // In a post: the user named (any case); unknown names and emails are ignored.
    let post = id_of(
        &create_post(
            &app,
            &carol,
            "hello @Bob and @nobody_here, mail me@example.com",
        )
        .await,
    );
    assert_one(
        &seen.new_for(&app, &bob).await,
        "mention",
        &carol,
        Some(&post),
        None,
    );
    assert!(seen.new_for(&app, &alice).await.is_empty());
    assert!(seen.new_for(&app, &carol).await.is_empty());

    // In a comment: the mentioned user gets a mention, the post's author a comment.
    let c = id_of(&comment(&app, &alice, &post, "cc @bob", None).await);
    assert_one(
        &seen.new_for(&app, &bob).await,
        "mention",
        &alice,
        Some(&post),
        Some(&c),
    );
    assert_one(
        &seen.new_for(&app, &carol).await,
        "comment",
        &alice,
        Some(&post),
        Some(&c),
    );
    assert!(seen.new_for(&app, &alice).await.is_empty());

    // Named three times in one post: one notification.
    let again = id_of(&create_post(&app, &alice, "@bob @BOB @bob!").await);
    assert_one(
        &seen.new_for(&app, &bob).await,
        "mention",
        &alice,
        Some(&again),
        None,
    );
}

async fn editing_a_post_notifies_only_newly_mentioned_users(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let mut seen = Seen::default();
    let post = id_of(&create_post(&app, &alice, "hi @bob").await);
    assert_eq!(seen.new_for(&app, &bob).await.len(), 1);

    expect_json(
        app.bearer_patch(
            &alice.access_token,
            &format!("/api/v1/posts/{post}"),
            &json!({"text": "hi @bob and @carol"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_one(
        &seen.new_for(&app, &carol).await,
        "mention",
        &alice,
        Some(&post),
        None,
    );
    assert!(
        seen.new_for(&app, &bob).await.is_empty(),
        "bob was already mentioned"
    );
}

async fn nobody_is_notified_of_their_own_actions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;

    let post = id_of(&create_post(&app, &alice, "note to self @alice @ALICE").await);
    like(&app, &alice, &post).await;
    let c = id_of(&comment(&app, &alice, &post, "me again @alice", None).await);
    comment(&app, &alice, &post, "replying to myself", Some(&c)).await;
    assert_error(
        follow_raw(&app, &alice, "alice", true).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // Bob's own things, too.
    let bobs = id_of(&create_post(&app, &bob, "bob's").await);
    like(&app, &bob, &bobs).await;
    comment(&app, &bob, &bobs, "@bob", None).await;

    for who in [&alice, &bob] {
        assert!(
            notifications(&app, who).await.is_empty(),
            "{}: {:#?}",
            who.username(),
            notifications(&app, who).await
        );
        assert_eq!(unread_count(&app, who).await, 0);
    }
}

/// Alice gets a follow, a like and a comment from bob, in that order; returns
/// their ids newest first.
async fn three_for_alice(app: &TestApp, alice: &Session, bob: &Session) -> Vec<String> {
    follow(app, bob, "alice").await;
    let post = id_of(&create_post(app, alice, "post").await);
    like(app, bob, &post).await;
    comment(app, bob, &post, "comment", None).await;
    let listed = notifications(app, alice).await;
    let kinds: Vec<&str> = listed
        .iter()
        .map(|n| n["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["comment", "like", "follow"], "newest first");
    ids(&listed)
}

async fn notifications_are_listed_newest_first_and_unread(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let expected = three_for_alice(&app, &alice, &bob).await;

    let listed = notifications(&app, &alice).await;
    for n in &listed {
        assert_eq!(n["read"], false, "new notifications are unread: {n}");
        assert_summary_of(&n["actor"], &bob);
        assert_recent(&n["created_at"]);
    }
    let times: Vec<i64> = listed
        .iter()
        .map(|n| rfc3339_millis(n["created_at"].as_str().expect("created_at")))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    assert_eq!(unread_count(&app, &alice).await, 3);

    // Pages of 2: no duplicates, no skips, null at the end.
    let pages = all_pages(&app, Some(&alice.access_token), "/api/v1/notifications", 2).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 1]);
    assert_eq!(
        ids(&pages.into_iter().flatten().collect::<Vec<_>>()),
        expected
    );
    // Reading the list marks nothing read.
    assert_eq!(unread_count(&app, &alice).await, 3);
}

async fn marking_some_read_by_id_touches_only_those(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let ids_for_alice = three_for_alice(&app, &alice, &bob).await;
    follow(&app, &alice, "bob").await;
    let bobs = notifications(&app, &bob).await;
    assert_eq!(bobs.len(), 1);
    let bobs_id = id_of(&bobs[0]);

    // Nothing listed: nothing marked.
    assert_eq!(mark_read(&app, &alice, Some(&json!({"ids": []}))).await, 0);
    assert_eq!(unread_count(&app, &alice).await, 3);

    // Alice marks her oldest one, plus bob's id (not hers) and an unknown id.
    let oldest = ids_for_alice[2].clone();
    let marked = mark_read(
        &app,
        &alice,
        Some(&json!({"ids": [oldest, bobs_id, unknown_id()]})),
    )
    .await;
    assert_eq!(marked, 1, "only her own unread one");
    let listed = notifications(&app, &alice).await;
    for n in &listed {
        let expected = id_of(n) == oldest;
        assert_eq!(n["read"], expected, "{n}");
    }
    assert_eq!(unread_count(&app, &alice).await, 2);
    assert_eq!(
        notifications(&app, &bob).await[0]["read"],
        false,
        "another user's notification is not affected"
    );
    assert_eq!(unread_count(&app, &bob).await, 1);

    // Marking it again changes nothing.
    assert_eq!(
        mark_read(&app, &alice, Some(&json!({"ids": [oldest]}))).await,
        0
    );
    assert_eq!(unread_count(&app, &alice).await, 2);

    // Bad ids are refused and mark nothing.
    let refused = app
        .bearer_post(
            &alice.access_token,
            "/api/v1/notifications/read",
            &json!({"ids": ["not-a-uuid"]}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unread_count(&app, &alice).await, 2);
}

async fn marking_all_read_with_an_empty_body(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    three_for_alice(&app, &alice, &bob).await;
    follow(&app, &alice, "bob").await;

    assert_eq!(mark_read(&app, &alice, None).await, 3);
    assert!(
        notifications(&app, &alice)
            .await
            .iter()
            .all(|n| n["read"] == true)
    );
    assert_eq!(unread_count(&app, &alice).await, 0);
    assert_eq!(unread_count(&app, &bob).await, 1, "bob's stay unread");
    assert_eq!(notifications(&app, &bob).await[0]["read"], false);
    assert_eq!(mark_read(&app, &alice, None).await, 0, "nothing left");

    // New ones after that are unread again.
    let post = id_of(&create_post(&app, &alice, "another").await);
    like(&app, &bob, &post).await;
    assert_eq!(unread_count(&app, &alice).await, 1);
    let listed = notifications(&app, &alice).await;
    assert_eq!(listed.len(), 4);
    assert_eq!(listed[0]["kind"], "like");
    assert_eq!(listed[0]["read"], false);
}

async fn notifications_need_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    follow(&app, &bob, "alice").await;

    for (method, path) in [
        (Method::GET, "/api/v1/notifications"),
        (Method::GET, "/api/v1/notifications/unread_count"),
        (Method::POST, "/api/v1/notifications/read"),
    ] {
        let response = app
            .client()
            .request(method, app.url(path))
            .send()
            .await
            .expect("anonymous request");
        assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    assert_eq!(unread_count(&app, &alice).await, 1, "nothing was marked");
}
