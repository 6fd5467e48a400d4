//! `PUT`/`DELETE /api/v1/posts/{id}/like`: idempotent likes, an exact
//! `like_count` under concurrency, and `liked_by_me` per viewer.

use crate::helpers::*;
use crate::social_support::*;
use futures::future::join_all;
use reqwest::{Method, StatusCode};

both_backends!(
    liking_is_idempotent_and_counted,
    unliking_is_idempotent,
    liking_an_unknown_post_is_404_and_needs_sign_in,
    concurrent_likes_by_different_users_are_all_counted,
    concurrent_likes_by_one_user_count_once,
    liked_by_me_is_per_viewer_everywhere,
);

async fn liking_is_idempotent_and_counted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let post = create_post(&app, &alice, "like me").await;
    let id = id_of(&post);

    let liked = like(&app, &bob, &id).await;
    assert_eq!(liked["id"], id.as_str());
    assert_eq!(liked["like_count"], 1, "{liked}");
    assert_eq!(liked["liked_by_me"], true, "{liked}");
    assert_eq!(liked["text"], "like me");

    let again = like(&app, &bob, &id).await;
    assert_eq!(
        again["like_count"], 1,
        "a second like changes nothing: {again}"
    );
    assert_eq!(again["liked_by_me"], true);

    assert_eq!(like_count(&app, &id).await, 1);
    assert_eq!(get_post(&app, Some(&bob), &id).await["liked_by_me"], true);
    assert_eq!(
        get_post(&app, Some(&alice), &id).await["liked_by_me"],
        false
    );
    assert_eq!(get_post(&app, None, &id).await["liked_by_me"], false);

    // The author may like their own post; it counts like anyone's.
    let own = like(&app, &alice, &id).await;
    assert_eq!(own["like_count"], 2);
    assert_eq!(own["liked_by_me"], true);
}

async fn unliking_is_idempotent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let id = id_of(&create_post(&app, &alice, "like me").await);
    like(&app, &bob, &id).await;
    like(&app, &carol, &id).await;

    let unliked = unlike(&app, &bob, &id).await;
    assert_eq!(unliked["like_count"], 1, "carol's like remains: {unliked}");
    assert_eq!(unliked["liked_by_me"], false);
    let again = unlike(&app, &bob, &id).await;
    assert_eq!(again["like_count"], 1, "a second unlike changes nothing");
    // Someone who never liked it unlikes it: nothing changes either.
    let stranger = unlike(&app, &alice, &id).await;
    assert_eq!(stranger["like_count"], 1);

    let last = unlike(&app, &carol, &id).await;
    assert_eq!(last["like_count"], 0);
    assert_eq!(
        unlike(&app, &carol, &id).await["like_count"],
        0,
        "never below 0"
    );
    assert_eq!(like_count(&app, &id).await, 0);
    assert_eq!(
        get_post(&app, Some(&carol), &id).await["liked_by_me"],
        false
    );

    // Liking again after unliking counts again.
    assert_eq!(like(&app, &bob, &id).await["like_count"], 1);
}

async fn liking_an_unknown_post_is_404_and_needs_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let id = id_of(&create_post(&app, &alice, "a post").await);

    for missing in [unknown_id().as_str(), "not-a-uuid"] {
        for liking in [true, false] {
            assert_error(
                like_raw(&app, &alice.access_token, missing, liking).await,
                StatusCode::NOT_FOUND,
                "not_found",
            )
            .await;
        }
    }
    for method in [Method::PUT, Method::DELETE] {
        let response = app
            .client()
            .request(method, app.url(&format!("/api/v1/posts/{id}/like")))
            .send()
            .await
            .expect("anonymous like");
        assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    assert_eq!(like_count(&app, &id).await, 0, "nothing counted");
}

async fn concurrent_likes_by_different_users_are_all_counted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let id = id_of(&create_post(&app, &alice, "popular").await);
    let fans = signup_many(&app, "fan", 16).await;

    let responses = join_all(
        fans.iter()
            .map(|fan| like_raw(&app, &fan.access_token, &id, true)),
    )
    .await;
    for response in responses {
        let post = expect_json(response, StatusCode::OK).await;
        assert_eq!(post["liked_by_me"], true, "{post}");
        let count = post["like_count"].as_i64().expect("like_count");
        assert!((1..=16).contains(&count), "{post}");
    }
    assert_eq!(
        like_count(&app, &id).await,
        16,
        "every like is counted once"
    );
    for fan in &fans {
        assert_eq!(get_post(&app, Some(fan), &id).await["liked_by_me"], true);
    }

    let responses = join_all(
        fans.iter()
            .map(|fan| like_raw(&app, &fan.access_token, &id, false)),
    )
    .await;
    for response in responses {
        let post = expect_json(response, StatusCode::OK).await;
        assert_eq!(post["liked_by_me"], false, "{post}");
    }
    assert_eq!(
        like_count(&app, &id).await,
        0,
        "every unlike is counted once"
    );
    for fan in &fans {
        assert_eq!(get_post(&app, Some(fan), &id).await["liked_by_me"], false);
    }
}

async fn concurrent_likes_by_one_user_count_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let id = id_of(&create_post(&app, &alice, "mash the button").await);

    let responses = join_all((0..8).map(|_| like_raw(&app, &bob.access_token, &id, true))).await;
    for response in responses {
        let post = expect_json(response, StatusCode::OK).await;
        assert_eq!(post["like_count"], 1, "{post}");
    }
    assert_eq!(like_count(&app, &id).await, 1);

    let responses = join_all((0..8).map(|_| like_raw(&app, &bob.access_token, &id, false))).await;
    for response in responses {
        let post = expect_json(response, StatusCode::OK).await;
        assert_eq!(post["like_count"], 0, "{post}");
    }
    assert_eq!(like_count(&app, &id).await, 0);
}

async fn liked_by_me_is_per_viewer_everywhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let first = id_of(&create_post(&app, &alice, "first #both").await);
    let second = id_of(&create_post(&app, &alice, "second #both").await);
    like(&app, &bob, &first).await;
    like(&app, &carol, &second).await;
    follow(&app, &bob, "alice").await;
    follow(&app, &carol, "alice").await;

    // (viewer, liked first?, liked second?)
    let cases = [
        (Some(&bob), true, false),
        (Some(&carol), false, true),
        (Some(&alice), false, false),
        (None, false, false),
    ];
    for (viewer, first_liked, second_liked) in cases {
        let token = viewer.map(|v| v.access_token.as_str());
        let mut feeds = vec![
            "/api/v1/posts",
            "/api/v1/posts?author=alice",
            "/api/v1/tags/both/posts",
        ];
        if viewer.is_some() {
            feeds.push("/api/v1/timeline");
        }
        for feed in feeds {
            let items = all_items(&app, token, feed, 10).await;
            assert_eq!(items.len(), 2, "{feed}");
            for post in &items {
                let expected = if post["id"] == first.as_str() {
                    first_liked
                } else {
                    second_liked
                };
                assert_eq!(
                    post["liked_by_me"],
                    expected,
                    "{feed} as {:?}: {post}",
                    viewer.map(Session::username)
                );
                assert_eq!(post["like_count"], 1, "{feed}: {post}");
            }
        }
        assert_eq!(
            get_post(&app, viewer, &first).await["liked_by_me"],
            first_liked
        );
        assert_eq!(
            get_post(&app, viewer, &second).await["liked_by_me"],
            second_liked
        );
    }
}
