//! Chat over Socket.IO (docs/api.md "Realtime"), driven by the official
//! `socket.io-client` from Node (`tests/realtime/chat_*.mjs`, started through
//! `realtime_support::Scenario`): live delivery to every socket of every
//! member, seq allocation under concurrent senders, `client_id` retries,
//! catch-up with `sync`, read receipts, typing indicators and their lapse,
//! presence across tabs, membership as the access rule, the per-user message
//! limit, and — with the real `parley` binary killed by SIGKILL — that an
//! acknowledged message is a durable one.
//!
//! The scripts assert what the sockets see; the Rust side prepares users and
//! conversations, acts mid-scenario over REST, and checks afterwards, over
//! REST, that what was acknowledged is what is stored.

use crate::chat_support::*;
use crate::helpers::*;
use crate::process_support::{ProcessDatabase, ServerProcess};
use crate::realtime_support::{Scenario, run_scenario};
use parley_core::{Timestamp, UserId};
use parley_server::services::typing::TYPING_TTL;
use parley_store::messages::{NewMessage, SendOutcome};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

every_deployment!(
    members_exchange_messages_live_on_every_socket,
    sixty_concurrent_sends_get_seq_1_to_60,
    a_retried_client_id_stores_one_message,
    sync_after_a_reconnect_returns_exactly_the_missed_messages,
    read_receipts_reach_the_members_and_only_move_forward,
    typing_reaches_the_other_members_and_lapses_by_itself,
    presence_follows_the_first_and_the_last_tab,
    non_members_and_leavers_receive_and_do_nothing,
    conversations_appear_and_change_live,
    socket_sends_are_rate_limited_per_user,
    acked_messages_survive_a_crash,
    events_sent_right_on_connect_are_acknowledged,
);

fn token(session: &Session) -> String {
    session.access_token.clone()
}

fn id(session: &Session) -> String {
    session.user_id().to_owned()
}

