//! Threaded comments: `/api/v1/posts/{id}/comments` (top level, oldest
//! first), replies to any depth with `reply_count` and the post's
//! `comment_count`, `/api/v1/comments/{id}/replies`, and deletion by the
//! comment's or the post's author, which takes the whole sub-thread along.

use crate::helpers::*;
use crate::social_support::*;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    comments_are_listed_oldest_first,
    top_level_comments_page_without_duplicates_or_skips,
    replies_nest_to_any_depth_and_are_counted,
    a_parent_from_another_post_is_422_and_stores_nothing,
    comment_text_rules_and_unknown_posts,
    commenting_needs_sign_in,
    who_may_delete_a_comment,
    deleting_a_comment_removes_its_sub_thread,
    concurrent_replies_and_deletions_keep_exact_counts,
);

async fn comments_are_listed_oldest_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let post = id_of(&create_post(&app, &alice, "talk to me").await);

    let first = comment(&app, &bob, &post, "  first!  ", None).await;
    assert_eq!(first["text"], "first!", "trimmed");
    assert_recent(&first["created_at"]);
    let second = comment(&app, &carol, &post, "second", None).await;
    let third = comment(&app, &bob, &post, "third", None).await;

    let listed = top_comments(&app, &post).await;
    assert_eq!(ids(&listed), ids(&[first.clone(), second, third]));
    assert_eq!(listed[0], first, "listed as created");
    for c in &listed {
        assert_comment_shape(c);
    }
    assert_eq!(comment_count(&app, &post).await, 3);
    // Signed in or not, the same list.
    let (as_bob, _) = page(
        &app,
        Some(&bob.access_token),
        &format!("/api/v1/posts/{post}/comments"),
    )
    .await;
    assert_eq!(as_bob, listed);
}

async fn top_level_comments_page_without_duplicates_or_skips(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let post = id_of(&create_post(&app, &alice, "many comments").await);
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(id_of(
            &comment(&app, &alice, &post, &format!("c{i}"), None).await,
        ));
    }
    let parent = created[0].clone();
    let mut replies_made = Vec::new();
    for i in 0..5 {
        replies_made.push(id_of(
            &comment(&app, &alice, &post, &format!("r{i}"), Some(&parent)).await,
        ));
    }

    let path = format!("/api/v1/posts/{post}/comments");
    let pages = all_pages(&app, None, &path, 2).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 2, 1], "replies are not top-level comments");
    let listed = ids(&pages.into_iter().flatten().collect::<Vec<_>>());
    assert_eq!(listed, created);

    let reply_path = format!("/api/v1/comments/{parent}/replies");
    let pages = all_pages(&app, None, &reply_path, 2).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(
        ids(&pages.into_iter().flatten().collect::<Vec<_>>()),
        replies_made,
        "replies oldest first"
    );

    assert_page_params_checked(&app, None, &path).await;
    assert_page_params_checked(&app, None, &reply_path).await;
}

async fn replies_nest_to_any_depth_and_are_counted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let post = id_of(&create_post(&app, &alice, "a thread").await);

    let top = comment(&app, &bob, &post, "top", None).await;
    let top_id = id_of(&top);
    let r1 = id_of(&comment(&app, &carol, &post, "reply", Some(&top_id)).await);
    let r2 = id_of(&comment(&app, &alice, &post, "reply to a reply", Some(&r1)).await);
    let r3 = id_of(&comment(&app, &bob, &post, "three deep", Some(&r2)).await);
    let sibling = id_of(&comment(&app, &alice, &post, "another reply", Some(&top_id)).await);
    let other_top = id_of(&comment(&app, &carol, &post, "second top", None).await);

    // Every comment at every depth counts on the post.
    assert_eq!(comment_count(&app, &post).await, 6);

    // Top level: only the two top-level comments, with their reply counts.
    let listed = top_comments(&app, &post).await;
    assert_eq!(ids(&listed), [top_id.clone(), other_top.clone()]);
    assert_eq!(find(&listed, &top_id)["reply_count"], 2, "r1 and sibling");
    assert_eq!(find(&listed, &other_top)["reply_count"], 0);
    assert!(listed.iter().all(|c| c["parent_id"].is_null()));

    let level1 = replies(&app, &top_id).await;
    assert_eq!(ids(&level1), [r1.clone(), sibling.clone()], "oldest first");
    assert!(level1.iter().all(|c| c["parent_id"] == top_id.as_str()));
    assert_eq!(find(&level1, &r1)["reply_count"], 1);
    assert_eq!(find(&level1, &sibling)["reply_count"], 0);
    assert_summary_of(&find(&level1, &r1)["author"], &carol);

    let level2 = replies(&app, &r1).await;
    assert_eq!(ids(&level2), [r2.as_str()]);
    assert_eq!(level2[0]["parent_id"], r1.as_str());
    assert_eq!(level2[0]["reply_count"], 1);
    assert_eq!(level2[0]["text"], "reply to a reply");

    let level3 = replies(&app, &r2).await;
    assert_eq!(ids(&level3), [r3.as_str()]);
    assert_eq!(level3[0]["parent_id"], r2.as_str());
    assert_eq!(level3[0]["reply_count"], 0);
    assert_eq!(level3[0]["post_id"], post.as_str());

    assert!(replies(&app, &r3).await.is_empty());
    assert!(replies(&app, &sibling).await.is_empty());
    for missing in [unknown_id().as_str(), "nope"] {
        assert_error(
            app.get(&format!("/api/v1/comments/{missing}/replies"))
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
}

async fn a_parent_from_another_post_is_422_and_stores_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let post_a = id_of(&create_post(&app, &alice, "post A").await);
    let post_b = id_of(&create_post(&app, &alice, "post B").await);
    let on_a = id_of(&comment(&app, &bob, &post_a, "on A", None).await);

    let missing_parent = unknown_id();
    for parent in [
        json!(on_a),
        json!(missing_parent),
        json!("not-a-uuid"),
        json!(7),
    ] {
        let response = comment_raw(
            &app,
            &bob.access_token,
            &post_b,
            &json!({"text": "misplaced reply", "parent_id": parent}),
        )
        .await;
        assert_invalid(response, "parent_id").await;
    }

    assert_eq!(comment_count(&app, &post_b).await, 0, "nothing on B");
    assert!(top_comments(&app, &post_b).await.is_empty());
    assert_eq!(comment_count(&app, &post_a).await, 1, "A unchanged");
    let on_a_listed = top_comments(&app, &post_a).await;
    assert_eq!(ids(&on_a_listed), [on_a.as_str()]);
    assert_eq!(on_a_listed[0]["reply_count"], 0, "no reply was counted");
    assert!(replies(&app, &on_a).await.is_empty());
}

