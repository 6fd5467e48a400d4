//! Following (`PUT`/`DELETE /api/v1/users/{username}/follow`), follower and
//! following lists, the relationship flags and counters on `User`, and user
//! search (`GET /api/v1/users?q=`).

use crate::helpers::*;
use crate::social_support::*;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::HashSet;

both_backends!(
    following_is_idempotent_and_counted,
    unfollowing_is_idempotent,
    following_yourself_is_422_and_unknown_users_are_404,
    follow_needs_sign_in,
    follower_lists_page_without_duplicates_or_skips,
    following_lists_page_without_duplicates_or_skips,
    follower_lists_check_their_parameters,
    concurrent_follows_are_all_counted,
    relationship_flags_depend_on_the_viewer,
    profile_counters_are_exact,
    user_search_matches_username_and_display_name_prefixes,
    user_search_treats_wildcards_literally,
    user_search_folds_case_beyond_ascii,
    user_search_rejects_an_empty_query_and_pages,
    user_search_checks_its_page_parameters,
);

async fn following_is_idempotent_and_counted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    app.signup("bob").await;

    let bob = follow(&app, &alice, "bob").await;
    assert_eq!(bob["username"], "bob");
    assert_eq!(bob["followed_by_me"], true, "{bob}");
    assert_eq!(bob["follows_me"], false, "{bob}");
    assert_eq!(bob["followers_count"], 1, "{bob}");
    assert_eq!(bob["following_count"], 0, "{bob}");
    assert!(bob.get("email").is_none(), "a User, not a Me: {bob}");

    // Again: 200, nothing changes (not a 409).
    let again = follow(&app, &alice, "bob").await;
    assert_eq!(again["followed_by_me"], true);
    assert_eq!(again["followers_count"], 1, "still one follower: {again}");
    // The username is case-insensitive here too.
    let upper = follow(&app, &alice, "BOB").await;
    assert_eq!(upper["followers_count"], 1, "{upper}");

    assert_eq!(counts(&app, "bob").await, (1, 0, 0));
    assert_eq!(counts(&app, "alice").await, (0, 1, 0));
    let followers = all_items(&app, None, "/api/v1/users/bob/followers", 100).await;
    assert_eq!(usernames(&followers), ["alice"]);
    assert_summary_of(&followers[0], &alice);
}

async fn unfollowing_is_idempotent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    app.signup("bob").await;
    follow(&app, &alice, "bob").await;

    let bob = unfollow(&app, &alice, "bob").await;
    assert_eq!(bob["followed_by_me"], false, "{bob}");
    assert_eq!(bob["followers_count"], 0, "{bob}");
    let again = unfollow(&app, &alice, "bob").await;
    assert_eq!(again["followed_by_me"], false, "{again}");
    assert_eq!(again["followers_count"], 0, "never below zero: {again}");

    assert_eq!(counts(&app, "bob").await, (0, 0, 0));
    assert_eq!(counts(&app, "alice").await, (0, 0, 0));
    assert!(
        all_items(&app, None, "/api/v1/users/bob/followers", 100)
            .await
            .is_empty()
    );
    assert!(
        all_items(&app, None, "/api/v1/users/alice/following", 100)
            .await
            .is_empty()
    );

    // Unfollowing someone never followed is fine too, and following again counts once.
    app.signup("carol").await;
    let carol = unfollow(&app, &alice, "carol").await;
    assert_eq!(carol["followers_count"], 0);
    let bob = follow(&app, &alice, "bob").await;
    assert_eq!(bob["followers_count"], 1);
    assert_eq!(counts(&app, "alice").await, (0, 1, 0));
}

