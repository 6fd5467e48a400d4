//! Helpers for the chat tests (`chat.rs` over REST, `chat_realtime.rs` over
//! Socket.IO): typed requests that assert their documented status, shape
//! checks for `Conversation`, `Member` and `Message`, full-history readers,
//! and the file a chat scenario script leaves its results in.
//!
//! Everything goes through the public HTTP API with bearer tokens, like the
//! rest of the suite.

use crate::helpers::*;
use crate::social_support::{assert_recent, assert_summary_of, assert_summary_shape, page_of};
use parley_server::Config;
use parley_server::ratelimit::Limit;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A message limit no chat test reaches unless it means to (the default,
/// 20 per 10 s, would trip tests that send dozens of messages).
pub fn no_message_limit(config: &mut Config) {
    config.rate_limits.message = limit(1_000_000);
}

/// A test server for chat tests: the usual test configuration plus
/// [`no_message_limit`].
pub async fn chat_app(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, no_message_limit).await
}

/// A server whose message limit is `count` per [`LONG_WINDOW`].
pub async fn chat_app_with_message_limit(backend: Backend, count: u32) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.rate_limits.message = Limit {
            count,
            window: LONG_WINDOW,
        };
    })
    .await
}

// ---------------------------------------------------------------------------
// Conversations
// ---------------------------------------------------------------------------

/// `POST /api/v1/conversations` as `who`.
pub async fn start_raw(app: &TestApp, who: &Session, body: &Value) -> Response {
    app.bearer_post(&who.access_token, "/api/v1/conversations", body)
        .await
}

/// Starts a conversation and asserts `status` (201 new, 200 existing direct);
/// returns the checked `Conversation`.
pub async fn start_expect(app: &TestApp, who: &Session, body: &Value, status: StatusCode) -> Value {
    let conversation = expect_json(start_raw(app, who, body).await, status).await;
    assert_conversation_shape(&conversation);
    conversation
}

/// A new direct conversation of `a` and `b` (asserts 201).
pub async fn direct(app: &TestApp, a: &Session, b: &Session) -> Value {
    start_expect(
        app,
        a,
        &json!({"usernames": [b.username()]}),
        StatusCode::CREATED,
    )
    .await
}

/// A new group of `creator` and `others` titled `title` (asserts 201).
pub async fn group(app: &TestApp, creator: &Session, others: &[&Session], title: &str) -> Value {
    let usernames: Vec<&str> = others.iter().map(|s| s.username()).collect();
    start_expect(
        app,
        creator,
        &json!({"usernames": usernames, "title": title}),
        StatusCode::CREATED,
    )
    .await
}

/// The `id` string of a conversation or message.
pub fn cid(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an object with a string id: {value}"))
        .to_owned()
}

/// `GET /api/v1/conversations/{id}` as `who`.
pub async fn get_conversation_raw(app: &TestApp, who: &Session, id: &str) -> Response {
    app.bearer_get(&who.access_token, &format!("/api/v1/conversations/{id}"))
        .await
}

/// The conversation as `who` sees it (asserts 200 and the shape).
pub async fn conversation(app: &TestApp, who: &Session, id: &str) -> Value {
    let c = expect_json(get_conversation_raw(app, who, id).await, StatusCode::OK).await;
    assert_conversation_shape(&c);
    assert_eq!(c["id"], id, "{c}");
    c
}

/// Every conversation of `who`, as listed (most recently active first),
/// following `next_cursor` with pages of `limit`.
pub async fn conversations_paged(app: &TestApp, who: &Session, limit: u32) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/conversations?limit={limit}");
        if let Some(c) = &cursor {
            path.push_str("&cursor=");
            path.push_str(&crate::social_support::enc(c));
        }
        let body = expect_json(
            app.bearer_get(&who.access_token, &path).await,
            StatusCode::OK,
        )
        .await;
        let (items, next) = page_of(&body);
        for c in &items {
            assert_conversation_shape(c);
        }
        all.extend(items);
        assert!(all.len() < 10_000, "next_cursor never ends");
        match next {
            Some(next) => cursor = Some(next),
            None => return all,
        }
    }
}