async fn comment_text_rules_and_unknown_posts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let post = id_of(&create_post(&app, &alice, "post").await);
    let parent = id_of(&comment(&app, &alice, &post, "parent", None).await);
    let token = &alice.access_token;

    for text in ["", "   ", "\n\t "] {
        assert_invalid(
            comment_raw(&app, token, &post, &json!({"text": text})).await,
            "text",
        )
        .await;
        assert_invalid(
            comment_raw(
                &app,
                token,
                &post,
                &json!({"text": text, "parent_id": parent}),
            )
            .await,
            "text",
        )
        .await;
    }
    assert_invalid(comment_raw(&app, token, &post, &json!({})).await, "text").await;

    let missing = unknown_id();
    for bad_post in [missing.as_str(), "not-a-uuid"] {
        assert_error(
            comment_raw(&app, token, bad_post, &json!({"text": "hello?"})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_error(
            app.get(&format!("/api/v1/posts/{bad_post}/comments")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }

    assert_eq!(comment_count(&app, &post).await, 1, "only the parent");
    let listed = top_comments(&app, &post).await;
    assert_eq!(ids(&listed), [parent.as_str()]);
    assert_eq!(listed[0]["reply_count"], 0);
}

async fn commenting_needs_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let post = id_of(&create_post(&app, &alice, "post").await);
    let c = id_of(&comment(&app, &alice, &post, "mine", None).await);

    let anonymous = app
        .post_json(
            &format!("/api/v1/posts/{post}/comments"),
            &json!({"text": "anonymous"}),
        )
        .await;
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let anonymous_delete = app
        .client()
        .delete(app.url(&format!("/api/v1/comments/{c}")))
        .send()
        .await
        .expect("anonymous delete");
    assert_error(anonymous_delete, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(comment_count(&app, &post).await, 1);
    assert_eq!(ids(&top_comments(&app, &post).await), [c]);
}

async fn who_may_delete_a_comment(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await; // the post's author
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let post = id_of(&create_post(&app, &alice, "post").await);
    let by_bob = id_of(&comment(&app, &bob, &post, "bob's", None).await);
    let by_bob_too = id_of(&comment(&app, &bob, &post, "bob's again", None).await);
    let by_carol = id_of(&comment(&app, &carol, &post, "carol's", None).await);
    assert_eq!(comment_count(&app, &post).await, 3);

    // A third user may not delete someone else's comment on someone else's post.
    let refused = delete_comment_raw(&app, &carol.access_token, &by_bob).await;
    assert_error_shape(&expect_json(refused, StatusCode::FORBIDDEN).await);
    assert_eq!(comment_count(&app, &post).await, 3, "nothing deleted");
    assert_eq!(
        ids(&top_comments(&app, &post).await),
        [by_bob.clone(), by_bob_too.clone(), by_carol.clone()]
    );

    // The comment's author may.
    expect_status(
        delete_comment_raw(&app, &bob.access_token, &by_bob).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    // The post's author may delete anyone's comment on their post.
    expect_status(
        delete_comment_raw(&app, &alice.access_token, &by_carol).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(comment_count(&app, &post).await, 1);
    assert_eq!(ids(&top_comments(&app, &post).await), [by_bob_too.as_str()]);

    // Gone is gone; unknown ids are 404 whoever asks.
    for id in [by_bob.as_str(), by_carol.as_str(), &unknown_id(), "nope"] {
        assert_error(
            delete_comment_raw(&app, &alice.access_token, id).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert_eq!(comment_count(&app, &post).await, 1, "not uncounted twice");
}

/// The reply count of `id` as its parent's listing shows it.
async fn listed_reply_count(app: &TestApp, post: &str, parent: Option<&str>, id: &str) -> Value {
    let list = match parent {
        Some(parent) => replies(app, parent).await,
        None => top_comments(app, post).await,
    };
    find(&list, id)["reply_count"].clone()
}

async fn deleting_a_comment_removes_its_sub_thread(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let post = id_of(&create_post(&app, &alice, "post").await);
    // top ─┬─ r1 ── r2 ── r3
    //      └─ sibling
    // other_top
    let top = id_of(&comment(&app, &bob, &post, "top", None).await);
    let r1 = id_of(&comment(&app, &bob, &post, "r1", Some(&top)).await);
    let r2 = id_of(&comment(&app, &alice, &post, "r2", Some(&r1)).await);
    let r3 = id_of(&comment(&app, &bob, &post, "r3", Some(&r2)).await);
    let sibling = id_of(&comment(&app, &alice, &post, "sibling", Some(&top)).await);
    let other_top = id_of(&comment(&app, &alice, &post, "other", None).await);
    assert_eq!(comment_count(&app, &post).await, 6);
    assert_eq!(listed_reply_count(&app, &post, None, &top).await, 2);

    // Bob deletes his reply r1: r2 and r3 go with it (3 comments).
    expect_status(
        delete_comment_raw(&app, &bob.access_token, &r1).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(comment_count(&app, &post).await, 3, "6 - sub-thread of 3");
    assert_eq!(
        listed_reply_count(&app, &post, None, &top).await,
        1,
        "the parent lost one direct reply"
    );
    assert_eq!(ids(&replies(&app, &top).await), [sibling.as_str()]);
    for gone in [&r1, &r2, &r3] {
        assert_error(
            app.get(&format!("/api/v1/comments/{gone}/replies")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_error(
            delete_comment_raw(&app, &alice.access_token, gone).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert_eq!(
        comment_count(&app, &post).await,
        3,
        "a 404 uncounts nothing"
    );

    // The post's author deletes the top comment: it and its last reply go.
    expect_status(
        delete_comment_raw(&app, &alice.access_token, &top).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(comment_count(&app, &post).await, 1);
    assert_eq!(ids(&top_comments(&app, &post).await), [other_top.as_str()]);
    assert_eq!(listed_reply_count(&app, &post, None, &other_top).await, 0);

    // Counting still works afterwards.
    comment(&app, &bob, &post, "new reply", Some(&other_top)).await;
    assert_eq!(comment_count(&app, &post).await, 2);
    assert_eq!(listed_reply_count(&app, &post, None, &other_top).await, 1);
}

async fn concurrent_replies_and_deletions_keep_exact_counts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let post = id_of(&create_post(&app, &alice, "busy thread").await);
    let top = id_of(&comment(&app, &alice, &post, "top", None).await);
    let users = signup_many(&app, "user", 16).await;

    // Sixteen replies to the same comment at once.
    let made = join_all(users.iter().map(|u| async {
        let body = json!({"text": format!("reply by {}", u.username()), "parent_id": top});
        comment_raw(&app, &u.access_token, &post, &body).await
    }))
    .await;
    let mut replies_made = Vec::new();
    for response in made {
        replies_made.push(id_of(&expect_json(response, StatusCode::CREATED).await));
    }
    assert_eq!(comment_count(&app, &post).await, 17);
    assert_eq!(listed_reply_count(&app, &post, None, &top).await, 16);
    assert_eq!(replies(&app, &top).await.len(), 16);

    // Half of them delete their reply while the other half reply again.
    let deletions = users[..8]
        .iter()
        .zip(&replies_made[..8])
        .map(|(u, id)| delete_comment_raw(&app, &u.access_token, id));
    let again = json!({"text": "again", "parent_id": top});
    let additions = users[8..]
        .iter()
        .map(|u| comment_raw(&app, &u.access_token, &post, &again));
    let (deleted, added) = futures::join!(join_all(deletions), join_all(additions));
    for response in deleted {
        expect_status(response, StatusCode::NO_CONTENT).await;
    }
    for response in added {
        expect_json(response, StatusCode::CREATED).await;
    }
    assert_eq!(comment_count(&app, &post).await, 17, "1 + 16 - 8 + 8");
    assert_eq!(listed_reply_count(&app, &post, None, &top).await, 16);
    assert_eq!(replies(&app, &top).await.len(), 16);
}
