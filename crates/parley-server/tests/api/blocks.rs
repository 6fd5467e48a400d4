//! Blocking and muting (`PUT`/`DELETE /api/v1/users/{username}/block` and
//! `/mute`, `GET /api/v1/users/me/blocks` and `/mutes`): what each hides
//! from whom (feeds, a post, comments, notifications, search, profiles),
//! the follows a block ends, the chat it refuses, and the lists.

use crate::chat_support::*;
use crate::helpers::*;
use crate::social_support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    blocking_is_idempotent_listed_and_lifted,
    blocking_yourself_or_nobody_is_refused,
    a_block_ends_follows_both_ways_and_refuses_new_ones,
    a_block_hides_each_from_the_other,
    a_block_hides_comments_and_refuses_new_ones,
    a_block_silences_notifications_both_ways,
    a_block_refuses_direct_messages_and_new_conversations,
    muting_hides_posts_and_notifications_from_the_muter_only,
    restriction_lists_page_and_need_sign_in,
);

async fn restrict(app: &TestApp, who: &Session, username: &str, what: &str, on: bool) -> Response {
    let path = format!("/api/v1/users/{username}/{what}");
    if on {
        app.bearer_put(&who.access_token, &path, &json!({})).await
    } else {
        app.bearer_delete(&who.access_token, &path, None).await
    }
}

async fn block(app: &TestApp, who: &Session, username: &str) -> Value {
    expect_json(
        restrict(app, who, username, "block", true).await,
        StatusCode::OK,
    )
    .await
}

async fn mute(app: &TestApp, who: &Session, username: &str) -> Value {
    expect_json(
        restrict(app, who, username, "mute", true).await,
        StatusCode::OK,
    )
    .await
}

async fn list_of(app: &TestApp, who: &Session, what: &str) -> Vec<String> {
    usernames(
        &all_items(
            app,
            Some(&who.access_token),
            &format!("/api/v1/users/me/{what}"),
            100,
        )
        .await,
    )
}

async fn feed_as(app: &TestApp, who: &Session, path: &str) -> Vec<String> {
    feed_ids(app, Some(who), path).await
}

type Response = reqwest::Response;