/// Every conversation of `who` in one page of up to 100.
pub async fn conversations(app: &TestApp, who: &Session) -> Vec<Value> {
    conversations_paged(app, who, 100).await
}

/// The ids of `who`'s conversations, in listed order.
pub async fn conversation_ids(app: &TestApp, who: &Session) -> Vec<String> {
    conversations(app, who).await.iter().map(cid).collect()
}

/// `unread_count` of conversation `id` for `who`, read from the conversation
/// itself and from the list (which must agree).
pub async fn unread(app: &TestApp, who: &Session, id: &str) -> i64 {
    let one = conversation(app, who, id).await["unread_count"]
        .as_i64()
        .expect("unread_count is an integer");
    let listed = conversations(app, who).await;
    let in_list = listed
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} is missing from {}'s list", who.username()))["unread_count"]
        .as_i64()
        .expect("unread_count is an integer");
    assert_eq!(
        one, in_list,
        "GET /conversations/{id} and the list disagree on unread_count"
    );
    one
}

/// The `Member` entry of `who` in a conversation.
pub fn member<'a>(conversation: &'a Value, who: &Session) -> &'a Value {
    conversation["members"]
        .as_array()
        .expect("members is an array")
        .iter()
        .find(|m| m["id"] == who.user_id())
        .unwrap_or_else(|| panic!("{} is not a member of {conversation}", who.username()))
}

/// `who`'s read marker in conversation `id`, as `viewer` sees it.
pub async fn last_read_seq(app: &TestApp, viewer: &Session, id: &str, who: &Session) -> i64 {
    member(&conversation(app, viewer, id).await, who)["last_read_seq"]
        .as_i64()
        .expect("last_read_seq is an integer")
}

/// The sorted usernames of a conversation's members.
pub fn member_names(conversation: &Value) -> Vec<String> {
    let mut names: Vec<String> = conversation["members"]
        .as_array()
        .expect("members is an array")
        .iter()
        .map(|m| {
            m["username"]
                .as_str()
                .expect("member.username is a string")
                .to_owned()
        })
        .collect();
    names.sort();
    names
}