async fn following_yourself_is_422_and_unknown_users_are_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;

    for name in ["alice", "ALICE"] {
        for follow in [true, false] {
            let response = follow_raw(&app, &alice, name, follow).await;
            if follow {
                assert_error(
                    response,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                )
                .await;
            } else {
                // Unfollowing yourself is either the same 422 or a harmless no-op.
                let status = response.status();
                assert!(
                    status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::OK,
                    "unfollowing yourself: {status}"
                );
            }
        }
    }
    for follow in [true, false] {
        assert_error(
            follow_raw(&app, &alice, "nobody_here", follow).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    for list in ["followers", "following"] {
        assert_error(
            app.get(&format!("/api/v1/users/nobody_here/{list}")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }

    assert_eq!(counts(&app, "alice").await, (0, 0, 0), "nothing counted");
    assert!(
        all_items(&app, None, "/api/v1/users/alice/followers", 100)
            .await
            .is_empty()
    );
    assert!(
        all_items(&app, None, "/api/v1/users/alice/following", 100)
            .await
            .is_empty()
    );
}

async fn follow_needs_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("bob").await;
    for method in [reqwest::Method::PUT, reqwest::Method::DELETE] {
        let response = app
            .client()
            .request(method, app.url("/api/v1/users/bob/follow"))
            .send()
            .await
            .expect("anonymous follow");
        assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    assert_eq!(counts(&app, "bob").await, (0, 0, 0));
}

/// `bob` and five followers who follow him one after the other.
async fn five_followers(app: &TestApp) -> Vec<Session> {
    app.signup("bob").await;
    let fans = signup_in_order(app, "fan", 5).await;
    for fan in &fans {
        follow(app, fan, "bob").await;
    }
    fans
}

async fn follower_lists_page_without_duplicates_or_skips(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let fans = five_followers(&app).await;

    let pages = all_pages(&app, None, "/api/v1/users/bob/followers", 2).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 2, 1], "5 followers in pages of 2");
    let listed: Vec<Value> = pages.into_iter().flatten().collect();
    for item in &listed {
        assert_summary_shape(item);
    }
    let names = usernames(&listed);
    assert_unique(&names, "followers");
    // Newest first: the last to follow comes first.
    let expected: Vec<String> = fans.iter().rev().map(|f| f.username().to_owned()).collect();
    assert_eq!(names, expected);
    // One page of everything says the same.
    let (all, next) = page(&app, None, "/api/v1/users/bob/followers?limit=5").await;
    assert_eq!(usernames(&all), expected);
    assert_eq!(next, None, "no next page when everything fitted");
    assert_eq!(counts(&app, "bob").await.0, 5);

    // An unfollow between pages neither duplicates nor skips the others.
    let (first, cursor) = page(&app, None, "/api/v1/users/bob/followers?limit=2").await;
    assert_eq!(usernames(&first), expected[..2]);
    unfollow(&app, &fans[0], "bob").await; // the oldest, on a later page
    let cursor = cursor.expect("more followers");
    let rest = all_items(
        &app,
        None,
        &with_query("/api/v1/users/bob/followers", &[("cursor", &cursor)]),
        2,
    )
    .await;
    assert_eq!(usernames(&rest), expected[2..4]);
}

async fn following_lists_page_without_duplicates_or_skips(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let idols = signup_in_order(&app, "idol", 5).await;
    for idol in &idols {
        follow(&app, &alice, idol.username()).await;
    }
    let pages = all_pages(&app, None, "/api/v1/users/alice/following", 2).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 2, 1]);
    let names = usernames(&pages.into_iter().flatten().collect::<Vec<_>>());
    assert_unique(&names, "following");
    let expected: Vec<String> = idols
        .iter()
        .rev()
        .map(|f| f.username().to_owned())
        .collect();
    assert_eq!(names, expected);
    assert_eq!(counts(&app, "alice").await, (0, 5, 0));
    // Each idol has exactly one follower.
    for idol in &idols {
        let followers = all_items(
            &app,
            None,
            &format!("/api/v1/users/{}/followers", idol.username()),
            10,
        )
        .await;
        assert_eq!(usernames(&followers), ["alice"]);
    }
}

async fn follower_lists_check_their_parameters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    five_followers(&app).await;
    for list in ["followers", "following"] {
        assert_page_params_checked(&app, None, &format!("/api/v1/users/bob/{list}")).await;
    }
}

