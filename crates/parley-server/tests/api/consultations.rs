//! Consultations over REST (docs/api.md "Support desk"): opening one (its
//! `support` conversation and first message), the role matrix on every
//! endpoint (customer, agent, owner, stranger, an agent of another
//! organization, another customer), the status machine and its 409s with
//! the `system` notes, the queue's order and filters, round robin under
//! capacity, the FAQ shortcut, the agents' shared unread count, and an
//! agent's removal sending their consultations back to the queue.

use crate::chat_support::*;
use crate::helpers::*;
use crate::social_support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    opening_starts_a_support_conversation,
    opening_is_validated_and_stores_nothing_when_refused,
    only_the_customer_and_the_agents_see_a_consultation,
    agents_only_and_customer_only_actions_are_refused_to_the_others,
    the_status_machine_and_its_conflicts,
    the_queue_is_ordered_and_filtered,
    round_robin_respects_capacity,
    the_faq_shortcut_answers_at_once,
    unread_counts_are_the_viewers_own,
    removing_an_agent_requeues_their_consultations,
);

/// An organization `slug` owned by `owner`, with these agents.
async fn desk(app: &TestApp, owner: &Session, slug: &str, agents: &[&Session]) -> Value {
    let org = expect_json(
        app.bearer_post(
            &owner.access_token,
            "/api/v1/orgs",
            &json!({"slug": slug, "name": format!("{slug} Inc.")}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    for agent in agents {
        expect_status(
            app.bearer_post(
                &owner.access_token,
                &format!("/api/v1/orgs/{slug}/agents"),
                &json!({"username": agent.username(), "role": "agent"}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    org
}

async fn open_raw(app: &TestApp, who: &Session, slug: &str, body: &Value) -> reqwest::Response {
    app.bearer_post(
        &who.access_token,
        &format!("/api/v1/orgs/{slug}/consultations"),
        body,
    )
    .await
}

async fn open(app: &TestApp, who: &Session, slug: &str, subject: &str) -> Value {
    let c = expect_json(
        open_raw(
            app,
            who,
            slug,
            &json!({"subject": subject, "text": format!("{subject}: please help")}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_consultation_shape(&c);
    c
}

fn path(slug: &str, c: &Value, action: &str) -> String {
    let id = c["id"].as_str().unwrap_or_default();
    if action.is_empty() {
        format!("/api/v1/orgs/{slug}/consultations/{id}")
    } else {
        format!("/api/v1/orgs/{slug}/consultations/{id}/{action}")
    }
}

async fn act_raw(
    app: &TestApp,
    who: &Session,
    slug: &str,
    c: &Value,
    action: &str,
    body: &Value,
) -> reqwest::Response {
    app.bearer_post(&who.access_token, &path(slug, c, action), body)
        .await
}

async fn act(app: &TestApp, who: &Session, slug: &str, c: &Value, action: &str) -> Value {
    let done = expect_json(
        act_raw(app, who, slug, c, action, &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_consultation_shape(&done);
    done
}

async fn get_raw(app: &TestApp, who: &Session, slug: &str, c: &Value) -> reqwest::Response {
    app.bearer_get(&who.access_token, &path(slug, c, "")).await
}

async fn queue(app: &TestApp, who: &Session, slug: &str, query: &str) -> Vec<Value> {
    let (items, next) = page(
        app,
        Some(&who.access_token),
        &format!("/api/v1/orgs/{slug}/consultations{query}"),
    )
    .await;
    assert!(next.is_none(), "small queues fit one page");
    items
}

fn subjects(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|c| c["subject"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn conversation(c: &Value) -> String {
    c["conversation_id"].as_str().unwrap_or_default().to_owned()
}

/// docs/api.md's `Consultation`.
fn assert_consultation_shape(c: &Value) {
    assert!(c["id"].is_string(), "{c}");
    assert!(c["organization"]["slug"].is_string(), "{c}");
    assert!(c["organization"]["name"].is_string(), "{c}");
    assert_summary_shape(&c["customer"]);
    assert!(c["subject"].is_string(), "{c}");
    assert!(
        matches!(c["status"].as_str(), Some("waiting" | "active" | "closed")),
        "{c}"
    );
    if !c["assignee"].is_null() {
        assert_summary_shape(&c["assignee"]);
    }
    assert!(c["conversation_id"].is_string(), "{c}");
    assert!(c["unread_count"].as_i64().is_some_and(|n| n >= 0), "{c}");
    if !c["last_message"].is_null() {
        assert_message_shape(&c["last_message"]);
    }
    assert_recent(&c["created_at"]);
    assert_eq!(c["closed_at"].is_null(), c["status"] != "closed", "{c}");
}

async fn notes(app: &TestApp, who: &Session, c: &Value) -> Vec<(String, String)> {
    full_history(app, who, &conversation(c))
        .await
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap_or_default().to_owned(),
                m["text"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn opening_starts_a_support_conversation(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let customer = app.signup("customer").await;
    desk(&app, &owner, "acme", &[]).await;
    let c = open(&app, &customer, "acme", "Broken login").await;
    assert_eq!(c["status"], "waiting");
    assert!(c["assignee"].is_null());
    assert_summary_of(&c["customer"], &customer);
    assert_eq!(c["organization"]["slug"], "acme");
    assert_eq!(c["unread_count"], 0, "the customer read their own message");
    let first = &c["last_message"];
    assert_eq!(
        (&first["seq"], &first["kind"], &first["text"]),
        (
            &json!(1),
            &json!("text"),
            &json!("Broken login: please help")
        )
    );
    assert_eq!(first["organization"]["slug"], "acme");
    assert_summary_of(&first["sender"], &customer);

    // The conversation is the customer's like any chat: listed, with its kind.
    let (items, _) = page(&app, Some(&customer.access_token), "/api/v1/conversations").await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["kind"], "support");
    assert_eq!(items[0]["title"], "Broken login");
    assert_eq!(items[0]["last_message"]["organization"]["slug"], "acme");
    // And it answers from the chat routes, for the customer and for the owner.
    let history = full_history(&app, &owner, &conversation(&c)).await;
    assert_eq!(history.len(), 1);
    let reply = send(&app, &owner, &conversation(&c), "Looking into it").await;
    assert_eq!(reply["seq"], 2);
    assert_eq!(reply["kind"], "text");
    assert_eq!(reply["organization"]["slug"], "acme");
    let (mine, _) = page(&app, Some(&customer.access_token), "/api/v1/consultations").await;
    assert_eq!(ids(&mine), [id_of(&c)]);
    assert_eq!(mine[0]["last_message"]["text"], "Looking into it");
    assert_eq!(mine[0]["unread_count"], 1);
}

async fn opening_is_validated_and_stores_nothing_when_refused(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let customer = app.signup("customer").await;
    desk(&app, &owner, "acme", &[]).await;
    for (body, field) in [
        (json!({"subject": "  ", "text": "hi"}), "subject"),
        (json!({"subject": "x".repeat(201), "text": "hi"}), "subject"),
        (json!({"subject": "a\u{7}b", "text": "hi"}), "subject"),
        (json!({"subject": "Help", "text": " "}), "text"),
        (json!({"subject": "Help", "text": "x".repeat(4001)}), "text"),
    ] {
        assert_invalid(open_raw(&app, &customer, "acme", &body).await, field).await;
    }
    assert_error(
        open_raw(
            &app,
            &customer,
            "nope",
            &json!({"subject": "Help", "text": "hi"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let (mine, _) = page(&app, Some(&customer.access_token), "/api/v1/consultations").await;
    assert!(mine.is_empty());
    let (chats, _) = page(&app, Some(&customer.access_token), "/api/v1/conversations").await;
    assert!(chats.is_empty(), "a refused opening leaves no conversation");
    let signed_out = app
        .post_json(
            "/api/v1/orgs/acme/consultations",
            &json!({"subject": "a", "text": "b"}),
        )
        .await;
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
}

async fn only_the_customer_and_the_agents_see_a_consultation(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let customer = app.signup("customer").await;
    let other_customer = app.signup("othercustomer").await;
    let stranger = app.signup("stranger").await;
    let rival = app.signup("rival").await;
    desk(&app, &owner, "acme", &[&agent]).await;
    desk(&app, &rival, "rivals", &[]).await;
    let c = open(&app, &customer, "acme", "Mine").await;
    let theirs = open(&app, &other_customer, "acme", "Theirs").await;
    let conv = conversation(&c);

    for who in [&customer, &agent, &owner] {
        let seen = expect_json(get_raw(&app, who, "acme", &c).await, StatusCode::OK).await;
        assert_eq!(seen["id"], c["id"]);
        let history = history_raw(&app, &who.access_token, &conv, "").await;
        assert_eq!(history.status(), StatusCode::OK, "{}", who.username());
    }
    for who in [&stranger, &rival, &other_customer] {
        assert_error(
            get_raw(&app, who, "acme", &c).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        for response in [
            history_raw(&app, &who.access_token, &conv, "").await,
            send_raw(&app, &who.access_token, &conv, &json!({"text": "hi"})).await,
            mark_read_raw(&app, who, &conv, 1).await,
            app.bearer_get(&who.access_token, &format!("/api/v1/conversations/{conv}"))
                .await,
        ] {
            assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
        }
        for action in ["assign", "close", "reopen", "faq"] {
            let body = json!({"faq_id": unknown_id()});
            assert_error(
                act_raw(&app, who, "acme", &c, action, &body).await,
                StatusCode::NOT_FOUND,
                "not_found",
            )
            .await;
        }
    }
    // Through another organization's slug it does not exist, even for its agents.
    for who in [&customer, &owner, &rival] {
        assert_error(
            get_raw(&app, who, "rivals", &c).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_error(
            act_raw(&app, who, "rivals", &c, "close", &json!({})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // The queue is for agents; each customer lists only their own.
    assert_eq!(subjects(&queue(&app, &agent, "acme", "").await).len(), 2);
    for who in [&customer, &stranger, &rival] {
        assert_error(
            app.bearer_get(&who.access_token, "/api/v1/orgs/acme/consultations")
                .await,
            StatusCode::FORBIDDEN,
            "not_agent",
        )
        .await;
    }
    assert!(queue(&app, &rival, "rivals", "").await.is_empty());
    let (mine, _) = page(&app, Some(&customer.access_token), "/api/v1/consultations").await;
    assert_eq!(ids(&mine), [id_of(&c)]);
    let (none, _) = page(&app, Some(&agent.access_token), "/api/v1/consultations").await;
    assert!(
        none.is_empty(),
        "agents are not customers of their own queue"
    );
    // Nothing anyone was refused changed anything.
    assert_eq!(full_history(&app, &customer, &conv).await.len(), 1);
    let after = expect_json(get_raw(&app, &owner, "acme", &theirs).await, StatusCode::OK).await;
    assert_eq!(after["status"], "waiting");
    // Unknown and malformed ids are 404.
    let ghost = json!({"id": unknown_id()});
    assert_error(
        get_raw(&app, &owner, "acme", &ghost).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let bad = json!({"id": "not-a-uuid"});
    assert_error(
        get_raw(&app, &owner, "acme", &bad).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn agents_only_and_customer_only_actions_are_refused_to_the_others(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let customer = app.signup("customer").await;
    let stranger = app.signup("stranger").await;
    desk(&app, &owner, "acme", &[&agent]).await;
    let faq = expect_json(
        app.bearer_post(
            &agent.access_token,
            "/api/v1/orgs/acme/faqs",
            &json!({"question": "Hours?", "answer": "9 to 5"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let c = open(&app, &customer, "acme", "Case").await;
    // Assigning is for agents: the customer sees it but may not.
    assert_error(
        act_raw(&app, &customer, "acme", &c, "assign", &json!({})).await,
        StatusCode::FORBIDDEN,
        "not_agent",
    )
    .await;
    // Picking an FAQ entry and reopening are the customer's.
    assert_error(
        act_raw(
            &app,
            &agent,
            "acme",
            &c,
            "faq",
            &json!({"faq_id": faq["id"]}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "not_customer",
    )
    .await;
    act(&app, &customer, "acme", &c, "close").await;
    for who in [&agent, &owner] {
        assert_error(
            act_raw(&app, who, "acme", &c, "reopen", &json!({})).await,
            StatusCode::FORBIDDEN,
            "not_customer",
        )
        .await;
    }
    // Assigning to someone who is not an agent, or to nobody known, is 422.
    let c2 = open(&app, &customer, "acme", "Second").await;
    for username in [stranger.username(), customer.username(), "ghost"] {
        assert_invalid(
            act_raw(
                &app,
                &owner,
                "acme",
                &c2,
                "assign",
                &json!({"username": username}),
            )
            .await,
            "username",
        )
        .await;
    }
    let still = expect_json(get_raw(&app, &owner, "acme", &c2).await, StatusCode::OK).await;
    assert_eq!(
        (&still["status"], &still["assignee"]),
        (&json!("waiting"), &Value::Null)
    );
}

async fn the_status_machine_and_its_conflicts(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let customer = app.signup("customer").await;
    set_display_name(&app, &agent, "Agnes").await;
    set_display_name(&app, &owner, "Olga").await;
    set_display_name(&app, &customer, "Carl").await;
    desk(&app, &owner, "acme", &[&agent]).await;
    let c = open(&app, &customer, "acme", "Case").await;

    let mine = act(&app, &agent, "acme", &c, "assign").await;
    assert_eq!(mine["status"], "active");
    assert_summary_of(&mine["assignee"], &agent);
    let again = act(&app, &agent, "acme", &c, "assign").await;
    assert_eq!(again["assignee"]["username"], agent.username());
    let handed = expect_json(
        act_raw(
            &app,
            &agent,
            "acme",
            &c,
            "assign",
            &json!({"username": owner.username()}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_summary_of(&handed["assignee"], &owner);

    let closed = act(&app, &customer, "acme", &c, "close").await;
    assert_eq!(closed["status"], "closed");
    assert!(closed["closed_at"].is_string());
    assert_summary_of(&closed["assignee"], &owner);
    let conv = conversation(&c);
    for response in [
        act_raw(&app, &agent, "acme", &c, "close", &json!({})).await,
        act_raw(&app, &agent, "acme", &c, "assign", &json!({})).await,
        send_raw(
            &app,
            &customer.access_token,
            &conv,
            &json!({"text": "hello?"}),
        )
        .await,
        send_raw(&app, &owner.access_token, &conv, &json!({"text": "bye"})).await,
    ] {
        assert_error(response, StatusCode::CONFLICT, "consultation_closed").await;
    }
    let reopened = act(&app, &customer, "acme", &c, "reopen").await;
    assert_eq!(reopened["status"], "active", "back to its assignee");
    assert_summary_of(&reopened["assignee"], &owner);
    assert!(reopened["closed_at"].is_null());
    assert_error(
        act_raw(&app, &customer, "acme", &c, "reopen", &json!({})).await,
        StatusCode::CONFLICT,
        "consultation_not_closed",
    )
    .await;
    send(&app, &customer, &conv, "one more thing").await;
    act(&app, &owner, "acme", &c, "close").await;

    // Every change is noted, in order, with gap-free seqs and no sender; the
    // same assignee again and every refused action left nothing.
    let history = full_history(&app, &customer, &conv).await;
    assert_eq!(seqs(&history), (1..=7).collect::<Vec<i64>>());
    assert_eq!(
        notes(&app, &owner, &c).await,
        [
            ("text", "Case: please help"),
            ("system", "Assigned to Agnes"),
            ("system", "Agnes assigned this to Olga"),
            ("system", "Closed by Carl"),
            ("system", "Reopened by Carl"),
            ("text", "one more thing"),
            ("system", "Closed by Olga"),
        ]
        .map(|(k, t)| (k.to_owned(), t.to_owned()))
    );
    for note in history.iter().filter(|m| m["kind"] == "system") {
        assert!(note["sender"].is_null(), "{note}");
        assert_eq!(note["organization"]["slug"], "acme");
    }
    // A waiting one reopens to the queue.
    let w = open(&app, &customer, "acme", "Unassigned").await;
    act(&app, &agent, "acme", &w, "close").await;
    let back = act(&app, &customer, "acme", &w, "reopen").await;
    assert_eq!(
        (&back["status"], &back["assignee"]),
        (&json!("waiting"), &Value::Null)
    );
}

async fn the_queue_is_ordered_and_filtered(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let customers = signup_in_order(&app, "cust", 3).await;
    desk(&app, &owner, "acme", &[&agent]).await;
    let w1 = open(&app, &customers[0], "acme", "w1").await;
    let w2 = open(&app, &customers[1], "acme", "w2").await;
    let a1 = open(&app, &customers[2], "acme", "a1").await;
    let a2 = open(&app, &customers[0], "acme", "a2").await;
    act(&app, &agent, "acme", &a1, "assign").await;
    act(&app, &owner, "acme", &a2, "assign").await;
    // Activity: a later message moves a1 ahead of a2, and w1's message does
    // not change its place in the waiting line.
    send(&app, &customers[2], &conversation(&a1), "still there?").await;
    send(&app, &customers[0], &conversation(&w1), "hello?").await;

    assert_eq!(
        subjects(&queue(&app, &agent, "acme", "?status=waiting").await),
        ["w1", "w2"]
    );
    assert_eq!(
        subjects(&queue(&app, &agent, "acme", "?status=active").await),
        ["a1", "a2"]
    );
    assert_eq!(
        subjects(&queue(&app, &agent, "acme", "").await),
        ["w1", "a1", "a2", "w2"],
        "everything, most recently active first"
    );
    let mine = format!("?assignee={}", agent.username());
    assert_eq!(subjects(&queue(&app, &agent, "acme", &mine).await), ["a1"]);
    assert!(
        queue(&app, &agent, "acme", "?assignee=ghost")
            .await
            .is_empty()
    );
    act(&app, &agent, "acme", &w2, "close").await;
    assert_eq!(
        subjects(&queue(&app, &owner, "acme", "?status=closed").await),
        ["w2"]
    );
    let (mine, _) = page(
        &app,
        Some(&customers[0].access_token),
        "/api/v1/consultations?status=waiting",
    )
    .await;
    assert_eq!(subjects(&mine), ["w1"]);
    assert_error(
        app.bearer_get(
            &agent.access_token,
            "/api/v1/orgs/acme/consultations?status=lost",
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // Pages of one walk the same order.
    let paged: Vec<Value> = all_items(
        &app,
        Some(&agent.access_token),
        "/api/v1/orgs/acme/consultations?status=waiting",
        1,
    )
    .await;
    assert_eq!(subjects(&paged), ["w1"]);
    assert_page_params_checked(
        &app,
        Some(&agent.access_token),
        "/api/v1/orgs/acme/consultations",
    )
    .await;
}

async fn round_robin_respects_capacity(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let customer = app.signup("customer").await;
    set_display_name(&app, &agent, "Agnes").await;
    desk(&app, &owner, "acme", &[&agent]).await;
    expect_status(
        app.bearer_patch(
            &owner.access_token,
            "/api/v1/orgs/acme",
            &json!({"auto_assign": true, "agent_capacity": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    // Both start at 0 and were never assigned: the tie goes by user id,
    // then to whoever was assigned longest ago.
    let first = open(&app, &customer, "acme", "first").await;
    let second = open(&app, &customer, "acme", "second").await;
    let third = open(&app, &customer, "acme", "third").await;
    let assignees: Vec<Value> = [&first, &second, &third]
        .iter()
        .map(|c| c["assignee"]["username"].clone())
        .collect();
    assert_eq!(
        assignees,
        [
            json!(owner.username()),
            json!(agent.username()),
            Value::Null
        ],
        "one each, then the queue: both are at capacity"
    );
    assert_eq!(first["status"], "active");
    assert_eq!(third["status"], "waiting");
    assert_eq!(
        notes(&app, &agent, &second).await[1],
        ("system".to_owned(), "Assigned to Agnes".to_owned())
    );
    // Freeing the agent's place sends the next one to them.
    act(&app, &agent, "acme", &second, "close").await;
    let fourth = open(&app, &customer, "acme", "fourth").await;
    assert_eq!(fourth["assignee"]["username"], agent.username());
    // Without a capacity everyone takes more, fewest active first.
    expect_status(
        app.bearer_patch(
            &owner.access_token,
            "/api/v1/orgs/acme",
            &json!({"agent_capacity": null}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let fifth = open(&app, &customer, "acme", "fifth").await;
    let sixth = open(&app, &customer, "acme", "sixth").await;
    let mut next_two = vec![
        fifth["assignee"]["username"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        sixth["assignee"]["username"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    ];
    next_two.sort();
    let mut both = vec![owner.username().to_owned(), agent.username().to_owned()];
    both.sort();
    assert_eq!(next_two, both, "alternating while their counts are level");
    let (agents, _) = page(&app, Some(&owner.access_token), "/api/v1/orgs/acme/agents").await;
    for a in &agents {
        assert_eq!(a["active_count"], 2, "{a}");
    }
    // Auto-assignment off: new ones wait.
    expect_status(
        app.bearer_patch(
            &owner.access_token,
            "/api/v1/orgs/acme",
            &json!({"auto_assign": false}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        open(&app, &customer, "acme", "manual").await["status"],
        "waiting"
    );
}

async fn the_faq_shortcut_answers_at_once(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let customer = app.signup("customer").await;
    let rival = app.signup("rival").await;
    desk(&app, &owner, "acme", &[]).await;
    desk(&app, &rival, "rivals", &[]).await;
    let faq_of = |token: String, slug: &'static str, q: &'static str, a: &'static str| {
        let app = &app;
        async move {
            expect_json(
                app.bearer_post(
                    &token,
                    &format!("/api/v1/orgs/{slug}/faqs"),
                    &json!({"question": q, "answer": a}),
                )
                .await,
                StatusCode::CREATED,
            )
            .await
        }
    };
    let refund = faq_of(
        owner.access_token.clone(),
        "acme",
        "환불은 어떻게 하나요?",
        "설정에서 환불을 요청하세요.",
    )
    .await;
    let foreign = faq_of(rival.access_token.clone(), "rivals", "Hours?", "Never").await;
    let c = open(&app, &customer, "acme", "Refund").await;
    let exchange = expect_json(
        act_raw(
            &app,
            &customer,
            "acme",
            &c,
            "faq",
            &json!({"faq_id": refund["id"]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let (question, answer) = (&exchange["question"], &exchange["answer"]);
    assert_message_shape(question);
    assert_message_shape(answer);
    assert_summary_of(&question["sender"], &customer);
    assert_eq!(
        (&question["seq"], &question["kind"], &question["text"]),
        (&json!(2), &json!("text"), &json!("환불은 어떻게 하나요?"))
    );
    assert_eq!(
        (
            &answer["seq"],
            &answer["kind"],
            &answer["sender"],
            &answer["text"]
        ),
        (
            &json!(3),
            &json!("auto"),
            &Value::Null,
            &json!("설정에서 환불을 요청하세요.")
        )
    );
    assert_eq!(answer["organization"]["slug"], "acme");
    let now = expect_json(get_raw(&app, &customer, "acme", &c).await, StatusCode::OK).await;
    assert_eq!(now["unread_count"], 1, "the answer is new to the customer");
    assert_eq!(
        now["status"], "waiting",
        "an FAQ answer does not take the case"
    );

    for (body, field) in [
        (json!({"faq_id": foreign["id"]}), "faq_id"),
        (json!({"faq_id": unknown_id()}), "faq_id"),
        (json!({"faq_id": "x"}), "faq_id"),
    ] {
        assert_invalid(
            act_raw(&app, &customer, "acme", &c, "faq", &body).await,
            field,
        )
        .await;
    }
    act(&app, &customer, "acme", &c, "close").await;
    assert_error(
        act_raw(
            &app,
            &customer,
            "acme",
            &c,
            "faq",
            &json!({"faq_id": refund["id"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "consultation_closed",
    )
    .await;
    assert_eq!(
        full_history(&app, &customer, &conversation(&c)).await.len(),
        4,
        "3 and the closing note"
    );
}

async fn unread_counts_are_the_viewers_own(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let customer = app.signup("customer").await;
    desk(&app, &owner, "acme", &[&agent]).await;
    let c = open(&app, &customer, "acme", "Case").await;
    let conv = conversation(&c);
    let unread = |who: &Session| {
        let (app, token, path) = (&app, who.access_token.clone(), path("acme", &c, ""));
        async move {
            expect_json(app.bearer_get(&token, &path).await, StatusCode::OK).await["unread_count"]
                .as_i64()
                .unwrap_or(-1)
        }
    };
    assert_eq!((unread(&customer).await, unread(&agent).await), (0, 1));
    send(&app, &customer, &conv, "more").await;
    let reply = send(&app, &agent, &conv, "on it").await;
    assert_eq!(
        (
            unread(&customer).await,
            unread(&agent).await,
            unread(&owner).await
        ),
        (1, 2, 2),
        "agents count the customer's messages and share one marker"
    );
    crate::chat_support::mark_read(&app, &owner, &conv, seq(&reply)).await;
    assert_eq!(
        (unread(&agent).await, unread(&owner).await),
        (0, 0),
        "one agent read for all"
    );
    assert_eq!(
        unread(&customer).await,
        1,
        "the agents' reading is not the customer's"
    );
    crate::chat_support::mark_read(&app, &customer, &conv, seq(&reply)).await;
    assert_eq!(unread(&customer).await, 0);
    assert_eq!(queue(&app, &agent, "acme", "").await[0]["unread_count"], 0);
}

async fn removing_an_agent_requeues_their_consultations(backend: Backend) {
    let app = chat_app(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let customer = app.signup("customer").await;
    desk(&app, &owner, "acme", &[&agent]).await;
    let c = open(&app, &customer, "acme", "Case").await;
    act(&app, &agent, "acme", &c, "assign").await;
    expect_status(
        app.bearer_delete(
            &owner.access_token,
            &format!("/api/v1/orgs/acme/agents/{}", agent.username()),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let back = expect_json(get_raw(&app, &owner, "acme", &c).await, StatusCode::OK).await;
    assert_eq!(
        (&back["status"], &back["assignee"]),
        (&json!("waiting"), &Value::Null)
    );
    assert_error(
        get_raw(&app, &agent, "acme", &c).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        history_raw(&app, &agent.access_token, &conversation(&c), "").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
