//! The feeds: home timeline (own and followed users' posts), a user's posts,
//! the public feed, hashtag feeds and hashtag search; keyset pagination that
//! stays exact while posts arrive; page-parameter validation; and a page
//! costing a fixed number of database operations whatever its size (no N+1).

use crate::helpers::*;
use crate::social_support::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeMap;

both_backends!(
    home_timeline_shows_own_and_followed_posts_only,
    the_timeline_needs_sign_in,
    a_users_feed_and_the_public_feed,
    tag_feeds_work_in_any_script,
    tag_search_finds_prefixes_with_post_counts,
    timeline_pages_stay_exact_while_posts_arrive,
    every_feed_pages_exactly_while_posts_arrive,
    page_parameters_are_validated,
    a_feed_page_costs_the_same_queries_whatever_its_size,
);

async fn home_timeline_shows_own_and_followed_posts_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let a1 = id_of(&create_post(&app, &alice, "alice 1").await);
    let b1 = id_of(&create_post(&app, &bob, "bob 1").await);
    let c1 = id_of(&create_post(&app, &carol, "carol 1").await);

    assert_eq!(
        feed_ids(&app, Some(&alice), "/api/v1/timeline").await,
        [a1.as_str()],
        "only her own before following anyone"
    );

    follow(&app, &alice, "bob").await;
    assert_eq!(
        feed_ids(&app, Some(&alice), "/api/v1/timeline").await,
        [b1.clone(), a1.clone()],
        "own + followed, newest first; not carol's"
    );
    // Following is one-way: bob's timeline does not get alice's posts.
    assert_eq!(
        feed_ids(&app, Some(&bob), "/api/v1/timeline").await,
        [b1.as_str()]
    );
    // New posts of followed users arrive on top.
    let b2 = id_of(&create_post(&app, &bob, "bob 2").await);
    let a2 = id_of(&create_post(&app, &alice, "alice 2").await);
    create_post(&app, &carol, "carol 2").await;
    assert_eq!(
        feed_ids(&app, Some(&alice), "/api/v1/timeline").await,
        [a2.clone(), b2.clone(), b1.clone(), a1.clone()]
    );

    follow(&app, &alice, "carol").await;
    let with_carol = feed_ids(&app, Some(&alice), "/api/v1/timeline").await;
    assert_eq!(with_carol.len(), 6);
    assert!(
        with_carol.contains(&c1),
        "older posts of a new followee appear"
    );

    unfollow(&app, &alice, "bob").await;
    unfollow(&app, &alice, "carol").await;
    assert_eq!(
        feed_ids(&app, Some(&alice), "/api/v1/timeline").await,
        [a2, a1],
        "unfollowing removes their posts"
    );
    // The timeline's posts are full `Post`s.
    let (items, _) = page(&app, Some(&alice.access_token), "/api/v1/timeline").await;
    for post in &items {
        assert_post_shape(post);
        assert_summary_of(&post["author"], &alice);
    }
}