async fn members_exchange_messages_live_on_every_socket(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob1 = app.signup("bob").await;
    let bob2 = app.signin("bob", PASSWORD).await;
    let carol = app.signup("carol").await;
    let d = cid(&direct(&app, &alice, &bob1).await);
    let result = ResultFile::create();
    let mut scenario = Scenario::start(
        &app,
        "chat_live.mjs",
        &[
            ("CONVERSATION_ID", d.clone()),
            ("ALICE_TOKEN", token(&alice)),
            ("ALICE_ID", id(&alice)),
            ("BOB_TOKEN_1", token(&bob1)),
            ("BOB_TOKEN_2", token(&bob2)),
            ("BOB_ID", id(&bob1)),
            ("CAROL_TOKEN", token(&carol)),
            result.env(),
        ],
    );
    scenario.expect_line("EXCHANGED").await;

    // What the acks said is what is stored.
    let acked = result.json();
    let (first, reply) = (acked["first"].clone(), acked["reply"].clone());
    assert_message_of(&first, &alice, &d, "hello bob");
    assert_message_of(&reply, &bob1, &d, "hi alice");
    assert_eq!(
        full_history(&app, &bob2, &d).await,
        [first.clone(), reply.clone()]
    );
    let c = conversation(&app, &alice, &d).await;
    assert_eq!(c["last_message"], reply, "{c}");
    assert_eq!(
        member(&c, &alice)["last_read_seq"],
        1,
        "sending marks your own as read"
    );
    assert_eq!(member(&c, &bob1)["last_read_seq"], 2);
    assert_eq!(unread(&app, &alice, &d).await, 1);
    assert_eq!(unread(&app, &bob1, &d).await, 0);

    // Edit alice's message, delete bob's: the members are told.
    expect_json(
        app.bearer_patch(
            &alice.access_token,
            &format!("/api/v1/messages/{}", cid(&first)),
            &json!({"text": "hello bob (edited)"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_status(
        app.bearer_delete(
            &bob1.access_token,
            &format!("/api/v1/messages/{}", cid(&reply)),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    scenario.tell("CHANGED");
    scenario.finish().await;
}

async fn sixty_concurrent_sends_get_seq_1_to_60(backend: Backend) {
    const PER_SOCKET: usize = 10;
    let app = chat_app(backend).await;
    let mut users = Vec::new();
    let mut sockets = Vec::new();
    for name in ["ann", "ben", "cat"] {
        let first = app.signup(name).await;
        let second = app.signin(name, PASSWORD).await;
        for (session, transport) in [(&first, "websocket"), (&second, "polling")] {
            sockets.push(json!({
                "name": format!("{name}-{transport}"),
                "token": session.access_token,
                "transport": transport,
                "user_id": session.user_id(),
            }));
        }
        users.push(first);
    }
    let g = cid(&group(&app, &users[0], &[&users[1], &users[2]], "busy").await);
    let total = sockets.len() * PER_SOCKET;
    assert_eq!(total, 60);
    let result = ResultFile::create();
    run_scenario(
        &app,
        "chat_concurrent.mjs",
        &[
            ("CONVERSATION_ID", g.clone()),
            ("SOCKETS", Value::from(sockets.clone()).to_string()),
            ("PER_SOCKET", PER_SOCKET.to_string()),
            result.env(),
        ],
    )
    .await;

    // The acks, from the script.
    let acks = result.json();
    let acks = acks.as_array().expect("the result is the list of acks");
    assert_eq!(acks.len(), total);
    let mut acked_seqs: Vec<i64> = acks.iter().map(seq).collect();
    acked_seqs.sort_unstable();
    assert_eq!(acked_seqs, (1..=60).collect::<Vec<i64>>(), "acked seqs");
    let by_client: HashMap<&str, &Value> = acks
        .iter()
        .map(|m| (m["client_id"].as_str().expect("client_id"), m))
        .collect();
    assert_eq!(by_client.len(), total, "one ack per client_id");

    // The history, read over REST: seq 1..60, each message exactly as acked.
    let history = full_history(&app, &users[0], &g).await;
    assert_gapless(&history, 60, "60 concurrent sends");
    let expected_ids: HashSet<String> = sockets
        .iter()
        .flat_map(|s| {
            let name = s["name"].as_str().expect("name").to_owned();
            (0..PER_SOCKET).map(move |i| format!("{name}-{i}"))
        })
        .collect();
    let stored_ids: HashSet<String> = history
        .iter()
        .map(|m| m["client_id"].as_str().expect("client_id").to_owned())
        .collect();
    assert_eq!(stored_ids, expected_ids, "every send stored once");
    for m in &history {
        let client_id = m["client_id"].as_str().expect("client_id");
        assert_eq!(
            &m,
            by_client.get(client_id).expect("acked"),
            "seq {}",
            seq(m)
        );
        let author = client_id.split('-').next().expect("a name prefix");
        assert_eq!(m["sender"]["username"], author, "{m}");
    }

    // Unread counts stay exact: each user's marker is their own last message.
    for user in &users {
        let own_last = history
            .iter()
            .filter(|m| m["sender"]["id"] == user.user_id())
            .map(seq)
            .max()
            .expect("everyone sent");
        let expected = history
            .iter()
            .filter(|m| m["sender"]["id"] != user.user_id() && seq(m) > own_last)
            .count();
        assert_eq!(
            last_read_seq(&app, &users[0], &g, user).await,
            own_last,
            "{}'s marker",
            user.username()
        );
        assert_eq!(
            unread(&app, user, &g).await,
            i64::try_from(expected).expect("small"),
            "{}'s unread count",
            user.username()
        );
    }
    let c = conversation(&app, &users[1], &g).await;
    assert_eq!(c["last_message"]["seq"], 60);
}

async fn a_retried_client_id_stores_one_message(backend: Backend) {
    let app = chat_app(backend).await;
    let alice1 = app.signup("alice").await;
    let alice2 = app.signin("alice", PASSWORD).await;
    let bob = app.signup("bob").await;
    let d = cid(&direct(&app, &alice1, &bob).await);
    let result = ResultFile::create();
    run_scenario(
        &app,
        "chat_retry.mjs",
        &[
            ("CONVERSATION_ID", d.clone()),
            ("ALICE_TOKEN_1", token(&alice1)),
            ("ALICE_TOKEN_2", token(&alice2)),
            ("BOB_TOKEN", token(&bob)),
            ("BOB_ID", id(&bob)),
            result.env(),
        ],
    )
    .await;
    let acked = result.json();
    let expected = [
        acked["concurrent"].clone(),
        acked["sequential"].clone(),
        acked["bobs"].clone(),
    ];
    assert_eq!(full_history(&app, &alice1, &d).await, expected);

    // The same client_ids over REST: the same messages, 200, nothing new.
    for (client_id, message) in [("retry-1", &expected[0]), ("retry-2", &expected[1])] {
        let again = expect_json(
            send_raw(
                &app,
                &alice2.access_token,
                &d,
                &json!({"text": "from REST", "client_id": client_id}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(&again, message, "{client_id} over REST");
    }
    assert_eq!(full_history(&app, &bob, &d).await, expected);
}

async fn sync_after_a_reconnect_returns_exactly_the_missed_messages(backend: Backend) {
    const MISSED: usize = 30;
    const BULK: i64 = 520;
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    send_many(&app, &alice, &d, "before", 3).await;
    let mut scenario = Scenario::start(
        &app,
        "chat_sync.mjs",
        &[
            ("CONVERSATION_ID", d.clone()),
            ("BOB_TOKEN", token(&bob)),
            ("ALICE_ID", id(&alice)),
            ("MISSED", MISSED.to_string()),
            ("BULK", BULK.to_string()),
        ],
    );
    scenario.expect_line("ONLINE").await;
    assert_eq!(seq(&send(&app, &alice, &d, "live").await), 4);
    scenario.tell("LIVE");
    scenario.expect_line("OFFLINE").await;
    let missed = send_many(&app, &alice, &d, "missed", MISSED).await;
    assert_eq!(seqs(&missed), (5..=34).collect::<Vec<i64>>());
    scenario.tell("SENT");
    scenario.expect_line("SYNCED").await;

    // More than one sync's worth, stored directly (no HTTP round trips).
    let conversation: parley_core::ConversationId = d.parse().expect("conversation id is a UUID");
    let sender = UserId(alice.user_id().parse().expect("user id is a UUID"));
    for i in 1..=BULK {
        let outcome = app
            .state
            .store
            .send_message(&NewMessage {
                id: parley_core::MessageId::new(),
                conversation_id: conversation,
                sender_id: sender,
                text: format!("bulk {i}"),
                client_id: None,
                media: Vec::new(),
                created_at: Timestamp::now(),
            })
            .await
            .expect("store a message");
        match outcome {
            SendOutcome::Stored(m) => assert_eq!(m.seq, 34 + i),
            SendOutcome::Duplicate(m) => panic!("no client_id, yet a duplicate: {m:?}"),
        }
    }
    scenario.tell("BULK");
    scenario.finish().await;
    let total = 34 + BULK;
    assert_gapless(&full_history(&app, &bob, &d).await, total, "after the bulk");
}

async fn read_receipts_reach_the_members_and_only_move_forward(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob1 = app.signup("bob").await;
    let bob2 = app.signin("bob", PASSWORD).await;
    let d = cid(&direct(&app, &alice, &bob1).await);
    send_many(&app, &alice, &d, "to bob", 5).await;
    assert_eq!(unread(&app, &bob1, &d).await, 5);
    assert_eq!(last_read_seq(&app, &alice, &d, &bob1).await, 0);

    let mut scenario = Scenario::start(
        &app,
        "chat_receipts.mjs",
        &[
            ("CONVERSATION_ID", d.clone()),
            ("ALICE_TOKEN", token(&alice)),
            ("BOB_TOKEN_1", token(&bob1)),
            ("BOB_TOKEN_2", token(&bob2)),
            ("BOB_ID", id(&bob1)),
        ],
    );
    scenario.expect_line("READY").await;
    for (step, marker, unread_after) in [("READ3", 3, 2), ("BACK", 3, 2), ("CLAMPED", 5, 0)] {
        scenario.expect_line(step).await;
        assert_eq!(
            last_read_seq(&app, &alice, &d, &bob1).await,
            marker,
            "{step}: bob's marker"
        );
        assert_eq!(
            unread(&app, &bob2, &d).await,
            unread_after,
            "{step}: bob's unread"
        );
        assert_eq!(unread(&app, &alice, &d).await, 0, "{step}: alice's unread");
        scenario.tell("CHECKED");
    }
    scenario.finish().await;
    assert_eq!(
        last_read_seq(&app, &alice, &d, &bob1).await,
        5,
        "refused reads changed nothing"
    );
}

async fn typing_reaches_the_other_members_and_lapses_by_itself(backend: Backend) {
    // The script's timing expectations are written for a 10 s lapse.
    assert_eq!(
        TYPING_TTL,
        Duration::from_secs(10),
        "docs/api.md: typing expires after 10 s"
    );
    let app = chat_app(backend).await;
    let alice1 = app.signup("alice").await;
    let alice2 = app.signin("alice", PASSWORD).await;
    let bob1 = app.signup("bob").await;
    let bob2 = app.signin("bob", PASSWORD).await;
    let carol = app.signup("carol").await;
    let c1 = cid(&direct(&app, &alice1, &bob1).await);
    let c2 = cid(&group(&app, &alice1, &[&bob1], "typing").await);
    // carol shares a conversation with alice, but not these two.
    direct(&app, &alice1, &carol).await;
    run_scenario(
        &app,
        "chat_typing.mjs",
        &[
            ("C1", c1),
            ("C2", c2),
            ("ALICE_ID", id(&alice1)),
            ("ALICE_TOKEN_1", token(&alice1)),
            ("ALICE_TOKEN_2", token(&alice2)),
            ("BOB_TOKEN_1", token(&bob1)),
            ("BOB_TOKEN_2", token(&bob2)),
            ("CAROL_TOKEN", token(&carol)),
        ],
    )
    .await;
}

async fn presence_follows_the_first_and_the_last_tab(backend: Backend) {
    let app = chat_app(backend).await;
    let alice1 = app.signup("alice").await;
    let alice2 = app.signin("alice", PASSWORD).await;
    let wanda = app.signup("wanda").await;
    let bob = app.signup("bob").await;
    let fred = app.signup("fred").await;
    let carol = app.signup("carol").await;
    direct(&app, &bob, &alice1).await;
    expect_json(
        app.bearer_put(&fred.access_token, "/api/v1/users/alice/follow", &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    let before = app.user("alice").await;
    assert_eq!(before["online"], false, "{before}");

    run_scenario(
        &app,
        "chat_presence.mjs",
        &[
            ("ALICE_ID", id(&alice1)),
            ("ALICE_TOKEN_1", token(&alice1)),
            ("ALICE_TOKEN_2", token(&alice2)),
            ("WANDA_TOKEN", token(&wanda)),
            ("BOB_TOKEN", token(&bob)),
            ("FRED_TOKEN", token(&fred)),
            ("CAROL_TOKEN", token(&carol)),
        ],
    )
    .await;

    let after = app.user("alice").await;
    assert_eq!(after["online"], false, "{after}");
    crate::social_support::assert_recent(&after["last_seen_at"]);
}

/// `conversation:created` before any message, `conversation:updated` on a
/// member added or leaving, and room membership following both at once.
async fn conversations_appear_and_change_live(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    run_scenario(
        &app,
        "chat_conversations.mjs",
        &[
            ("ALICE_TOKEN", token(&alice)),
            ("BOB_TOKEN", token(&bob)),
            ("CAROL_TOKEN", token(&carol)),
            ("ALICE_ID", id(&alice)),
            ("BOB_ID", id(&bob)),
            ("CAROL_ID", id(&carol)),
        ],
    )
    .await;
}

async fn non_members_and_leavers_receive_and_do_nothing(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let dave = app.signup("dave").await;
    let mallory = app.signup("mallory").await;
    let g = cid(&group(&app, &alice, &[&bob, &carol], "g").await);
    let dac = cid(&direct(&app, &alice, &carol).await);
    let result = ResultFile::create();
    let mut scenario = Scenario::start(
        &app,
        "chat_access.mjs",
        &[
            ("G", g.clone()),
            ("D_AC", dac.clone()),
            ("ALICE_TOKEN", token(&alice)),
            ("BOB_TOKEN", token(&bob)),
            ("CAROL_TOKEN", token(&carol)),
            ("DAVE_TOKEN", token(&dave)),
            ("MALLORY_TOKEN", token(&mallory)),
            result.env(),
        ],
    );
    scenario.expect_line("READY").await;
    scenario.expect_line("STEP1").await;
    leave(&app, &carol, &g).await;
    expect_json(
        add_member_raw(&app, &alice, &g, "dave").await,
        StatusCode::OK,
    )
    .await;
    scenario.tell("CHANGED");
    scenario.finish().await;

    // Only what members sent is stored.
    let sent = result.json();
    assert_eq!(
        full_history(&app, &bob, &g).await,
        [sent["m1"].clone(), sent["m2"].clone()]
    );
    assert_eq!(full_history(&app, &carol, &dac).await, [sent["d1"].clone()]);
    assert_eq!(
        member_names(&conversation(&app, &dave, &g).await),
        ["alice", "bob", "dave"]
    );
    for who in [&carol, &mallory] {
        assert_error(
            get_conversation_raw(&app, who, &g).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
}

async fn socket_sends_are_rate_limited_per_user(backend: Backend) {
    const LIMIT: u32 = 5;
    let app = chat_app_with_message_limit(backend, LIMIT).await;
    let alice1 = app.signup("alice").await;
    let alice2 = app.signin("alice", PASSWORD).await;
    let bob = app.signup("bob").await;
    let d = cid(&direct(&app, &alice1, &bob).await);
    run_scenario(
        &app,
        "chat_ratelimit.mjs",
        &[
            ("CONVERSATION_ID", d.clone()),
            ("ALICE_TOKEN_1", token(&alice1)),
            ("ALICE_TOKEN_2", token(&alice2)),
            ("BOB_TOKEN", token(&bob)),
            ("LIMIT", LIMIT.to_string()),
            ("WINDOW_SECS", LONG_WINDOW.as_secs().to_string()),
        ],
    )
    .await;

    // One limit for REST and socket alike: alice is still refused over REST.
    let response = send_raw(&app, &alice1.access_token, &d, &json!({"text": "via REST"})).await;
    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("429 carries Retry-After: {:?}", response.headers()));
    assert!((1..=LONG_WINDOW.as_secs()).contains(&retry_after));
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // bob sent one over the socket; he has more.
    let m = send(&app, &bob, &d, "and one over REST").await;
    assert_eq!(seq(&m), i64::from(LIMIT) + 2);
    assert_gapless(
        &full_history(&app, &bob, &d).await,
        i64::from(LIMIT) + 2,
        "limited",
    );
}

async fn events_sent_right_on_connect_are_acknowledged(backend: Backend) {
    const TRIES: usize = 200;
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    run_scenario(
        &app,
        "chat_connect_race.mjs",
        &[
            ("CONVERSATION_ID", d.clone()),
            ("TOKEN", token(&alice)),
            ("TRIES", TRIES.to_string()),
        ],
    )
    .await;
    // Every other try was a message:send, each acked, each stored once.
    let history = full_history(&app, &bob, &d).await;
    assert_gapless(
        &history,
        i64::try_from(TRIES / 2).expect("small"),
        "messages sent on connect",
    );
}

// ---------------------------------------------------------------------------
// Crash safety: the real binary, killed with SIGKILL
// ---------------------------------------------------------------------------

/// Signs `username` up on the process at `base` as a native client.
pub(crate) async fn signup_at(client: &Client, base: &str, username: &str) -> Session {
    let response = client
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&json!({
            "username": username,
            "email": email_for(username),
            "password": PASSWORD,
            "client": "native",
        }))
        .send()
        .await
        .expect("sign-up request");
    Session::from_json(&expect_json(response, StatusCode::CREATED).await)
}

/// The whole history of `conversation` on the process at `base`.
pub(crate) async fn history_at(
    client: &Client,
    base: &str,
    token: &str,
    conversation: &str,
) -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    loop {
        let after = all.last().map_or(0, seq);
        let response = client
            .get(format!(
                "{base}/api/v1/conversations/{conversation}/messages?after_seq={after}&limit=100"
            ))
            .bearer_auth(token)
            .send()
            .await
            .expect("history request");
        let body = expect_json(response, StatusCode::OK).await;
        let items = body["items"].as_array().expect("items").clone();
        let done = body["next_cursor"].is_null() || items.is_empty();
        all.extend(items);
        if done {
            return all;
        }
    }
}

async fn acked_messages_survive_a_crash(backend: Backend) {
    const ACK_TARGET: usize = 150;
    // `Scenario` starts scripts against a TestApp; this one stays idle: the
    // script's PARLEY_URL is overridden to point at the separate process.
    let host = TestApp::spawn(backend).await;
    let data = tempfile::Builder::new()
        .prefix("parley-crash-data-")
        .tempdir()
        .expect("create the data folder");
    let logs = tempfile::Builder::new()
        .prefix("parley-crash-logs-")
        .tempdir()
        .expect("create the log folder");
    let database = match backend {
        Backend::Sqlite => None,
        Backend::Postgres | Backend::PostgresRedis => Some(ProcessDatabase::create().await),
    };
    let database_url = database.as_ref().map(|d| d.url.as_str());

    let mut server =
        ServerProcess::start(data.path(), logs.path(), "before", &db_env(database_url)).await;
    let client = native_client();
    let alice = signup_at(&client, &server.base, "alice").await;
    let bob = signup_at(&client, &server.base, "bob").await;
    let created = client
        .post(server.url("/api/v1/conversations"))
        .bearer_auth(&alice.access_token)
        .json(&json!({"usernames": ["bob"]}))
        .send()
        .await
        .expect("create the conversation");
    let d = cid(&expect_json(created, StatusCode::CREATED).await);

    let result = ResultFile::create();
    let senders = json!([
        {"name": "alice", "token": alice.access_token},
        {"name": "bob", "token": bob.access_token},
    ]);
    let mut scenario = Scenario::start(
        &host,
        "chat_crash.mjs",
        &[
            ("PARLEY_URL", server.base.clone()),
            ("CONVERSATION_ID", d.clone()),
            ("SENDERS", senders.to_string()),
            ("ACK_TARGET", ACK_TARGET.to_string()),
            ("IN_FLIGHT", "4".to_owned()),
            result.env(),
        ],
    );
    scenario.expect_line("ACKED").await;
    server.kill();
    scenario.finish().await;
    let acks = result.json_lines();
    assert!(
        acks.len() >= ACK_TARGET,
        "{} acks recorded, expected at least {ACK_TARGET}",
        acks.len()
    );

    // Same data, new process.
    let server =
        ServerProcess::start(data.path(), logs.path(), "after", &db_env(database_url)).await;
    let history = history_at(&client, &server.base, &alice.access_token, &d).await;
    let n = i64::try_from(history.len()).expect("small");
    assert_gapless(&history, n, "after the crash");
    let by_seq: HashMap<i64, &Value> = history.iter().map(|m| (seq(m), m)).collect();
    let mut acked_seqs = HashSet::new();
    for ack in &acks {
        let s = seq(ack);
        assert!(acked_seqs.insert(s), "two acks with seq {s}: {acks:?}");
        let stored = by_seq
            .get(&s)
            .unwrap_or_else(|| panic!("acked {ack} is missing after the crash ({n} stored)"));
        assert_eq!(stored["id"], ack["id"], "seq {s}: the acked message");
        assert_eq!(stored["client_id"], ack["client_id"], "seq {s}");
        assert_eq!(stored["sender"]["id"], ack["sender_id"], "seq {s}");
        assert_eq!(stored["deleted"], false);
    }
    // Whatever else was stored was sent by the script (in flight at the kill).
    let mut client_ids = HashSet::new();
    for m in &history {
        let client_id = m["client_id"]
            .as_str()
            .expect("every crash-test message has a client_id");
        assert!(
            client_ids.insert(client_id.to_owned()),
            "{client_id} stored twice"
        );
        let sender = m["sender"]["username"].as_str().expect("sender");
        assert!(client_id.starts_with(&format!("{sender}-")), "{m}");
    }
    eprintln!(
        "crash test ({}): {} acked, {} stored",
        backend.name(),
        acks.len(),
        history.len()
    );

    // The numbering goes on where it stopped, and retries still dedupe.
    let tokens: HashMap<&str, &str> = [
        (alice.user_id(), alice.access_token.as_str()),
        (bob.user_id(), bob.access_token.as_str()),
    ]
    .into_iter()
    .collect();
    let last_ack = acks.last().expect("acks");
    let sender_token = tokens[last_ack["sender_id"].as_str().expect("sender_id")];
    let retried = client
        .post(server.url(&format!("/api/v1/conversations/{d}/messages")))
        .bearer_auth(sender_token)
        .json(&json!({"text": "retry", "client_id": last_ack["client_id"]}))
        .send()
        .await
        .expect("retry request");
    let retried = expect_json(retried, StatusCode::OK).await;
    assert_eq!(retried["id"], last_ack["id"]);
    assert_eq!(retried["seq"], last_ack["seq"]);
    let next = client
        .post(server.url(&format!("/api/v1/conversations/{d}/messages")))
        .bearer_auth(&bob.access_token)
        .json(&json!({"text": "after the crash", "client_id": "after"}))
        .send()
        .await
        .expect("send after the restart");
    let next = expect_json(next, StatusCode::CREATED).await;
    assert_eq!(
        seq(&next),
        n + 1,
        "no seq reused or skipped after the crash"
    );
    drop(server);
    drop(database);
}

/// The environment naming the crash test's database, if not SQLite.
fn db_env(database_url: Option<&str>) -> Vec<(&'static str, String)> {
    database_url
        .map(|url| vec![("PARLEY_DATABASE_URL", url.to_owned())])
        .unwrap_or_default()
}