/// Asserts docs/api.md's `Conversation` = `{id, kind, title|null, members:
/// [Member], last_message: Message|null, unread_count, created_at}` and
/// `Member` = `UserSummary` + `{last_read_seq}`.
pub fn assert_conversation_shape(c: &Value) {
    assert!(c["id"].is_string(), "Conversation.id: {c}");
    assert!(
        ["direct", "group", "support"].contains(&c["kind"].as_str().unwrap_or_default()),
        "Conversation.kind: {c}"
    );
    assert!(
        c["title"].is_null() || c["title"].is_string(),
        "Conversation.title: {c}"
    );
    let members = c["members"]
        .as_array()
        .unwrap_or_else(|| panic!("Conversation.members must be an array: {c}"));
    let mut ids = HashSet::new();
    for m in members {
        let mut summary = m.clone();
        let last_read = summary
            .as_object_mut()
            .and_then(|o| o.remove("last_read_seq"))
            .unwrap_or_else(|| panic!("Member.last_read_seq missing: {m}"));
        assert!(
            last_read.as_i64().is_some_and(|n| n >= 0),
            "Member.last_read_seq must be a non-negative integer: {m}"
        );
        assert_summary_shape(&summary);
        assert!(
            ids.insert(m["id"].to_string()),
            "member listed twice in {c}"
        );
    }
    match &c["last_message"] {
        Value::Null => {}
        m => assert_message_shape(m),
    }
    assert!(
        c["unread_count"].as_i64().is_some_and(|n| n >= 0),
        "Conversation.unread_count: {c}"
    );
    assert_recent(&c["created_at"]);
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/// `POST /api/v1/conversations/{id}/messages` as `token`'s owner.
pub async fn send_raw(app: &TestApp, token: &str, conversation: &str, body: &Value) -> Response {
    app.bearer_post(
        token,
        &format!("/api/v1/conversations/{conversation}/messages"),
        body,
    )
    .await
}

/// Sends `text` (no client_id) and asserts 201; returns the checked message.
pub async fn send(app: &TestApp, who: &Session, conversation: &str, text: &str) -> Value {
    let m = expect_json(
        send_raw(app, &who.access_token, conversation, &json!({"text": text})).await,
        StatusCode::CREATED,
    )
    .await;
    assert_message_of(&m, who, conversation, text);
    m
}

/// Sends `count` messages `"{prefix} {i}"` (i from 1) one after the other.
pub async fn send_many(
    app: &TestApp,
    who: &Session,
    conversation: &str,
    prefix: &str,
    count: usize,
) -> Vec<Value> {
    let mut sent = Vec::with_capacity(count);
    for i in 1..=count {
        sent.push(send(app, who, conversation, &format!("{prefix} {i}")).await);
    }
    sent
}

/// Asserts a message `who` sent to `conversation` with `text`.
pub fn assert_message_of(m: &Value, who: &Session, conversation: &str, text: &str) {
    assert_message_shape(m);
    assert_summary_of(&m["sender"], who);
    assert_eq!(m["conversation_id"], conversation, "{m}");
    assert_eq!(m["text"], text, "{m}");
    assert_eq!(m["deleted"], false, "{m}");
}

/// Asserts docs/api.md's `Message` = `{id, conversation_id, seq, kind,
/// sender: UserSummary|null (null exactly for `auto` and `system`), text,
/// media: [Media], client_id|null, created_at, edited_at|null, deleted:
/// bool, organization: OrgSummary|null}`.
pub fn assert_message_shape(m: &Value) {
    assert!(m["id"].is_string(), "Message.id: {m}");
    assert!(
        m["conversation_id"].is_string(),
        "Message.conversation_id: {m}"
    );
    assert!(
        m["seq"].as_i64().is_some_and(|s| s >= 1),
        "Message.seq must be an integer from 1: {m}"
    );
    match m["kind"].as_str() {
        Some("text") => assert_summary_shape(&m["sender"]),
        Some("auto" | "system") => assert!(m["sender"].is_null(), "no sender: {m}"),
        _ => panic!("Message.kind must be text, auto or system: {m}"),
    }
    let org = &m["organization"];
    assert!(
        org.is_null() || (org["slug"].is_string() && org["name"].is_string()),
        "Message.organization: {m}"
    );
    assert!(m["text"].is_string(), "Message.text: {m}");
    assert!(m["media"].is_array(), "Message.media: {m}");
    assert!(
        m["client_id"].is_null() || m["client_id"].is_string(),
        "Message.client_id: {m}"
    );
    assert_recent(&m["created_at"]);
    if !m["edited_at"].is_null() {
        assert_recent(&m["edited_at"]);
    }
    assert!(m["deleted"].is_boolean(), "Message.deleted: {m}");
}

/// `seq` of a message.
pub fn seq(m: &Value) -> i64 {
    m["seq"].as_i64().unwrap_or_else(|| panic!("seq: {m}"))
}

/// The `seq`s of messages, in order.
pub fn seqs(items: &[Value]) -> Vec<i64> {
    items.iter().map(seq).collect()
}

/// `GET .../messages{query}` as `token`'s owner.
pub async fn history_raw(app: &TestApp, token: &str, conversation: &str, query: &str) -> Response {
    app.bearer_get(
        token,
        &format!("/api/v1/conversations/{conversation}/messages{query}"),
    )
    .await
}

/// One page of history (asserts 200 and the page shape); items are checked
/// messages in strictly increasing `seq` order.
pub async fn history_page(
    app: &TestApp,
    who: &Session,
    conversation: &str,
    query: &str,
) -> (Vec<Value>, Option<String>) {
    let body = expect_json(
        history_raw(app, &who.access_token, conversation, query).await,
        StatusCode::OK,
    )
    .await;
    let (items, cursor) = page_of(&body);
    for m in &items {
        assert_message_shape(m);
        assert_eq!(m["conversation_id"], conversation, "{m}");
    }
    let s = seqs(&items);
    assert!(
        s.windows(2).all(|w| w[0] < w[1]),
        "history {query}: pages are in increasing seq order, got {s:?}"
    );
    (items, cursor)
}

/// The whole history, read forward with `?after_seq=` pages of 100.
pub async fn full_history(app: &TestApp, who: &Session, conversation: &str) -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    let mut after = 0;
    loop {
        let (items, next) = history_page(
            app,
            who,
            conversation,
            &format!("?after_seq={after}&limit=100"),
        )
        .await;
        let done = next.is_none() || items.is_empty();
        if let Some(last) = items.last() {
            after = seq(last);
        }
        all.extend(items);
        if done {
            return all;
        }
        assert!(all.len() < 100_000, "after_seq paging never ends");
    }
}