async fn the_timeline_needs_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    create_post(&app, &alice, "hello").await;
    assert_error(
        app.get("/api/v1/timeline").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.bearer_get("garbage", "/api/v1/timeline").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn a_users_feed_and_the_public_feed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    app.signup("carol").await;
    let mut everyone = Vec::new();
    let mut bobs = Vec::new();
    for i in 0..3 {
        everyone.push(id_of(
            &create_post(&app, &alice, &format!("alice {i}")).await,
        ));
        let b = id_of(&create_post(&app, &bob, &format!("bob {i}")).await);
        everyone.push(b.clone());
        bobs.push(b);
    }
    everyone.reverse();
    bobs.reverse();

    // A user's posts, newest first, for anyone (signed in or not).
    assert_eq!(feed_ids(&app, None, "/api/v1/posts?author=bob").await, bobs);
    assert_eq!(
        feed_ids(&app, Some(&alice), "/api/v1/posts?author=bob").await,
        bobs
    );
    let items = all_items(&app, None, "/api/v1/posts?author=bob", 100).await;
    assert!(items.iter().all(|p| p["author"]["username"] == "bob"));
    assert!(
        feed_ids(&app, None, "/api/v1/posts?author=carol")
            .await
            .is_empty(),
        "carol wrote nothing"
    );
    assert_error(
        app.get("/api/v1/posts?author=nobody_here").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The public feed: everyone's posts, newest first, signed in or not.
    assert_eq!(feed_ids(&app, None, "/api/v1/posts").await, everyone);
    assert_eq!(feed_ids(&app, Some(&bob), "/api/v1/posts").await, everyone);
}

async fn tag_feeds_work_in_any_script(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let hello_a = id_of(&create_post(&app, &alice, "#안녕 세계").await);
    let longer = id_of(&create_post(&app, &bob, "#안녕하세요 a longer tag").await);
    let hello_c = id_of(&create_post(&app, &carol, "#Rust and #안녕").await);
    create_post(&app, &alice, "안녕 without a hash").await;

    let path = format!("/api/v1/tags/{}/posts", enc("안녕"));
    assert_eq!(path, "/api/v1/tags/%EC%95%88%EB%85%95/posts");
    assert_eq!(
        feed_ids(&app, None, &path).await,
        [hello_c.clone(), hello_a.clone()],
        "newest first, exact tag only"
    );
    assert_eq!(
        feed_ids(&app, Some(&bob), &path).await,
        [hello_c.clone(), hello_a]
    );
    assert_eq!(
        feed_ids(
            &app,
            None,
            &format!("/api/v1/tags/{}/posts", enc("안녕하세요"))
        )
        .await,
        [longer]
    );
    for rust in ["rust", "Rust", "RUST"] {
        assert_eq!(
            feed_ids(&app, None, &format!("/api/v1/tags/{rust}/posts")).await,
            [hello_c.as_str()],
            "{rust}: tags are case-insensitive"
        );
    }
    assert!(
        feed_ids(&app, None, "/api/v1/tags/nothing/posts")
            .await
            .is_empty(),
        "an unused tag is an empty feed, not an error"
    );
    assert!(!feed_ids(&app, None, "/api/v1/posts").await.is_empty());
    // Something that can never be a tag is refused.
    assert_invalid(app.get("/api/v1/tags/a%20b/posts").await, "tag").await;
}

/// `GET /api/v1/tags?q=` → `{tag: posts}`.
async fn tag_search(app: &TestApp, q: &str) -> BTreeMap<String, i64> {
    let body = expect_json(
        app.get(&with_query("/api/v1/tags", &[("q", q)])).await,
        StatusCode::OK,
    )
    .await;
    let (items, next) = page_of(&body);
    assert_eq!(next, None, "tag search has one page: {body}");
    let mut found = BTreeMap::new();
    for item in items {
        let tag = item["tag"]
            .as_str()
            .unwrap_or_else(|| panic!("TagCount.tag: {item}"))
            .to_owned();
        let posts = item["posts"]
            .as_i64()
            .unwrap_or_else(|| panic!("TagCount.posts: {item}"));
        assert!(found.insert(tag, posts).is_none(), "listed twice: {body}");
    }
    found
}

fn tag_counts(expected: &[(&str, i64)]) -> BTreeMap<String, i64> {
    expected
        .iter()
        .map(|(t, n)| ((*t).to_owned(), *n))
        .collect()
}

async fn tag_search_finds_prefixes_with_post_counts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    create_post(&app, &alice, "#rust #rustacean").await;
    let ruby_post = id_of(&create_post(&app, &bob, "#Rust #ruby").await);
    create_post(&app, &bob, "#python #trust").await;
    create_post(&app, &alice, "#안녕 #안녕하세요").await;
    create_post(&app, &bob, "#안녕").await;
    create_post(&app, &alice, "#under_score #underxscore").await;

    let ru = tag_counts(&[("rust", 2), ("rustacean", 1), ("ruby", 1)]);
    assert_eq!(tag_search(&app, "ru").await, ru, "prefix, with counts");
    assert_eq!(tag_search(&app, "RU").await, ru, "case-insensitive");
    assert_eq!(
        tag_search(&app, "rust").await,
        tag_counts(&[("rust", 2), ("rustacean", 1)])
    );
    assert_eq!(
        tag_search(&app, "안").await,
        tag_counts(&[("안녕", 2), ("안녕하세요", 1)])
    );
    assert_eq!(
        tag_search(&app, "under_").await,
        tag_counts(&[("under_score", 1)]),
        "`_` is not a wildcard"
    );
    assert!(tag_search(&app, "zzz").await.is_empty());
    assert!(tag_search(&app, "ust").await.is_empty(), "prefix only");
    for bad in [
        "/api/v1/tags",
        "/api/v1/tags?q=ru&limit=0",
        "/api/v1/tags?q=ru&limit=101",
    ] {
        assert_error(
            app.get(bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }

    // Counts follow deletions.
    expect_status(
        app.bearer_delete(
            &bob.access_token,
            &format!("/api/v1/posts/{ruby_post}"),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(
        tag_search(&app, "ru").await,
        tag_counts(&[("rust", 1), ("rustacean", 1)])
    );
}

/// Creates `n` posts by `author` one after the other; returns their ids, oldest first.
async fn write_posts(app: &TestApp, author: &Session, label: &str, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(id_of(
            &create_post(app, author, &format!("{label} {i} #page")).await,
        ));
    }
    out
}

async fn timeline_pages_stay_exact_while_posts_arrive(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    follow(&app, &alice, "bob").await;
    let mut originals = Vec::new();
    for i in 0..25 {
        let author = if i % 3 == 0 { &bob } else { &alice };
        originals.push(id_of(
            &create_post(&app, author, &format!("original {i}")).await,
        ));
    }
    originals.reverse(); // newest first
    let token = Some(alice.access_token.as_str());

    let (page1, cursor) = page(&app, token, "/api/v1/timeline?limit=10").await;
    assert_eq!(page1.len(), 10);
    let cursor = cursor.expect("a second page");

    // Five new posts arrive between page loads (from both authors).
    let mut fresh = write_posts(&app, &alice, "fresh", 3).await;
    fresh.extend(write_posts(&app, &bob, "fresh", 2).await);

    let (page2, cursor) = page(
        &app,
        token,
        &with_query("/api/v1/timeline", &[("limit", "10"), ("cursor", &cursor)]),
    )
    .await;
    assert_eq!(page2.len(), 10);
    let cursor = cursor.expect("a third page");
    let (page3, last) = page(
        &app,
        token,
        &with_query("/api/v1/timeline", &[("limit", "10"), ("cursor", &cursor)]),
    )
    .await;
    assert_eq!(page3.len(), 5);
    assert_eq!(last, None, "the last page says so");

    let read: Vec<String> = [page1, page2, page3].iter().flat_map(|p| ids(p)).collect();
    assert_unique(&read, "timeline pages");
    assert_eq!(
        read, originals,
        "every original exactly once, newest first, no skips"
    );
    assert!(
        !read.iter().any(|id| fresh.contains(id)),
        "the new posts are not slipped into older pages"
    );

    // A fresh first page starts with them.
    let (top, _) = page(&app, token, "/api/v1/timeline?limit=5").await;
    let mut newest = fresh.clone();
    newest.reverse();
    assert_eq!(ids(&top), newest);
}

async fn every_feed_pages_exactly_while_posts_arrive(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let mut all = write_posts(&app, &alice, "original", 25).await;
    for feed in [
        "/api/v1/posts",
        "/api/v1/posts?author=alice",
        "/api/v1/tags/page/posts",
    ] {
        let mut expected = all.clone();
        expected.reverse();
        let (first, mut cursor) = page(&app, None, &with_query(feed, &[("limit", "7")])).await;
        let fresh = write_posts(&app, &alice, "fresh", 5).await;
        let mut read = ids(&first);
        while let Some(c) = cursor {
            let (items, next) = page(
                &app,
                None,
                &with_query(feed, &[("limit", "7"), ("cursor", &c)]),
            )
            .await;
            assert!(
                !items.is_empty(),
                "{feed}: a page with a cursor is never empty"
            );
            read.extend(ids(&items));
            cursor = next;
        }
        assert_unique(&read, feed);
        assert_eq!(read, expected, "{feed}: each post once, newest first");
        all.extend(fresh);
    }
}

async fn page_parameters_are_validated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let post = id_of(&create_post(&app, &alice, "#tagged").await);
    let token = Some(alice.access_token.as_str());
    for feed in [
        "/api/v1/timeline",
        "/api/v1/posts",
        "/api/v1/posts?author=alice",
        "/api/v1/tags/tagged/posts",
        "/api/v1/notifications",
        &format!("/api/v1/posts/{post}/comments"),
    ] {
        assert_page_params_checked(&app, token, feed).await;
    }

    // Default page size is 20; the largest is 100.
    write_posts(&app, &alice, "filler", 124).await;
    let (items, next) = page(&app, None, "/api/v1/posts").await;
    assert_eq!(items.len(), 20, "default limit");
    assert!(next.is_some());
    let (items, next) = page(&app, None, "/api/v1/posts?limit=100").await;
    assert_eq!(items.len(), 100);
    assert!(next.is_some());
    assert_eq!(feed_ids(&app, None, "/api/v1/posts").await.len(), 125);
}

/// Database operations one `GET path` costs, and how many items it listed;
/// the smallest of a few measurements, so a stray background query cannot
/// inflate it.
async fn cost_of(app: &TestApp, token: &str, path: &str) -> (u64, usize) {
    let mut best: Option<(u64, usize)> = None;
    for _ in 0..3 {
        let before = app.state.store.operation_count();
        let (items, _) = page(app, Some(token), path).await;
        let cost = app.state.store.operation_count() - before;
        let measured = (cost, items.len());
        if let Some((best_cost, best_len)) = best {
            assert_eq!(best_len, measured.1, "{path}: stable item count");
            best = Some((best_cost.min(cost), best_len));
        } else {
            best = Some(measured);
        }
    }
    best.expect("measured at least once")
}

async fn a_feed_page_costs_the_same_queries_whatever_its_size(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let viewer = app.signup("viewer").await;
    let authors = signup_many(&app, "author", 3).await;
    let likers = signup_many(&app, "liker", 2).await;
    let mut posts = Vec::new();
    for round in 0..10 {
        for (n, author) in authors.iter().enumerate() {
            let post = create_post(
                &app,
                author,
                &format!("post {round} by {n} #feed #round{round} #author{n} @viewer"),
            )
            .await;
            posts.push(id_of(&post));
        }
    }
    for author in &authors {
        follow(&app, &viewer, author.username()).await;
    }
    for (i, id) in posts.iter().enumerate() {
        if i % 2 == 0 {
            like(&app, &viewer, id).await;
        }
        if i % 3 == 0 {
            like(&app, &likers[i % 2], id).await;
        }
        if i % 5 == 0 {
            comment(&app, &likers[0], id, "hi", None).await;
        }
    }

    for feed in [
        "/api/v1/timeline",
        "/api/v1/posts",
        "/api/v1/tags/feed/posts",
        "/api/v1/posts?author=author01",
    ] {
        let small = with_query(feed, &[("limit", "5")]);
        let large = with_query(feed, &[("limit", "30")]);
        let (small_cost, small_len) = cost_of(&app, &viewer.access_token, &small).await;
        let (large_cost, large_len) = cost_of(&app, &viewer.access_token, &large).await;
        assert_eq!(small_len, 5, "{feed}");
        let expected_large = if feed.contains("author=") { 10 } else { 30 };
        assert_eq!(large_len, expected_large, "{feed}");
        assert!(small_cost > 0, "{feed}: the store counts its operations");
        assert_eq!(
            small_cost, large_cost,
            "{feed}: {small_cost} operations for 5 posts but {large_cost} for \
             {large_len}: the page is not hydrated in a fixed number of queries (N+1)"
        );
    }

    // The hydrated page is right, too: tags, counts and likes per post.
    let items = all_items(&app, Some(&viewer.access_token), "/api/v1/timeline", 30).await;
    assert_eq!(items.len(), 30);
    let order: Vec<String> = posts.iter().rev().cloned().collect();
    assert_eq!(ids(&items), order);
    for post in &items {
        let i = posts
            .iter()
            .position(|p| *p == post["id"])
            .expect("a known post");
        let mut expected_tags = vec![
            "feed".to_owned(),
            format!("round{}", i / 3),
            format!("author{}", i % 3),
        ];
        expected_tags.sort();
        assert_eq!(sorted_tags(post), expected_tags, "{post}");
        assert_eq!(post["liked_by_me"], Value::Bool(i % 2 == 0), "{post}");
        let likes = i64::from(i % 2 == 0) + i64::from(i % 3 == 0);
        assert_eq!(post["like_count"], likes, "{post}");
        assert_eq!(post["comment_count"], i64::from(i % 5 == 0), "{post}");
        assert_eq!(
            post["author"]["username"],
            format!("author{:02}", i % 3),
            "{post}"
        );
    }
}
