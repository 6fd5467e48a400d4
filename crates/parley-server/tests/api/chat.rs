//! Chat over REST (docs/api.md "Chat"): direct conversations (one per pair),
//! groups, the conversation list (most recently active first, with the last
//! message and exact unread counts), sending with `client_id` idempotency and
//! the text rules, history by `seq` (forward, backward, latest) without gaps
//! or duplicates, edits and deletions, read markers that only move forward,
//! members joining and leaving, membership as the access rule (404 for
//! everyone else), and the per-user message rate limit.

use crate::chat_support::*;
use crate::helpers::*;
use crate::social_support::{assert_recent, unknown_id};
use futures::future::join_all;
use parley_server::Config;
use parley_server::ratelimit::Limit;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

both_backends!(
    a_direct_conversation_is_created_once_per_pair,
    a_group_has_its_title_and_every_member,
    the_list_is_ordered_by_activity_with_last_message_and_exact_unread_counts,
    a_conversation_is_not_found_for_non_members,
    a_client_id_makes_a_send_idempotent,
    message_text_must_be_1_to_4000_characters,
    history_pages_forward_backward_and_latest_without_gaps,
    only_the_sender_edits_or_deletes_and_deleted_is_gone,
    the_read_marker_only_moves_forward,
    an_added_member_reads_the_history_and_sends,
    a_member_who_leaves_loses_access,
    non_members_cannot_send_read_or_mark_read,
    rest_sends_are_rate_limited_per_user,
);

/// Lets the clock move on, so that activity times (milliseconds) differ.
async fn tick() {
    tokio::time::sleep(Duration::from_millis(15)).await;
}

async fn a_direct_conversation_is_created_once_per_pair(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;

    let created = direct(&app, &alice, &bob).await;
    assert_eq!(created["kind"], "direct", "{created}");
    assert!(created["title"].is_null(), "{created}");
    assert_eq!(member_names(&created), ["alice", "bob"]);
    for who in [&alice, &bob] {
        assert_eq!(member(&created, who)["last_read_seq"], 0, "{created}");
    }
    assert!(created["last_message"].is_null(), "{created}");
    assert_eq!(created["unread_count"], 0, "{created}");
    let id = cid(&created);

    // Asking again, from either side and however the name is spelled, gives
    // the same conversation with 200.
    for (who, usernames) in [
        (&alice, json!(["bob"])),
        (&bob, json!(["alice"])),
        (&alice, json!(["BOB"])),
        (&bob, json!([" alice "])),
        (&alice, json!(["bob", "alice"])),
        (&alice, json!(["bob", "bob"])),
    ] {
        let again = start_expect(&app, who, &json!({"usernames": usernames}), StatusCode::OK).await;
        assert_eq!(again["id"], id.as_str(), "{usernames}: the existing one");
        assert_eq!(again["kind"], "direct");
        assert_eq!(member_names(&again), ["alice", "bob"]);
    }

    // Another pair is another conversation.
    tick().await;
    let other = cid(&direct(&app, &alice, &carol).await);
    assert_ne!(other, id);
    assert_eq!(
        conversation_ids(&app, &alice).await,
        [other.clone(), id.clone()]
    );
    assert_eq!(conversation_ids(&app, &bob).await, [id.as_str()]);
    assert_eq!(conversation_ids(&app, &carol).await, [other.as_str()]);

    // Both sides asking at the same moment still make one conversation.
    let dave = app.signup("dave").await;
    let erin = app.signup("erin").await;
    let (to_erin, to_dave) = (
        json!({"usernames": ["erin"]}),
        json!({"usernames": ["dave"]}),
    );
    let (a, b) = tokio::join!(
        start_raw(&app, &dave, &to_erin),
        start_raw(&app, &erin, &to_dave),
    );
    let mut statuses = vec![a.status(), b.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CREATED],
        "one creates, the other finds it"
    );
    let (a, b) = (body_json(a).await, body_json(b).await);
    assert_eq!(a["id"], b["id"], "one conversation for the pair: {a} / {b}");
    assert_eq!(conversation_ids(&app, &dave).await.len(), 1);
    assert_eq!(conversation_ids(&app, &erin).await.len(), 1);

    // Refusals.
    for body in [
        json!({"usernames": ["alice"]}),
        json!({"usernames": []}),
        json!({"usernames": ["nobody_here"]}),
        json!({"usernames": ["bob", "nobody_here"]}),
    ] {
        assert_invalid(start_raw(&app, &alice, &body).await, "usernames").await;
    }
    let unauthenticated = app
        .post_json("/api/v1/conversations", &json!({"usernames": ["bob"]}))
        .await;
    assert_error_shape(&expect_json(unauthenticated, StatusCode::UNAUTHORIZED).await);
    assert_eq!(
        conversation_ids(&app, &alice).await,
        [other, id],
        "refused requests created nothing"
    );
}

