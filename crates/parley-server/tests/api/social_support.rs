//! Helpers for the social-network tests (posts, follows, likes, comments,
//! feeds, notifications): typed requests that assert their documented success
//! status, list readers that check docs/api.md's page shape and follow cursors, and
//! shape checks for `Post`, `Comment`, `UserSummary` and timestamps.
//!
//! Everything goes through the public HTTP API with bearer tokens (native
//! clients), like the rest of the suite; nothing here reads the database.

use crate::helpers::*;
use futures::future::join_all;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::fmt::Write as _;

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

/// Percent-encodes `raw` for a path segment or a query value (only RFC 3986
/// unreserved characters are kept as they are), e.g. `안녕` → `%EC%95%88%EB%85%95`.
pub fn enc(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() * 3);
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            write!(out, "%{byte:02X}").expect("writing to a String cannot fail");
        }
    }
    out
}

/// `path` with `params` appended as a query string (values percent-encoded).
pub fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let mut url = path.to_owned();
    for (name, value) in params {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(name);
        url.push('=');
        url.push_str(&enc(value));
    }
    url
}

/// `GET path` as `token`'s owner, or signed out with `None`.
pub async fn get_as(app: &TestApp, token: Option<&str>, path: &str) -> Response {
    match token {
        Some(token) => app.bearer_get(token, path).await,
        None => app.get(path).await,
    }
}

/// A random UUID that names nothing.
pub fn unknown_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The `id` string of an API object.
pub fn id_of(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an object with a string id: {value}"))
        .to_owned()
}

/// The ids of a list of API objects, in order.
pub fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(id_of).collect()
}

/// The `username` of every `UserSummary` (or `User`) in `items`, in order.
pub fn usernames(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|u| {
            u["username"]
                .as_str()
                .unwrap_or_else(|| panic!("expected a user with a username: {u}"))
                .to_owned()
        })
        .collect()
}

/// Asserts `values` holds no duplicates.
pub fn assert_unique(values: &[String], what: &str) {
    let mut seen = HashSet::new();
    for v in values {
        assert!(seen.insert(v), "{what}: {v} listed twice in {values:?}");
    }
}

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

/// Signs up `{prefix}{00..n}` concurrently; returns them in name order.
pub async fn signup_many(app: &TestApp, prefix: &str, n: usize) -> Vec<Session> {
    let names: Vec<String> = (0..n).map(|i| format!("{prefix}{i:02}")).collect();
    join_all(names.iter().map(|name| app.signup(name))).await
}

/// Signs up `{prefix}{00..n}` one after the other, so their ids (UUIDv7)
/// grow in name order: lists that break timestamp ties by id then list them
/// in a predictable order.
pub async fn signup_in_order(app: &TestApp, prefix: &str, n: usize) -> Vec<Session> {
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        users.push(app.signup(&format!("{prefix}{i:02}")).await);
    }
    users
}