async fn concurrent_follows_are_all_counted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("star").await;
    let users = signup_many(&app, "user", 16).await;

    // Sixteen people follow the same user at once.
    let responses = join_all(users.iter().map(|u| follow_raw(&app, u, "star", true))).await;
    for response in responses {
        expect_json(response, StatusCode::OK).await;
    }
    assert_eq!(counts(&app, "star").await, (16, 0, 0));
    for u in &users {
        assert_eq!(counts(&app, u.username()).await, (0, 1, 0));
    }

    // Pairs follow each other at the same moment, a few rounds (follow, then
    // unfollow): every request succeeds and every counter is exact.
    let pairs: Vec<(&Session, &Session)> = users.chunks(2).map(|p| (&p[0], &p[1])).collect();
    for round in 0..4 {
        let on = round % 2 == 0;
        let requests = pairs.iter().flat_map(|(a, b)| {
            [
                follow_raw(&app, a, b.username(), on),
                follow_raw(&app, b, a.username(), on),
            ]
        });
        for response in join_all(requests).await {
            expect_json(response, StatusCode::OK).await;
        }
        let n = i64::from(on);
        for u in &users {
            assert_eq!(
                counts(&app, u.username()).await,
                (n, 1 + n, 0),
                "round {round}: {}",
                u.username()
            );
        }
    }
    assert_eq!(counts(&app, "star").await, (16, 0, 0));
}

async fn relationship_flags_depend_on_the_viewer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    follow(&app, &alice, "bob").await;

    let flags = |user: &Value| (user["followed_by_me"].clone(), user["follows_me"].clone());
    let t = Value::Bool(true);
    let f = Value::Bool(false);

    let seen = user_as(&app, Some(&alice), "bob").await;
    assert_eq!(flags(&seen), (t.clone(), f.clone()), "alice → bob: {seen}");
    let seen = user_as(&app, Some(&bob), "alice").await;
    assert_eq!(flags(&seen), (f.clone(), t.clone()), "bob ← alice: {seen}");
    let seen = user_as(&app, Some(&carol), "bob").await;
    assert_eq!(flags(&seen), (f.clone(), f.clone()), "carol: {seen}");

    follow(&app, &bob, "alice").await;
    let seen = user_as(&app, Some(&alice), "bob").await;
    assert_eq!(flags(&seen), (t.clone(), t.clone()), "mutual: {seen}");
    let seen = user_as(&app, Some(&bob), "alice").await;
    assert_eq!(flags(&seen), (t.clone(), t.clone()), "mutual: {seen}");

    unfollow(&app, &alice, "bob").await;
    let seen = user_as(&app, Some(&alice), "bob").await;
    assert_eq!(
        flags(&seen),
        (f.clone(), t.clone()),
        "after unfollow: {seen}"
    );

    // Signed out: the flags are absent, not false.
    for name in ["alice", "bob"] {
        let seen = user_as(&app, None, name).await;
        assert!(seen.get("followed_by_me").is_none(), "{seen}");
        assert!(seen.get("follows_me").is_none(), "{seen}");
    }
}

async fn profile_counters_are_exact(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;

    follow(&app, &alice, "bob").await;
    follow(&app, &alice, "carol").await;
    follow(&app, &bob, "alice").await;
    follow(&app, &carol, "alice").await;
    follow(&app, &carol, "bob").await;
    create_post(&app, &alice, "one").await;
    create_post(&app, &alice, "two").await;
    create_post(&app, &carol, "three").await;

    // (followers, following, posts)
    assert_eq!(counts(&app, "alice").await, (2, 2, 2));
    assert_eq!(counts(&app, "bob").await, (2, 1, 0));
    assert_eq!(counts(&app, "carol").await, (1, 2, 1));

    unfollow(&app, &carol, "bob").await;
    unfollow(&app, &carol, "bob").await;
    assert_eq!(counts(&app, "bob").await, (1, 1, 0));
    assert_eq!(counts(&app, "carol").await, (1, 1, 1));
    // The follow response carries the fresh counters, as the viewer sees them.
    let seen = user_as(&app, Some(&carol), "alice").await;
    assert_eq!(seen["followers_count"], 2);
    assert_eq!(seen["following_count"], 2);
    assert_eq!(seen["posts_count"], 2);
}