async fn a_group_has_its_title_and_every_member(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let dave = app.signup("dave").await;

    let g = group(&app, &alice, &[&bob, &carol], "Weekend trip").await;
    assert_eq!(g["kind"], "group", "{g}");
    assert_eq!(g["title"], "Weekend trip", "{g}");
    assert_eq!(member_names(&g), ["alice", "bob", "carol"]);
    for who in [&alice, &bob, &carol] {
        assert_eq!(member(&g, who)["last_read_seq"], 0, "{g}");
    }
    assert!(g["last_message"].is_null(), "{g}");
    assert_eq!(g["unread_count"], 0, "{g}");
    let id = cid(&g);

    // Every member sees it, the same; nobody else does.
    for who in [&alice, &bob, &carol] {
        let seen = conversation(&app, who, &id).await;
        assert_eq!(seen["title"], "Weekend trip");
        assert_eq!(member_names(&seen), ["alice", "bob", "carol"]);
        assert_eq!(conversation_ids(&app, who).await, [id.as_str()]);
    }
    assert_error(
        get_conversation_raw(&app, &dave, &id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Groups are not reused: the same request makes another one. A name
    // given twice makes one member.
    let again = start_expect(
        &app,
        &alice,
        &json!({"usernames": ["bob", "carol", "carol"], "title": "Weekend trip"}),
        StatusCode::CREATED,
    )
    .await;
    assert_ne!(cid(&again), id);
    assert_eq!(member_names(&again), ["alice", "bob", "carol"]);

    // A title over 100 characters is refused, and creates nothing.
    assert_invalid(
        start_raw(
            &app,
            &alice,
            &json!({"usernames": ["bob", "carol"], "title": "t".repeat(101)}),
        )
        .await,
        "title",
    )
    .await;
    assert_eq!(conversation_ids(&app, &bob).await.len(), 2);
}

async fn the_list_is_ordered_by_activity_with_last_message_and_exact_unread_counts(
    backend: Backend,
) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let dave = app.signup("dave").await;

    let d_bob = cid(&direct(&app, &alice, &bob).await);
    tick().await;
    let d_carol = cid(&direct(&app, &alice, &carol).await);
    tick().await;
    let g = cid(&group(&app, &alice, &[&bob, &carol, &dave], "all of us").await);
    tick().await;
    // Without messages: newest first.
    assert_eq!(
        conversation_ids(&app, &alice).await,
        [g.clone(), d_carol.clone(), d_bob.clone()]
    );

    // bob writes three times: that conversation moves to the top.
    let from_bob = send_many(&app, &bob, &d_bob, "from bob", 3).await;
    assert_eq!(seqs(&from_bob), [1, 2, 3]);
    tick().await;
    assert_eq!(
        conversation_ids(&app, &alice).await,
        [d_bob.clone(), g.clone(), d_carol.clone()]
    );
    let listed = conversations(&app, &alice).await;
    assert_eq!(listed[0]["last_message"]["id"], from_bob[2]["id"]);
    assert_eq!(listed[0]["last_message"]["text"], "from bob 3");
    assert_eq!(listed[0]["last_message"]["seq"], 3);
    assert!(listed[2]["last_message"].is_null());
    assert_eq!(unread(&app, &alice, &d_bob).await, 3);
    assert_eq!(
        unread(&app, &bob, &d_bob).await,
        0,
        "your own messages are never unread"
    );

    // carol writes in the group.
    let in_group = send(&app, &carol, &g, "hello all").await;
    tick().await;
    assert_eq!(
        conversation_ids(&app, &alice).await,
        [g.clone(), d_bob.clone(), d_carol.clone()]
    );
    for who in [&alice, &bob, &dave] {
        assert_eq!(unread(&app, who, &g).await, 1, "{}", who.username());
    }
    assert_eq!(unread(&app, &carol, &g).await, 0);
    assert_eq!(
        conversation(&app, &dave, &g).await["last_message"]["id"],
        in_group["id"]
    );

    // alice answers bob: sending moves her own read marker to her message,
    // so what bob wrote before counts as read.
    let answer = send(&app, &alice, &d_bob, "hi bob").await;
    assert_eq!(seq(&answer), 4);
    tick().await;
    assert_eq!(
        conversation_ids(&app, &alice).await,
        [d_bob.clone(), g.clone(), d_carol.clone()]
    );
    assert_eq!(unread(&app, &alice, &d_bob).await, 0);
    assert_eq!(last_read_seq(&app, &bob, &d_bob, &alice).await, 4);
    assert_eq!(unread(&app, &bob, &d_bob).await, 1);

    // bob writes twice more, then deletes his last one: deleted messages
    // are not unread.
    let more = send_many(&app, &bob, &d_bob, "more", 2).await;
    assert_eq!(seqs(&more), [5, 6]);
    assert_eq!(unread(&app, &alice, &d_bob).await, 2);
    assert_eq!(unread(&app, &bob, &d_bob).await, 0);
    expect_status(
        app.bearer_delete(
            &bob.access_token,
            &format!("/api/v1/messages/{}", cid(&more[1])),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(unread(&app, &alice, &d_bob).await, 1);
    let seen = conversation(&app, &alice, &d_bob).await;
    assert_eq!(seen["last_message"]["seq"], 6, "{seen}");
    assert_eq!(seen["last_message"]["deleted"], true, "{seen}");
    mark_read(&app, &alice, &d_bob, 5).await;
    assert_eq!(unread(&app, &alice, &d_bob).await, 0);

    // Paging through the list gives the same order.
    let one_by_one: Vec<String> = conversations_paged(&app, &alice, 1)
        .await
        .iter()
        .map(cid)
        .collect();
    assert_eq!(one_by_one, conversation_ids(&app, &alice).await);
    // Everyone lists exactly their own conversations.
    assert_eq!(conversation_ids(&app, &dave).await, [g.as_str()]);
    assert_eq!(
        conversation_ids(&app, &carol).await,
        [g.clone(), d_carol.clone()]
    );
    assert_eq!(unread(&app, &carol, &d_carol).await, 0);
}

async fn a_conversation_is_not_found_for_non_members(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let mallory = app.signup("mallory").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    send(&app, &alice, &d, "private").await;

    for path in [
        format!("/api/v1/conversations/{d}"),
        format!("/api/v1/conversations/{d}/messages"),
        format!("/api/v1/conversations/{d}/messages?after_seq=0"),
        format!("/api/v1/conversations/{d}/messages?before_seq=5"),
        format!("/api/v1/conversations/{}", unknown_id()),
        "/api/v1/conversations/not-a-uuid".to_owned(),
    ] {
        assert_error(
            app.bearer_get(&mallory.access_token, &path).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert!(conversation_ids(&app, &mallory).await.is_empty());
    let signed_out = app.get(&format!("/api/v1/conversations/{d}")).await;
    assert_error_shape(&expect_json(signed_out, StatusCode::UNAUTHORIZED).await);
    let signed_out = app.get("/api/v1/conversations").await;
    assert_error_shape(&expect_json(signed_out, StatusCode::UNAUTHORIZED).await);
    // The members still see it.
    conversation(&app, &alice, &d).await;
    conversation(&app, &bob, &d).await;
}

async fn a_client_id_makes_a_send_idempotent(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    let token = alice.access_token.as_str();

    let first = expect_json(
        send_raw(&app, token, &d, &json!({"text": "hi", "client_id": "c-1"})).await,
        StatusCode::CREATED,
    )
    .await;
    assert_message_of(&first, &alice, &d, "hi");
    assert_eq!(first["seq"], 1);
    assert_eq!(first["client_id"], "c-1");
    assert!(first["edited_at"].is_null());
    assert_eq!(first["media"], json!([]));

    // The same client_id again: the same message, 200, whatever the text.
    for body in [
        json!({"text": "hi", "client_id": "c-1"}),
        json!({"text": "hi (retry)", "client_id": "c-1"}),
    ] {
        let again = expect_json(send_raw(&app, token, &d, &body).await, StatusCode::OK).await;
        assert_eq!(again, first, "a retry returns the first message unchanged");
    }
    assert_eq!(
        full_history(&app, &alice, &d).await,
        std::slice::from_ref(&first),
        "one message stored"
    );

    // client_ids belong to their sender and their conversation.
    let bobs = expect_json(
        send_raw(
            &app,
            &bob.access_token,
            &d,
            &json!({"text": "mine", "client_id": "c-1"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_message_of(&bobs, &bob, &d, "mine");
    assert_eq!(bobs["seq"], 2);
    let elsewhere = cid(&direct(&app, &alice, &carol).await);
    let other = expect_json(
        send_raw(
            &app,
            token,
            &elsewhere,
            &json!({"text": "hi", "client_id": "c-1"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(other["seq"], 1);
    assert_ne!(other["id"], first["id"]);

    // Without a client_id every send is a new message.
    let a = send(&app, &alice, &d, "same words").await;
    let b = send(&app, &alice, &d, "same words").await;
    assert_eq!((seq(&a), seq(&b)), (3, 4));
    assert!(a["client_id"].is_null() && b["client_id"].is_null());

    // Eight concurrent retries of one client_id: one stored (201), seven
    // answered with it (200).
    let raced = json!({"text": "raced", "client_id": "c-race"});
    let responses = join_all((0..8).map(|_| send_raw(&app, token, &d, &raced))).await;
    let mut created = 0;
    let mut ids = Vec::new();
    for response in responses {
        let status = response.status();
        let body = body_json(response).await;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::OK,
            "{status}: {body}"
        );
        if status == StatusCode::CREATED {
            created += 1;
        }
        assert_eq!(body["seq"], 5, "{body}");
        ids.push(body["id"].clone());
    }
    assert_eq!(
        created, 1,
        "exactly one of the concurrent retries stored it"
    );
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");

    let all = full_history(&app, &bob, &d).await;
    assert_gapless(&all, 5, "after retries");
    let stored_race: Vec<&Value> = all.iter().filter(|m| m["client_id"] == "c-race").collect();
    assert_eq!(stored_race.len(), 1);

    // client_id rules; a refused send stores nothing.
    for bad in [json!(""), json!("x".repeat(101))] {
        assert_invalid(
            send_raw(&app, token, &d, &json!({"text": "x", "client_id": bad})).await,
            "client_id",
        )
        .await;
    }
    assert_eq!(full_history(&app, &alice, &d).await.len(), 5);
}

async fn message_text_must_be_1_to_4000_characters(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    let token = alice.access_token.as_str();

    for text in [
        String::new(),
        "   \n\t ".to_owned(),
        "a".repeat(4001),
        "가".repeat(4001),
    ] {
        assert_invalid(
            send_raw(&app, token, &d, &json!({"text": text})).await,
            "text",
        )
        .await;
    }
    assert_invalid(
        send_raw(&app, token, &d, &json!({"client_id": "x"})).await,
        "text",
    )
    .await;
    assert!(
        full_history(&app, &alice, &d).await.is_empty(),
        "refused sends store nothing"
    );

    // 4000 characters is the limit in characters, not bytes.
    let ascii = "a".repeat(4000);
    let hangul = "가".repeat(4000);
    let m1 = send(&app, &alice, &d, &ascii).await;
    let m2 = send(&app, &alice, &d, &hangul).await;
    assert_eq!((seq(&m1), seq(&m2)), (1, 2));
    let stored = full_history(&app, &bob, &d).await;
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0]["text"], ascii.as_str());
    assert_eq!(stored[1]["text"], hangul.as_str());
}

async fn history_pages_forward_backward_and_latest_without_gaps(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    // 45 messages from both sides.
    for i in 1..=45 {
        let who = if i % 3 == 0 { &bob } else { &alice };
        let m = send(&app, who, &d, &format!("m {i}")).await;
        assert_eq!(seq(&m), i);
    }
    let page = |query: &'static str| history_page(&app, &bob, &d, query);
    let range = |a: i64, b: i64| (a..=b).collect::<Vec<i64>>();

    // The latest page, in seq order (default limit 20).
    let (items, next) = page("").await;
    assert_eq!(seqs(&items), range(26, 45));
    assert!(next.is_some(), "older messages remain");
    for m in &items {
        assert_eq!(m["text"], format!("m {}", seq(m)), "{m}");
    }
    let (items, _) = page("?limit=10").await;
    assert_eq!(seqs(&items), range(36, 45));
    let (items, _) = page("?before_seq=1000&limit=10").await;
    assert_eq!(seqs(&items), range(36, 45));

    // Backward with before_seq, from the latest page down to the first message.
    let mut backward: Vec<i64> = seqs(&items);
    let mut before = 36;
    loop {
        let (items, next) =
            history_page(&app, &alice, &d, &format!("?before_seq={before}&limit=10")).await;
        let s = seqs(&items);
        assert!(
            s.last().is_some_and(|&last| last == before - 1),
            "before_seq={before}: the page ends right before it, got {s:?}"
        );
        let mut merged = s.clone();
        merged.extend(backward);
        backward = merged;
        before = s[0];
        if before == 1 {
            assert!(next.is_none(), "the first message ends the way back");
            break;
        }
        assert!(next.is_some(), "before_seq={before}: more remain");
    }
    assert_eq!(backward, range(1, 45), "no gaps, no duplicates going back");
    let (items, next) = page("?before_seq=1").await;
    assert!(items.is_empty() && next.is_none());

    // Forward with after_seq.
    for limit in [7, 9, 45, 100] {
        let mut forward: Vec<i64> = Vec::new();
        let mut after = 0;
        loop {
            let (items, next) = history_page(
                &app,
                &alice,
                &d,
                &format!("?after_seq={after}&limit={limit}"),
            )
            .await;
            let s = seqs(&items);
            assert_eq!(
                s.first().copied(),
                Some(after + 1),
                "after_seq={after}: the page starts right after it"
            );
            forward.extend(&s);
            after = *s.last().expect("a non-empty page");
            if after == 45 {
                assert!(
                    next.is_none(),
                    "limit {limit}: the last page has no next_cursor"
                );
                break;
            }
            assert!(
                next.is_some(),
                "limit {limit}: after_seq={after}: more remain"
            );
        }
        assert_eq!(
            forward,
            range(1, 45),
            "limit {limit}: no gaps, no duplicates"
        );
    }
    let (items, next) = page("?after_seq=45").await;
    assert!(items.is_empty() && next.is_none());
    let (items, _) = page("?after_seq=44").await;
    assert_eq!(seqs(&items), [45]);

    // Both directions at once, or bad limits: 422.
    for query in [
        "?after_seq=10&before_seq=20",
        "?after_seq=0&before_seq=46",
        "?limit=0",
        "?limit=101",
        "?after_seq=abc",
    ] {
        let body = assert_error(
            history_raw(&app, &alice.access_token, &d, query).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(body["error"]["fields"].is_object(), "{query}: {body}");
    }
}

async fn only_the_sender_edits_or_deletes_and_deleted_is_gone(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let mallory = app.signup("mallory").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    let m1 = send(&app, &alice, &d, "original").await;
    let m2 = send(&app, &bob, &d, "bob's").await;
    let path = format!("/api/v1/messages/{}", cid(&m1));
    let edit = |who: &Session, text: &str| {
        let token = who.access_token.clone();
        let body = json!({"text": text});
        let path = path.clone();
        let app = &app;
        async move { app.bearer_patch(&token, &path, &body).await }
    };
    let delete = |who: &Session| {
        let token = who.access_token.clone();
        let path = path.clone();
        let app = &app;
        async move { app.bearer_delete(&token, &path, None).await }
    };

    // Another member may not: 403. A non-member does not see it: 404.
    assert_error_shape(&expect_json(edit(&bob, "hijacked").await, StatusCode::FORBIDDEN).await);
    assert_error_shape(&expect_json(delete(&bob).await, StatusCode::FORBIDDEN).await);
    assert_error(
        edit(&mallory, "x").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(delete(&mallory).await, StatusCode::NOT_FOUND, "not_found").await;
    // The text rules hold for edits.
    assert_invalid(edit(&alice, "").await, "text").await;
    assert_invalid(edit(&alice, &"a".repeat(4001)).await, "text").await;
    let unchanged = full_history(&app, &bob, &d).await;
    assert_eq!(
        unchanged,
        [m1.clone(), m2.clone()],
        "refused edits change nothing"
    );

    // The sender edits.
    let edited = expect_json(edit(&alice, "edited").await, StatusCode::OK).await;
    assert_message_of(&edited, &alice, &d, "edited");
    for key in ["id", "seq", "created_at", "client_id", "conversation_id"] {
        assert_eq!(edited[key], m1[key], "edit keeps {key}");
    }
    assert_recent(&edited["edited_at"]);
    let after_edit = full_history(&app, &bob, &d).await;
    assert_eq!(after_edit, [edited.clone(), m2.clone()]);

    // The sender deletes: the place in the history stays, emptied.
    expect_status(delete(&alice).await, StatusCode::NO_CONTENT).await;
    let after_delete = full_history(&app, &bob, &d).await;
    assert_eq!(seqs(&after_delete), [1, 2]);
    assert_eq!(after_delete[0]["id"], m1["id"]);
    assert_eq!(after_delete[0]["deleted"], true, "{}", after_delete[0]);
    assert_eq!(
        after_delete[0]["text"], "",
        "a deleted message keeps no text"
    );
    assert_eq!(after_delete[1], m2);
    assert_eq!(
        unread(&app, &bob, &d).await,
        0,
        "a deleted message is not unread"
    );

    // Deleted is gone: 410 for edit and delete alike, for the sender; still
    // 403 for the others, 404 for outsiders.
    assert_error_shape(&expect_json(edit(&alice, "again").await, StatusCode::GONE).await);
    assert_error_shape(&expect_json(delete(&alice).await, StatusCode::GONE).await);
    assert_error(delete(&mallory).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(full_history(&app, &alice, &d).await, after_delete);

    // Unknown or malformed ids: 404.
    for id in [unknown_id(), "not-a-uuid".to_owned()] {
        let path = format!("/api/v1/messages/{id}");
        assert_error(
            app.bearer_patch(&alice.access_token, &path, &json!({"text": "x"}))
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_error(
            app.bearer_delete(&alice.access_token, &path, None).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
}

async fn the_read_marker_only_moves_forward(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    send_many(&app, &bob, &d, "b", 6).await;
    assert_eq!(unread(&app, &alice, &d).await, 6);
    assert_eq!(last_read_seq(&app, &alice, &d, &alice).await, 0);
    assert_eq!(
        last_read_seq(&app, &alice, &d, &bob).await,
        6,
        "sending moved bob's own marker to his last message"
    );

    mark_read(&app, &alice, &d, 5).await;
    assert_eq!(last_read_seq(&app, &bob, &d, &alice).await, 5);
    assert_eq!(unread(&app, &alice, &d).await, 1);
    // Back: no effect.
    for back in [3, 0, 5] {
        mark_read(&app, &alice, &d, back).await;
        assert_eq!(
            last_read_seq(&app, &bob, &d, &alice).await,
            5,
            "read {back}"
        );
        assert_eq!(unread(&app, &alice, &d).await, 1);
    }
    // Beyond the last message: clamped to it.
    mark_read(&app, &alice, &d, 100).await;
    assert_eq!(last_read_seq(&app, &bob, &d, &alice).await, 6);
    assert_eq!(unread(&app, &alice, &d).await, 0);
    // A new message is unread again; the marker stays where it was.
    send(&app, &bob, &d, "b 7").await;
    assert_eq!(unread(&app, &alice, &d).await, 1);
    assert_eq!(last_read_seq(&app, &bob, &d, &alice).await, 6);

    // An empty conversation's marker stays 0.
    let empty = cid(&direct(&app, &alice, &carol).await);
    mark_read(&app, &alice, &empty, 5).await;
    assert_eq!(last_read_seq(&app, &carol, &empty, &alice).await, 0);
    send(&app, &carol, &empty, "now there is one").await;
    assert_eq!(unread(&app, &alice, &empty).await, 1);

    // Refusals.
    assert_invalid(mark_read_raw(&app, &alice, &d, -1).await, "seq").await;
    let response = app
        .bearer_post(
            &alice.access_token,
            &format!("/api/v1/conversations/{d}/read"),
            &json!({"seq": "x"}),
        )
        .await;
    assert_invalid(response, "seq").await;
    assert_eq!(last_read_seq(&app, &bob, &d, &alice).await, 6);
}

async fn an_added_member_reads_the_history_and_sends(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let dave = app.signup("dave").await;
    let erin = app.signup("erin").await;
    let mallory = app.signup("mallory").await;
    let g = cid(&group(&app, &alice, &[&bob], "g").await);
    let before = send_many(&app, &alice, &g, "before dave", 3).await;
    assert_error(
        get_conversation_raw(&app, &dave, &g).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let added = expect_json(
        add_member_raw(&app, &alice, &g, "dave").await,
        StatusCode::OK,
    )
    .await;
    assert_conversation_shape(&added);
    assert_eq!(member_names(&added), ["alice", "bob", "dave"]);

    // dave now reads the whole history, sees the group listed, and writes.
    let seen = conversation(&app, &dave, &g).await;
    assert_eq!(member_names(&seen), ["alice", "bob", "dave"]);
    assert_eq!(full_history(&app, &dave, &g).await, before);
    assert_eq!(conversation_ids(&app, &dave).await, [g.as_str()]);
    let from_dave = send(&app, &dave, &g, "hi, I'm dave").await;
    assert_eq!(seq(&from_dave), 4);
    assert_eq!(unread(&app, &bob, &g).await, 4);

    // Any member may add; adding a member again changes nothing.
    let added = expect_json(add_member_raw(&app, &bob, &g, "erin").await, StatusCode::OK).await;
    assert_eq!(member_names(&added), ["alice", "bob", "dave", "erin"]);
    let again = expect_json(
        add_member_raw(&app, &alice, &g, "dave").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(member_names(&again), ["alice", "bob", "dave", "erin"]);
    conversation(&app, &erin, &g).await;

    // Refusals: unknown user, outsider, direct conversation, no username.
    assert_error(
        add_member_raw(&app, &alice, &g, "nobody_here").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        add_member_raw(&app, &mallory, &g, "mallory").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        get_conversation_raw(&app, &mallory, &g).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let d = cid(&direct(&app, &alice, &bob).await);
    assert_error(
        add_member_raw(&app, &alice, &d, "dave").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        member_names(&conversation(&app, &alice, &d).await),
        ["alice", "bob"]
    );
    assert_error(
        get_conversation_raw(&app, &dave, &d).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let response = app
        .bearer_post(
            &alice.access_token,
            &format!("/api/v1/conversations/{g}/members"),
            &json!({}),
        )
        .await;
    assert_invalid(response, "username").await;
}

async fn a_member_who_leaves_loses_access(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let g = cid(&group(&app, &alice, &[&bob, &carol], "g").await);
    let from_carol = send(&app, &carol, &g, "bye soon").await;
    send(&app, &alice, &g, "ok").await;

    leave(&app, &carol, &g).await;

    // For carol the group no longer exists.
    assert_error(
        get_conversation_raw(&app, &carol, &g).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        history_raw(&app, &carol.access_token, &g, "").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        send_raw(
            &app,
            &carol.access_token,
            &g,
            &json!({"text": "still here?"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        mark_read_raw(&app, &carol, &g, 2).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.bearer_patch(
            &carol.access_token,
            &format!("/api/v1/messages/{}", cid(&from_carol)),
            &json!({"text": "rewritten"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        add_member_raw(&app, &carol, &g, "carol").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        leave_raw(&app, &carol, &g).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(conversation_ids(&app, &carol).await.is_empty());

    // The others carry on without her; what she wrote stays.
    let seen = conversation(&app, &alice, &g).await;
    assert_eq!(member_names(&seen), ["alice", "bob"]);
    let all = full_history(&app, &bob, &g).await;
    assert_gapless(&all, 2, "nothing stored from the leaver's attempt");
    assert_eq!(all[0], from_carol);

    // A direct conversation cannot be left.
    let d = cid(&direct(&app, &alice, &bob).await);
    assert_error(
        leave_raw(&app, &alice, &d).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        member_names(&conversation(&app, &alice, &d).await),
        ["alice", "bob"]
    );

    // Added back, she reads everything again.
    expect_json(
        add_member_raw(&app, &alice, &g, "carol").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(full_history(&app, &carol, &g).await, all);
}

async fn non_members_cannot_send_read_or_mark_read(backend: Backend) {
    let app = chat_app(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let mallory = app.signup("mallory").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    let sent = vec![
        expect_json(
            send_raw(
                &app,
                &alice.access_token,
                &d,
                &json!({"text": "one", "client_id": "k-1"}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await,
        send(&app, &alice, &d, "two").await,
    ];
    let token = mallory.access_token.as_str();

    for body in [
        json!({"text": "let me in"}),
        json!({"text": "one", "client_id": "k-1"}),
    ] {
        assert_error(
            send_raw(&app, token, &d, &body).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    for query in ["", "?after_seq=0", "?before_seq=3"] {
        assert_error(
            history_raw(&app, token, &d, query).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert_error(
        mark_read_raw(&app, &mallory, &d, 2).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        send_raw(&app, token, &unknown_id(), &json!({"text": "anyone?"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        mark_read_raw(&app, &mallory, &unknown_id(), 1).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Nothing was stored or changed.
    assert_eq!(full_history(&app, &bob, &d).await, sent);
    assert_eq!(unread(&app, &bob, &d).await, 2);
    let c = conversation(&app, &alice, &d).await;
    assert_eq!(member(&c, &alice)["last_read_seq"], 2);
    assert_eq!(member(&c, &bob)["last_read_seq"], 0);
    assert_eq!(member_names(&c), ["alice", "bob"]);
    assert!(conversation_ids(&app, &mallory).await.is_empty());

    // Signed out: 401.
    let response = app
        .post_json(
            &format!("/api/v1/conversations/{d}/messages"),
            &json!({"text": "x"}),
        )
        .await;
    assert_error_shape(&expect_json(response, StatusCode::UNAUTHORIZED).await);
    assert_eq!(full_history(&app, &bob, &d).await.len(), 2);
}

fn header_u64(response: &reqwest::Response, name: &str) -> u64 {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("missing or non-numeric {name}: {:?}", response.headers()))
}

async fn rest_sends_are_rate_limited_per_user(backend: Backend) {
    // The documented default: 20 messages per 10 seconds.
    let defaults = Config::for_tests(std::path::Path::new("unused"));
    assert_eq!(
        defaults.rate_limits.message,
        Limit::new(20, Duration::from_secs(10))
    );

    let app = chat_app_with_message_limit(backend, 3).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let d = cid(&direct(&app, &alice, &bob).await);
    let other = cid(&direct(&app, &alice, &carol).await);
    send_many(&app, &alice, &d, "ok", 3).await;

    let mut limit_headers = Vec::new();
    for (conversation, text) in [(&d, "one too many"), (&other, "elsewhere"), (&d, "again")] {
        let response = send_raw(
            &app,
            &alice.access_token,
            conversation,
            &json!({"text": text}),
        )
        .await;
        let retry_after = header_u64(&response, "retry-after");
        assert!(
            (1..=LONG_WINDOW.as_secs()).contains(&retry_after),
            "Retry-After {retry_after}"
        );
        limit_headers.push((
            retry_after,
            ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"]
                .map(|name| header_u64(&response, name)),
        ));
        let body = assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        if let Some(in_body) = body["error"].get("retry_after") {
            assert_eq!(in_body.as_u64(), Some(retry_after), "{body}");
        }
    }
    // Nothing of the refused sends was stored.
    assert_gapless(&full_history(&app, &bob, &d).await, 3, "refused sends");
    assert!(full_history(&app, &carol, &other).await.is_empty());

    // The limit is per user: bob still sends.
    let m = send(&app, &bob, &d, "my turn").await;
    assert_eq!(seq(&m), 4);

    // docs/api.md: a 429 always comes with RateLimit-Limit / -Remaining / -Reset,
    // and they describe the limit that refused the request (as the global
    // and sign-in limits do): the message limit, used up, resetting when
    // Retry-After says.
    for (retry_after, [limit, remaining, reset]) in limit_headers {
        assert_eq!(
            (limit, remaining),
            (3, 0),
            "RateLimit-Limit / RateLimit-Remaining of a message 429 (Retry-After {retry_after}, \
             RateLimit-Reset {reset})"
        );
        assert!(
            reset.abs_diff(retry_after) <= 1,
            "RateLimit-Reset {reset} vs Retry-After {retry_after}"
        );
    }
}