/// Sets `who`'s display name (asserts 200).
pub async fn set_display_name(app: &TestApp, who: &Session, display_name: &str) {
    let me = expect_json(
        app.bearer_patch(
            &who.access_token,
            "/api/v1/users/me",
            &json!({"display_name": display_name}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["display_name"], display_name, "{me}");
}

/// `GET /api/v1/users/{username}` as `viewer` (or signed out); asserts 200.
pub async fn user_as(app: &TestApp, viewer: Option<&Session>, username: &str) -> Value {
    expect_json(
        get_as(
            app,
            viewer.map(|s| s.access_token.as_str()),
            &format!("/api/v1/users/{}", enc(username)),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

/// `(followers_count, following_count, posts_count)` of `username`, read fresh.
pub async fn counts(app: &TestApp, username: &str) -> (i64, i64, i64) {
    let user = app.user(username).await;
    let n = |key: &str| {
        user[key]
            .as_i64()
            .unwrap_or_else(|| panic!("User.{key} must be an integer: {user}"))
    };
    (n("followers_count"), n("following_count"), n("posts_count"))
}

/// The `posts_count` of `username`.
pub async fn posts_count(app: &TestApp, username: &str) -> i64 {
    counts(app, username).await.2
}

/// Asserts `value` is exactly `UserSummary` = `{id, username, display_name,
/// avatar_url}` of `who`.
pub fn assert_summary_of(value: &Value, who: &Session) {
    assert_summary_shape(value);
    assert_eq!(value["id"], who.user_id(), "UserSummary.id: {value}");
    assert_eq!(
        value["username"],
        who.username(),
        "UserSummary.username: {value}"
    );
}

/// Asserts `value` has exactly `UserSummary`'s fields (no email, no counters).
pub fn assert_summary_shape(value: &Value) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("UserSummary must be an object: {value}"));
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["avatar_url", "display_name", "id", "username"],
        "UserSummary fields: {value}"
    );
    assert!(value["id"].is_string(), "UserSummary.id: {value}");
    assert!(
        value["username"].is_string(),
        "UserSummary.username: {value}"
    );
    assert!(
        value["display_name"].is_string(),
        "UserSummary.display_name: {value}"
    );
    assert!(
        value["avatar_url"].is_null() || value["avatar_url"].is_string(),
        "UserSummary.avatar_url: {value}"
    );
}

// ---------------------------------------------------------------------------
// Posts
// ---------------------------------------------------------------------------

/// `POST /api/v1/posts` with `{"text": text}` as `token`'s owner.
pub async fn post_raw(app: &TestApp, token: &str, text: &str) -> Response {
    app.bearer_post(token, "/api/v1/posts", &json!({"text": text}))
        .await
}

/// Writes a post as `author` (asserts 201 and the `Post` shape); returns it.
pub async fn create_post(app: &TestApp, author: &Session, text: &str) -> Value {
    let post = expect_json(
        post_raw(app, &author.access_token, text).await,
        StatusCode::CREATED,
    )
    .await;
    assert_post_shape(&post);
    assert_eq!(post["author"]["id"], author.user_id(), "{post}");
    post
}

/// `GET /api/v1/posts/{id}` as `viewer` (or signed out).
pub async fn get_post_raw(app: &TestApp, viewer: Option<&Session>, id: &str) -> Response {
    get_as(
        app,
        viewer.map(|s| s.access_token.as_str()),
        &format!("/api/v1/posts/{id}"),
    )
    .await
}

/// A post as `viewer` sees it (asserts 200 and the `Post` shape).
pub async fn get_post(app: &TestApp, viewer: Option<&Session>, id: &str) -> Value {
    let post = expect_json(get_post_raw(app, viewer, id).await, StatusCode::OK).await;
    assert_post_shape(&post);
    post
}

/// Asserts `GET /api/v1/posts/{id}` is 404 `not_found`.
pub async fn assert_no_post(app: &TestApp, id: &str) {
    assert_error(
        get_post_raw(app, None, id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

/// `like_count` of a post, read fresh (signed out).
pub async fn like_count(app: &TestApp, post_id: &str) -> i64 {
    get_post(app, None, post_id).await["like_count"]
        .as_i64()
        .expect("Post.like_count is an integer")
}

/// `comment_count` of a post, read fresh (signed out).
pub async fn comment_count(app: &TestApp, post_id: &str) -> i64 {
    get_post(app, None, post_id).await["comment_count"]
        .as_i64()
        .expect("Post.comment_count is an integer")
}

/// The `hashtags` of a post object, sorted (docs/api.md gives them no order).
pub fn sorted_tags(post: &Value) -> Vec<String> {
    let mut tags: Vec<String> = post["hashtags"]
        .as_array()
        .unwrap_or_else(|| panic!("Post.hashtags must be an array: {post}"))
        .iter()
        .map(|t| {
            t.as_str()
                .unwrap_or_else(|| panic!("a hashtag is a string: {post}"))
                .to_owned()
        })
        .collect();
    tags.sort();
    tags
}

/// `expected`, sorted, as owned strings (to compare with [`sorted_tags`]).
pub fn sorted(expected: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

/// Asserts `post` has every `Post` field with the right JSON type.
pub fn assert_post_shape(post: &Value) {
    let object = post
        .as_object()
        .unwrap_or_else(|| panic!("Post must be an object: {post}"));
    for key in [
        "id",
        "author",
        "text",
        "hashtags",
        "media",
        "like_count",
        "comment_count",
        "liked_by_me",
        "created_at",
        "edited_at",
    ] {
        assert!(object.contains_key(key), "Post.{key} is missing: {post}");
    }
    assert!(post["id"].is_string(), "Post.id: {post}");
    assert_summary_shape(&post["author"]);
    assert!(post["text"].is_string(), "Post.text: {post}");
    assert!(post["hashtags"].is_array(), "Post.hashtags: {post}");
    assert!(post["media"].is_array(), "Post.media: {post}");
    assert!(post["like_count"].is_i64(), "Post.like_count: {post}");
    assert!(post["comment_count"].is_i64(), "Post.comment_count: {post}");
    assert!(post["liked_by_me"].is_boolean(), "Post.liked_by_me: {post}");
    rfc3339_millis(post["created_at"].as_str().expect("Post.created_at"));
    if !post["edited_at"].is_null() {
        rfc3339_millis(
            post["edited_at"]
                .as_str()
                .unwrap_or_else(|| panic!("Post.edited_at is a string or null: {post}")),
        );
    }
}

// ---------------------------------------------------------------------------
// Follows and likes
// ---------------------------------------------------------------------------

/// `PUT` (follow) or `DELETE` (unfollow) `/api/v1/users/{username}/follow`.
pub async fn follow_raw(app: &TestApp, who: &Session, username: &str, follow: bool) -> Response {
    let method = if follow { Method::PUT } else { Method::DELETE };
    app.bearer(
        method,
        &who.access_token,
        &format!("/api/v1/users/{}/follow", enc(username)),
        None,
    )
    .await
}

/// `who` follows `username` (asserts 200); returns the `User`.
pub async fn follow(app: &TestApp, who: &Session, username: &str) -> Value {
    expect_json(follow_raw(app, who, username, true).await, StatusCode::OK).await
}

/// `who` unfollows `username` (asserts 200); returns the `User`.
pub async fn unfollow(app: &TestApp, who: &Session, username: &str) -> Value {
    expect_json(follow_raw(app, who, username, false).await, StatusCode::OK).await
}

/// `PUT` (like) or `DELETE` (unlike) `/api/v1/posts/{id}/like`.
pub async fn like_raw(app: &TestApp, token: &str, post_id: &str, like: bool) -> Response {
    let method = if like { Method::PUT } else { Method::DELETE };
    app.bearer(
        method,
        token,
        &format!("/api/v1/posts/{post_id}/like"),
        None,
    )
    .await
}

/// `who` likes the post (asserts 200); returns the `Post`.
pub async fn like(app: &TestApp, who: &Session, post_id: &str) -> Value {
    let post = expect_json(
        like_raw(app, &who.access_token, post_id, true).await,
        StatusCode::OK,
    )
    .await;
    assert_post_shape(&post);
    post
}

/// `who` unlikes the post (asserts 200); returns the `Post`.
pub async fn unlike(app: &TestApp, who: &Session, post_id: &str) -> Value {
    let post = expect_json(
        like_raw(app, &who.access_token, post_id, false).await,
        StatusCode::OK,
    )
    .await;
    assert_post_shape(&post);
    post
}

// ---------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------

/// `POST /api/v1/posts/{post_id}/comments` with `body`.
pub async fn comment_raw(app: &TestApp, token: &str, post_id: &str, body: &Value) -> Response {
    app.bearer_post(token, &format!("/api/v1/posts/{post_id}/comments"), body)
        .await
}

/// `who` comments on the post, or replies to `parent` (asserts 201 and the
/// `Comment` shape); returns the `Comment`.
pub async fn comment(
    app: &TestApp,
    who: &Session,
    post_id: &str,
    text: &str,
    parent: Option<&str>,
) -> Value {
    let body = match parent {
        Some(parent) => json!({"text": text, "parent_id": parent}),
        None => json!({"text": text}),
    };
    let comment = expect_json(
        comment_raw(app, &who.access_token, post_id, &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_comment_shape(&comment);
    assert_summary_of(&comment["author"], who);
    assert_eq!(comment["post_id"], post_id, "{comment}");
    match parent {
        Some(parent) => assert_eq!(comment["parent_id"], parent, "{comment}"),
        None => assert!(comment["parent_id"].is_null(), "{comment}"),
    }
    assert_eq!(comment["reply_count"], 0, "a new comment has no replies");
    comment
}

/// `DELETE /api/v1/comments/{id}` as `token`'s owner.
pub async fn delete_comment_raw(app: &TestApp, token: &str, id: &str) -> Response {
    app.bearer_delete(token, &format!("/api/v1/comments/{id}"), None)
        .await
}

/// Asserts `comment` has every `Comment` field with the right JSON type.
pub fn assert_comment_shape(comment: &Value) {
    let object = comment
        .as_object()
        .unwrap_or_else(|| panic!("Comment must be an object: {comment}"));
    for key in [
        "id",
        "post_id",
        "parent_id",
        "author",
        "text",
        "reply_count",
        "created_at",
    ] {
        assert!(
            object.contains_key(key),
            "Comment.{key} is missing: {comment}"
        );
    }
    assert!(comment["id"].is_string(), "Comment.id: {comment}");
    assert!(comment["post_id"].is_string(), "Comment.post_id: {comment}");
    assert!(
        comment["parent_id"].is_null() || comment["parent_id"].is_string(),
        "Comment.parent_id: {comment}"
    );
    assert_summary_shape(&comment["author"]);
    assert!(comment["text"].is_string(), "Comment.text: {comment}");
    assert!(
        comment["reply_count"].is_i64(),
        "Comment.reply_count: {comment}"
    );
    rfc3339_millis(comment["created_at"].as_str().expect("Comment.created_at"));
}

/// Every top-level comment of a post (all pages), oldest first as listed.
pub async fn top_comments(app: &TestApp, post_id: &str) -> Vec<Value> {
    all_items(app, None, &format!("/api/v1/posts/{post_id}/comments"), 100).await
}

/// Every direct reply of a comment (all pages), as listed.
pub async fn replies(app: &TestApp, comment_id: &str) -> Vec<Value> {
    all_items(
        app,
        None,
        &format!("/api/v1/comments/{comment_id}/replies"),
        100,
    )
    .await
}

/// The one comment with `id` in `list`.
pub fn find<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in {list:?}"))
}

// ---------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------

/// One page: asserts 200 and docs/api.md's `{items, next_cursor}` shape; returns
/// the items and the cursor (`None` when `next_cursor` is null).
pub async fn page(app: &TestApp, token: Option<&str>, path: &str) -> (Vec<Value>, Option<String>) {
    let body = expect_json(get_as(app, token, path).await, StatusCode::OK).await;
    page_of(&body)
}

/// Splits a page body into items and cursor, checking its shape.
pub fn page_of(body: &Value) -> (Vec<Value>, Option<String>) {
    let object = body
        .as_object()
        .unwrap_or_else(|| panic!("a page is an object: {body}"));
    assert!(
        object.contains_key("next_cursor"),
        "a page always has next_cursor (null on the last page): {body}"
    );
    let items = body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("page.items must be an array: {body}"))
        .clone();
    let cursor = match &body["next_cursor"] {
        Value::Null => None,
        Value::String(c) if !c.is_empty() => Some(c.clone()),
        other => panic!("next_cursor must be a non-empty string or null, got {other}"),
    };
    (items, cursor)
}

/// Reads every page of `path` with `?limit=limit`, following `next_cursor`
/// until it is null; returns the items of each page in order.
pub async fn all_pages(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    limit: u32,
) -> Vec<Vec<Value>> {
    let limit = limit.to_string();
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut params = vec![("limit", limit.as_str())];
        if let Some(c) = cursor.as_deref() {
            params.push(("cursor", c));
        }
        let (items, next) = page(app, token, &with_query(path, &params)).await;
        pages.push(items);
        assert!(pages.len() < 1000, "{path}: next_cursor never ends");
        match next {
            Some(next) => cursor = Some(next),
            None => return pages,
        }
    }
}

/// Every item of every page of `path`, in order.
pub async fn all_items(app: &TestApp, token: Option<&str>, path: &str, limit: u32) -> Vec<Value> {
    all_pages(app, token, path, limit)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// The post ids of a whole feed as `viewer` sees it (or signed out).
pub async fn feed_ids(app: &TestApp, viewer: Option<&Session>, path: &str) -> Vec<String> {
    ids(&all_items(app, viewer.map(|s| s.access_token.as_str()), path, 100).await)
}

/// Asserts that `?limit=0`, `?limit=101`, `?limit=abc` and a garbage cursor
/// are 422, and that `?limit=1` and `?limit=100` are fine.
pub async fn assert_page_params_checked(app: &TestApp, token: Option<&str>, path: &str) {
    for bad in [
        with_query(path, &[("limit", "0")]),
        with_query(path, &[("limit", "101")]),
        with_query(path, &[("limit", "-1")]),
        with_query(path, &[("limit", "abc")]),
        with_query(path, &[("cursor", "not a cursor!")]),
        with_query(path, &[("cursor", "AAAA")]),
    ] {
        let body = assert_error(
            get_as(app, token, &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            body["error"]["fields"].is_object(),
            "{bad}: a 422 names the bad parameter: {body}"
        );
    }
    for good in ["1", "100"] {
        page(app, token, &with_query(path, &[("limit", good)])).await;
    }
}

// ---------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------

/// All of `who`'s notifications, as listed (newest first).
pub async fn notifications(app: &TestApp, who: &Session) -> Vec<Value> {
    all_items(app, Some(&who.access_token), "/api/v1/notifications", 100).await
}

/// `GET /api/v1/notifications/unread_count` → `count`.
pub async fn unread_count(app: &TestApp, who: &Session) -> i64 {
    let body = expect_json(
        app.bearer_get(&who.access_token, "/api/v1/notifications/unread_count")
            .await,
        StatusCode::OK,
    )
    .await;
    body["count"]
        .as_i64()
        .unwrap_or_else(|| panic!("unread_count.count is an integer: {body}"))
}

/// `POST /api/v1/notifications/read` with `body` (none: an empty body, i.e.
/// all); asserts 200 and returns `marked`.
pub async fn mark_read(app: &TestApp, who: &Session, body: Option<&Value>) -> u64 {
    let body = expect_json(
        app.bearer(
            Method::POST,
            &who.access_token,
            "/api/v1/notifications/read",
            body,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    body["marked"]
        .as_u64()
        .unwrap_or_else(|| panic!("marked is a count: {body}"))
}

// ---------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------

/// Parses an RFC 3339 UTC timestamp (`2024-05-01T12:34:56.789Z`, or with
/// `+00:00`) strictly; returns Unix milliseconds. Panics on anything else.
pub fn rfc3339_millis(text: &str) -> i64 {
    fn refuse(text: &str) -> ! {
        panic!("not an RFC 3339 UTC timestamp: {text:?}")
    }
    let bytes = text.as_bytes();
    if bytes.len() < 20 {
        refuse(text);
    }
    let digits = |range: std::ops::Range<usize>| -> i64 {
        let part = text.get(range).unwrap_or_else(|| refuse(text));
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            refuse(text);
        }
        part.parse().unwrap_or_else(|_| refuse(text))
    };
    let punct_ok = bytes[4] == b'-'
        && bytes[7] == b'-'
        && (bytes[10] == b'T' || bytes[10] == b't')
        && bytes[13] == b':'
        && bytes[16] == b':';
    if !punct_ok {
        refuse(text);
    }
    let (year, month, day) = (digits(0..4), digits(5..7), digits(8..10));
    let (hour, minute, second) = (digits(11..13), digits(14..16), digits(17..19));
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        refuse(text);
    }
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            refuse(text);
        }
        let padded = format!("{:0<3}", &fraction[..len.min(3)]);
        millis = padded.parse::<i64>().unwrap_or_else(|_| refuse(text));
        rest = &fraction[len..];
    }
    if !matches!(rest, "Z" | "z" | "+00:00") {
        refuse(text);
    }
    let days = days_from_civil(year, month, day);
    ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Asserts `timestamp` is RFC 3339 UTC and within a few minutes of now.
pub fn assert_recent(timestamp: &Value) {
    let text = timestamp
        .as_str()
        .unwrap_or_else(|| panic!("a timestamp is a string: {timestamp}"));
    let at = rfc3339_millis(text) / 1000;
    let now = unix_now();
    assert!(
        (now - 300..=now + 300).contains(&at),
        "{text} is not within 5 minutes of now ({now})"
    );
}

#[test]
fn rfc3339_parser_accepts_utc_and_rejects_the_rest() {
    assert_eq!(rfc3339_millis("1970-01-01T00:00:00Z"), 0);
    assert_eq!(
        rfc3339_millis("2023-11-14T22:13:20.123Z"),
        1_700_000_000_123
    );
    assert_eq!(
        rfc3339_millis("2023-11-14T22:13:20.1+00:00"),
        1_700_000_000_100
    );
    for bad in [
        "2023-11-14 22:13:20Z",
        "2023-11-14T22:13:20",
        "2023-11-14T22:13:20+09:00",
        "1700000000",
        "2023-13-14T22:13:20Z",
    ] {
        assert!(
            std::panic::catch_unwind(|| rfc3339_millis(bad)).is_err(),
            "{bad} must be refused"
        );
    }
    assert_eq!(enc("안녕"), "%EC%95%88%EB%85%95");
    assert_eq!(enc("a b%_"), "a%20b%25_");
}