async fn search(app: &TestApp, q: &str) -> Vec<String> {
    let items = all_items(app, None, &with_query("/api/v1/users", &[("q", q)]), 100).await;
    for item in &items {
        assert_summary_shape(item);
    }
    let mut names = usernames(&items);
    assert_unique(&names, q);
    names.sort();
    names
}

async fn user_search_matches_username_and_display_name_prefixes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("rustacean").await;
    let rusty = app.signup("rusty").await;
    let bob = app.signup("bob").await;
    app.signup("carol").await;
    set_display_name(&app, &rusty, "Old Nail").await;
    set_display_name(&app, &bob, "Rustle Leaves").await;

    for q in ["rust", "RUST", "Rust"] {
        assert_eq!(
            search(&app, q).await,
            ["bob", "rustacean", "rusty"],
            "q={q:?}: two usernames and one display name start with it"
        );
    }
    for q in ["old", "OLD N", "old nail"] {
        assert_eq!(
            search(&app, q).await,
            ["rusty"],
            "display name prefix {q:?}"
        );
    }
    assert_eq!(search(&app, "rustl").await, ["bob"]);
    assert_eq!(search(&app, "car").await, ["carol"]);
    // Prefixes only: inner substrings do not match.
    for q in ["ust", "nail", "leaves", "arol", "zzz"] {
        assert!(search(&app, q).await.is_empty(), "q={q:?} is no prefix");
    }
}

async fn user_search_treats_wildcards_literally(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.signup("ab_x").await;
    app.signup("abcx").await;
    let percy = app.signup("percy").await;
    set_display_name(&app, &percy, "100% Real").await;

    assert_eq!(search(&app, "ab").await, ["ab_x", "abcx"]);
    assert_eq!(search(&app, "ab_").await, ["ab_x"], "`_` is not a wildcard");
    assert_eq!(search(&app, "_").await, Vec::<String>::new());
    assert_eq!(
        search(&app, "%").await,
        Vec::<String>::new(),
        "`%` matches itself only"
    );
    assert_eq!(search(&app, "ab%").await, Vec::<String>::new());
    assert_eq!(search(&app, "a%x").await, Vec::<String>::new());
    assert_eq!(search(&app, "100%").await, ["percy"]);
    assert_eq!(search(&app, "100% r").await, ["percy"]);
    assert_eq!(search(&app, "10%").await, Vec::<String>::new());
    assert_eq!(search(&app, "1_0").await, Vec::<String>::new());
    assert_eq!(search(&app, "\\").await, Vec::<String>::new());
}

async fn user_search_folds_case_beyond_ascii(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let emile = app.signup("emile").await;
    let yaroslav = app.signup("yaroslav").await;
    app.signup("other").await;
    set_display_name(&app, &emile, "Émile Zola").await;
    set_display_name(&app, &yaroslav, "Ярослав").await;

    // The exact spelling, and other cases: display names are not all ASCII.
    for q in ["Émile", "émile", "ÉMILE", "émile z"] {
        assert_eq!(search(&app, q).await, ["emile"], "q={q:?}");
    }
    for q in ["Ярослав", "ярослав", "ЯРО"] {
        assert_eq!(search(&app, q).await, ["yaroslav"], "q={q:?}");
    }
}

async fn user_search_rejects_an_empty_query_and_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let users = signup_many(&app, "member", 5).await;
    app.signup("other").await;

    for path in ["/api/v1/users?q=", "/api/v1/users"] {
        assert_error(
            app.get(path).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }

    // Pages of 2 over five matches: no duplicates, no skips, null at the end.
    let pages = all_pages(&app, None, "/api/v1/users?q=mem", 2).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 2, 1]);
    let found: HashSet<String> = usernames(&pages.into_iter().flatten().collect::<Vec<_>>())
        .into_iter()
        .collect();
    let expected: HashSet<String> = users.iter().map(|u| u.username().to_owned()).collect();
    assert_eq!(found, expected);
}

async fn user_search_checks_its_page_parameters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    signup_many(&app, "member", 3).await;
    // Like every list: limit 1–100, and a cursor the server did not make is 422.
    assert_page_params_checked(&app, None, "/api/v1/users?q=mem").await;
}