/// Asserts the history is exactly seq 1..=n with no gaps or duplicates.
pub fn assert_gapless(items: &[Value], n: i64, what: &str) {
    let expected: Vec<i64> = (1..=n).collect();
    assert_eq!(seqs(items), expected, "{what}: seq 1..={n}");
    let unique: HashSet<&str> = items.iter().filter_map(|m| m["id"].as_str()).collect();
    assert_eq!(
        unique.len(),
        items.len(),
        "{what}: every message has its own id"
    );
}

/// `POST /api/v1/conversations/{id}/read` with `{seq}`.
pub async fn mark_read_raw(app: &TestApp, who: &Session, conversation: &str, seq: i64) -> Response {
    app.bearer_post(
        &who.access_token,
        &format!("/api/v1/conversations/{conversation}/read"),
        &json!({"seq": seq}),
    )
    .await
}

/// Marks read up to `seq` (asserts 204).
pub async fn mark_read(app: &TestApp, who: &Session, conversation: &str, seq: i64) {
    expect_status(
        mark_read_raw(app, who, conversation, seq).await,
        StatusCode::NO_CONTENT,
    )
    .await;
}

/// `POST /api/v1/conversations/{id}/members` with `{username}`.
pub async fn add_member_raw(
    app: &TestApp,
    who: &Session,
    conversation: &str,
    username: &str,
) -> Response {
    app.bearer_post(
        &who.access_token,
        &format!("/api/v1/conversations/{conversation}/members"),
        &json!({"username": username}),
    )
    .await
}

/// `DELETE /api/v1/conversations/{id}/members/me`.
pub async fn leave_raw(app: &TestApp, who: &Session, conversation: &str) -> Response {
    app.bearer_delete(
        &who.access_token,
        &format!("/api/v1/conversations/{conversation}/members/me"),
        None,
    )
    .await
}

/// Leaves a group (asserts 204).
pub async fn leave(app: &TestApp, who: &Session, conversation: &str) {
    expect_status(
        leave_raw(app, who, conversation).await,
        StatusCode::NO_CONTENT,
    )
    .await;
}

// ---------------------------------------------------------------------------
// Scenario results
// ---------------------------------------------------------------------------

/// A file a scenario script writes its result to (`RESULT_FILE`), in a
/// temporary folder removed with it.
pub struct ResultFile {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl ResultFile {
    pub fn create() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("parley-chat-result-")
            .tempdir()
            .expect("create a folder for a scenario result");
        let path = dir.path().join("result.json");
        Self { _dir: dir, path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The `("RESULT_FILE", path)` pair for the scenario's environment.
    pub fn env(&self) -> (&'static str, String) {
        ("RESULT_FILE", self.path.display().to_string())
    }

    /// The JSON value the script wrote.
    pub fn json(&self) -> Value {
        let text = std::fs::read_to_string(&self.path)
            .unwrap_or_else(|e| panic!("read the scenario result {}: {e}", self.path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("scenario result is JSON: {e}"))
    }

    /// The JSON lines the script appended (empty if it wrote none).
    pub fn json_lines(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(&self.path).unwrap_or_default();
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("scenario result line {l:?} is JSON: {e}"))
            })
            .collect()
    }
}