async fn blocking_is_idempotent_listed_and_lifted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    app.signup("bob").await;
    app.signup("carol").await;

    let bob = block(&app, &alice, "bob").await;
    assert_eq!(bob["blocking"], true, "{bob}");
    assert_eq!(bob["muting"], false, "{bob}");
    let again = block(&app, &alice, "BOB").await;
    assert_eq!(again["blocking"], true, "a second block changes nothing");
    block(&app, &alice, "carol").await;
    assert_eq!(list_of(&app, &alice, "blocks").await, ["carol", "bob"]);
    assert_eq!(user_as(&app, Some(&alice), "bob").await["blocking"], true);

    let lifted = expect_json(
        restrict(&app, &alice, "bob", "block", false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(lifted["blocking"], false, "{lifted}");
    expect_status(
        restrict(&app, &alice, "bob", "block", false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list_of(&app, &alice, "blocks").await, ["carol"]);
    assert!(list_of(&app, &alice, "mutes").await.is_empty());
}

async fn blocking_yourself_or_nobody_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    for what in ["block", "mute"] {
        assert_invalid(
            restrict(&app, &alice, "alice", what, true).await,
            "username",
        )
        .await;
        assert_error(
            restrict(&app, &alice, "nobody", what, true).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert!(list_of(&app, &alice, "blocks").await.is_empty());
    assert!(list_of(&app, &alice, "mutes").await.is_empty());
}

async fn a_block_ends_follows_both_ways_and_refuses_new_ones(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    follow(&app, &alice, "bob").await;
    follow(&app, &bob, "alice").await;
    assert_eq!(counts(&app, "bob").await, (1, 1, 0));

    let seen = block(&app, &alice, "bob").await;
    assert_eq!(seen["followed_by_me"], false, "{seen}");
    assert_eq!(seen["follows_me"], false, "{seen}");
    assert_eq!(counts(&app, "bob").await, (0, 0, 0), "counters follow");
    assert_eq!(counts(&app, "alice").await, (0, 0, 0));

    for (who, other) in [(&alice, "bob"), (&bob, "alice")] {
        assert_error(
            follow_raw(&app, who, other, true).await,
            StatusCode::FORBIDDEN,
            "blocked",
        )
        .await;
    }
    assert_eq!(counts(&app, "alice").await, (0, 0, 0), "nothing changed");
    // Lifted: following works again.
    restrict(&app, &alice, "bob", "block", false).await;
    follow(&app, &bob, "alice").await;
}

async fn a_block_hides_each_from_the_other(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    follow(&app, &alice, "bob").await;
    let by_bob = id_of(&create_post(&app, &bob, "bob here #news").await);
    let by_alice = id_of(&create_post(&app, &alice, "alice here #news").await);

    block(&app, &alice, "bob").await;

    for (viewer, hidden, shown) in [(&alice, &by_bob, &by_alice), (&bob, &by_alice, &by_bob)] {
        for path in [
            "/api/v1/posts",
            "/api/v1/tags/news/posts",
            "/api/v1/timeline",
        ] {
            let feed = feed_as(&app, viewer, path).await;
            assert!(!feed.contains(hidden), "{path} as {}", viewer.username());
            if path != "/api/v1/timeline" {
                assert!(feed.contains(shown), "{path} as {}", viewer.username());
            }
        }
        assert_error(
            get_post_raw(&app, Some(viewer), hidden).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_error(
            like_raw(&app, &viewer.access_token, hidden, true).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert_eq!(like_count(&app, &by_bob).await, 0, "no like went through");
    // Nor in post search.
    let found = |who: Option<&Session>| {
        let token = who.map(|s| s.access_token.clone());
        let app = &app;
        async move {
            let hits = all_items(app, token.as_deref(), "/api/v1/search/posts?q=here", 100).await;
            hits.iter().map(|h| id_of(&h["post"])).collect::<Vec<_>>()
        }
    };
    assert_eq!(found(Some(&alice)).await, vec![by_alice.clone()]);
    assert_eq!(found(Some(&bob)).await, vec![by_bob.clone()]);
    assert_eq!(found(None).await.len(), 2, "signed out, both are found");
    // An author page shows nothing across the block.
    assert!(
        feed_as(&app, &alice, "/api/v1/posts?author=bob")
            .await
            .is_empty()
    );
    // Others and signed-out readers see both.
    for viewer in [Some(&carol), None] {
        let all = feed_ids(&app, viewer, "/api/v1/posts").await;
        assert!(all.contains(&by_bob) && all.contains(&by_alice));
    }

    // The blocked one cannot find or open the blocker; the blocker still
    // sees whom they block (to lift it).
    assert_error(
        get_as(&app, Some(&bob.access_token), "/api/v1/users/alice").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let found = |items: Vec<Value>| usernames(&items);
    let bob_finds = found(all_items(&app, Some(&bob.access_token), "/api/v1/users?q=a", 100).await);
    assert!(!bob_finds.contains(&"alice".to_owned()), "{bob_finds:?}");
    let alice_finds =
        found(all_items(&app, Some(&alice.access_token), "/api/v1/users?q=b", 100).await);
    assert!(!alice_finds.contains(&"bob".to_owned()), "{alice_finds:?}");
    let carol_finds =
        found(all_items(&app, Some(&carol.access_token), "/api/v1/users?q=a", 100).await);
    assert!(carol_finds.contains(&"alice".to_owned()), "{carol_finds:?}");
    assert_eq!(user_as(&app, Some(&alice), "bob").await["blocking"], true);
}

async fn a_block_hides_comments_and_refuses_new_ones(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let post = id_of(&create_post(&app, &carol, "what do you think?").await);
    let from_bob = id_of(&comment(&app, &bob, &post, "bob thinks", None).await);
    let from_alice = id_of(&comment(&app, &alice, &post, "alice thinks", None).await);
    let reply = id_of(&comment(&app, &bob, &post, "bob answers", Some(&from_alice)).await);
    let alices_post = id_of(&create_post(&app, &alice, "mine").await);

    block(&app, &bob, "alice").await;

    let comments_as = |who: &Session, path: String| {
        let token = who.access_token.clone();
        let app = &app;
        async move { ids(&all_items(app, Some(&token), &path, 100).await) }
    };
    let top = format!("/api/v1/posts/{post}/comments");
    assert_eq!(
        comments_as(&alice, top.clone()).await,
        vec![from_alice.clone()]
    );
    assert_eq!(comments_as(&bob, top.clone()).await, vec![from_bob]);
    assert_eq!(comments_as(&carol, top.clone()).await.len(), 2);
    let replies = format!("/api/v1/comments/{from_alice}/replies");
    assert!(comments_as(&alice, replies.clone()).await.is_empty());
    assert_eq!(comments_as(&carol, replies).await, [reply]);

    // Bob cannot comment on the post of someone he blocks, nor she on his.
    let body = json!({"text": "hello?"});
    assert_error(
        comment_raw(&app, &bob.access_token, &alices_post, &body).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(comment_count(&app, &alices_post).await, 0);
}

async fn a_block_silences_notifications_both_ways(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let post = id_of(&create_post(&app, &alice, "hi").await);
    like(&app, &bob, &post).await;
    assert_eq!(unread_count(&app, &alice).await, 1);

    block(&app, &alice, "bob").await;
    // Earlier ones are hidden too, in the list and the count.
    assert!(notifications(&app, &alice).await.is_empty());
    assert_eq!(unread_count(&app, &alice).await, 0);
    // A mention across the block notifies nobody, either way.
    create_post(&app, &bob, "hey @alice").await;
    create_post(&app, &alice, "hey @bob").await;
    assert!(notifications(&app, &alice).await.is_empty());
    assert!(notifications(&app, &bob).await.is_empty());
}

async fn a_block_refuses_direct_messages_and_new_conversations(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let dm = cid(&direct(&app, &alice, &bob).await);
    let trip = cid(&group(&app, &alice, &[&bob, &carol], "trip").await);
    send(&app, &bob, &dm, "before").await;

    block(&app, &alice, "bob").await;

    for (who, other) in [(&alice, &bob), (&bob, &alice)] {
        assert_error(
            send_raw(&app, &who.access_token, &dm, &json!({"text": "hello"})).await,
            StatusCode::FORBIDDEN,
            "blocked",
        )
        .await;
        assert_error(
            start_raw(&app, who, &json!({"usernames": [other.username()]})).await,
            StatusCode::FORBIDDEN,
            "blocked",
        )
        .await;
        assert_error(
            start_raw(
                &app,
                who,
                &json!({"usernames": [other.username(), "carol"], "title": "new"}),
            )
            .await,
            StatusCode::FORBIDDEN,
            "blocked",
        )
        .await;
    }
    // The direct history stays readable, with nothing added.
    let history = full_history(&app, &alice, &dm).await;
    assert_eq!(history.len(), 1, "{history:?}");
    // The group they already share goes on.
    send(&app, &bob, &trip, "still here").await;
    let conversations = conversation_ids(&app, &carol).await;
    assert_eq!(
        conversations.len(),
        1,
        "no new group was made: {conversations:?}"
    );
    // Nobody adds someone they block (or are blocked by) to a group.
    let other = cid(&group(&app, &carol, &[&alice], "other").await);
    let add = |who: &Session, name: &str| {
        let token = who.access_token.clone();
        let path = format!("/api/v1/conversations/{other}/members");
        let body = json!({"username": name});
        let app = &app;
        async move { app.bearer_post(&token, &path, &body).await }
    };
    assert_error(add(&alice, "bob").await, StatusCode::FORBIDDEN, "blocked").await;
    // Lifted: talking works again.
    restrict(&app, &alice, "bob", "block", false).await;
    send(&app, &bob, &dm, "after").await;
}

async fn muting_hides_posts_and_notifications_from_the_muter_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    follow(&app, &alice, "bob").await;
    let by_bob = id_of(&create_post(&app, &bob, "loud #news").await);

    let seen = mute(&app, &alice, "bob").await;
    assert_eq!(seen["muting"], true, "{seen}");
    assert_eq!(
        seen["followed_by_me"], true,
        "a mute keeps the follow: {seen}"
    );
    assert_eq!(list_of(&app, &alice, "mutes").await, ["bob"]);

    for path in [
        "/api/v1/posts",
        "/api/v1/tags/news/posts",
        "/api/v1/timeline",
    ] {
        assert!(
            !feed_as(&app, &alice, path).await.contains(&by_bob),
            "{path}"
        );
    }
    // Still on his own page, still openable, still commentable.
    assert!(
        feed_as(&app, &alice, "/api/v1/posts?author=bob")
            .await
            .contains(&by_bob)
    );
    get_post(&app, Some(&alice), &by_bob).await;
    create_post(&app, &bob, "hey @alice").await;
    assert!(notifications(&app, &alice).await.is_empty());
    // Bob notices nothing: he sees her and hears from her.
    let mine = id_of(&create_post(&app, &alice, "hello @bob").await);
    let kinds: Vec<Value> = notifications(&app, &bob)
        .await
        .iter()
        .map(|n| n["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("mention"), json!("follow")], "{kinds:?}");
    assert!(feed_as(&app, &bob, "/api/v1/posts").await.contains(&mine));
    assert_eq!(user_as(&app, Some(&bob), "alice").await["muting"], false);

    expect_status(
        restrict(&app, &alice, "bob", "mute", false).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        feed_as(&app, &alice, "/api/v1/timeline")
            .await
            .contains(&by_bob)
    );
}

async fn restriction_lists_page_and_need_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let others = signup_many(&app, "target", 5).await;
    for other in &others {
        block(&app, &alice, other.username()).await;
        mute(&app, &alice, other.username()).await;
    }
    for what in ["blocks", "mutes"] {
        let path = format!("/api/v1/users/me/{what}");
        let paged = usernames(&all_items(&app, Some(&alice.access_token), &path, 2).await);
        assert_eq!(paged.len(), 5, "{paged:?}");
        assert_unique(&paged, what);
        assert_page_params_checked(&app, Some(&alice.access_token), &path).await;
        assert_error(
            app.get(&path).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    for what in ["block", "mute"] {
        let path = format!("/api/v1/users/{}/{what}", others[0].username());
        assert_error(
            app.client().put(app.url(&path)).send().await.expect("put"),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
}
