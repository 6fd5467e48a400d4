//! The support desk live (docs/api.md "Rooms and audiences", "Server →
//! client events"), driven by the official `socket.io-client` from Node
//! (`tests/realtime/support_live.mjs`): a consultation's `message:new`,
//! `typing`, `read` and `consultation:updated` reach its customer's sockets
//! and its organization's agents' room — each with their own unread count —
//! and nobody else; status changes arrive as `system` notes; a closed
//! consultation refuses `message:send`; the agents' room follows agent
//! membership without a reconnect; and the agents' shared read marker moves
//! their unread count live.
//!
//! The Rust side prepares the users, organizations, FAQ and a group of
//! everyone (the script's sentinel, which proves a socket received nothing
//! without waiting on a clock); the script acts over REST and the socket and
//! asserts what every socket saw; afterwards the Rust side checks that what
//! was delivered live is what REST serves.

use crate::chat_support::*;
use crate::helpers::*;
use crate::realtime_support::run_scenario;
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

every_deployment!(
    support_events_reach_the_customer_and_the_agents_only,
    status_changes_are_noted_live_and_closed_refuses_sends,
    the_agents_room_follows_membership_live,
    unread_counts_and_read_markers_move_live,
);

const ORG_A: &str = "acme";
const ORG_B: &str = "bolt";

/// `POST /api/v1/orgs` as `owner` (asserts 201).
async fn create_org(app: &TestApp, owner: &Session, slug: &str) -> Value {
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
    assert_eq!(org["slug"], slug, "{org}");
    assert_eq!(org["my_role"], "owner", "{org}");
    org
}

/// Makes `who` an agent of `slug` (asserts 201).
async fn add_agent(app: &TestApp, owner: &Session, slug: &str, who: &Session) {
    let agent = expect_json(
        app.bearer_post(
            &owner.access_token,
            &format!("/api/v1/orgs/{slug}/agents"),
            &json!({"username": who.username(), "role": "agent"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(agent["role"], "agent", "{agent}");
}

/// An FAQ entry of `slug` (asserts 201); returns its id.
async fn create_faq(app: &TestApp, agent: &Session, slug: &str) -> String {
    let faq = expect_json(
        app.bearer_post(
            &agent.access_token,
            &format!("/api/v1/orgs/{slug}/faqs"),
            &json!({
                "question": "How long does delivery take?",
                "answer": "Three to five working days.",
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    cid(&faq)
}

/// The script's `PEOPLE`: name → `{id, token, token2?, username,
/// display_name}`; `sentinel` names the one who sends the sentinels.
/// `second` holds second sessions (a second socket of the same user).
fn people(everyone: &[(&str, &Session)], second: &[(&str, &Session)]) -> String {
    let mut map = Map::new();
    for (name, session) in everyone {
        let mut person = json!({
            "id": session.user_id(),
            "token": session.access_token,
            "username": session.username(),
            "display_name": session.user["display_name"],
        });
        if let Some((_, other)) = second.iter().find(|(n, _)| n == name) {
            assert_eq!(
                other.user_id(),
                session.user_id(),
                "a second session of {name}"
            );
            person["token2"] = json!(other.access_token);
        }
        map.insert((*name).to_owned(), person);
    }
    let (_, first) = everyone.first().expect("someone");
    map.insert(
        "sentinel".to_owned(),
        json!({"id": first.user_id(), "token": first.access_token}),
    );
    Value::Object(map).to_string()
}

/// A group of all of `everyone`: the sentinel's conversation.
async fn everyone_group(app: &TestApp, everyone: &[(&str, &Session)]) -> String {
    let (_, creator) = everyone.first().expect("someone");
    let others: Vec<&Session> = everyone.iter().skip(1).map(|(_, s)| *s).collect();
    cid(&group(app, creator, &others, "everyone").await)
}

/// Runs `support_live.mjs` with `part` and returns its result.
async fn run_part(
    app: &TestApp,
    part: &str,
    everyone: &[(&str, &Session)],
    second: &[(&str, &Session)],
    extra: &[(&str, String)],
) -> Value {
    let all = everyone_group(app, everyone).await;
    let result = ResultFile::create();
    let mut env = vec![
        ("PART", part.to_owned()),
        ("PEOPLE", people(everyone, second)),
        ("EVERYONE", all),
        ("ORG_A", ORG_A.to_owned()),
        ("ORG_B", ORG_B.to_owned()),
        ("FAQ_ID", String::new()),
        result.env(),
    ];
    for (key, value) in extra {
        env.retain(|(k, _)| k != key);
        env.push((key, value.clone()));
    }
    run_scenario(app, "support_live.mjs", &env).await;
    result.json()
}

/// What was delivered live is what REST serves: the support conversation's
/// whole history, to the customer and to `agent`, and the consultation's
/// views (the script compared them with the last live ones).
async fn assert_stored(app: &TestApp, result: &Value, customer: &Session, agent: &Session) {
    let conversation = result["conversation_id"]
        .as_str()
        .expect("the result names the conversation");
    let delivered = result["messages"]
        .as_array()
        .expect("the result lists the messages");
    for who in [customer, agent] {
        assert_eq!(
            &full_history(app, who, conversation).await,
            delivered,
            "{}'s history is what was delivered live",
            who.username()
        );
    }
    let mine = expect_json(
        app.bearer_get(&customer.access_token, "/api/v1/consultations")
            .await,
        StatusCode::OK,
    )
    .await;
    let listed = mine["items"]
        .as_array()
        .expect("a page")
        .iter()
        .find(|c| c["id"] == result["consultation_id"])
        .unwrap_or_else(|| panic!("the consultation is among the customer's: {mine}"));
    assert_eq!(listed, &result["customer_view"], "the customer's list");
    let queue = expect_json(
        app.bearer_get(
            &agent.access_token,
            &format!("/api/v1/orgs/{ORG_A}/consultations"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let queued = queue["items"]
        .as_array()
        .expect("a page")
        .iter()
        .find(|c| c["id"] == result["consultation_id"])
        .unwrap_or_else(|| panic!("the consultation is in the queue: {queue}"));
    assert_eq!(queued, &result["agents_view"], "the agents' queue");
}

/// Scenario 1: who hears what. The customer (two sockets), A's owner and
/// agent hear the opening, an agent's message and the customer's, typing
/// goes to the others only; a stranger and B's owner hear nothing and are
/// refused `not_found`; a consultation with B never reaches A.
async fn support_events_reach_the_customer_and_the_agents_only(backend: Backend) {
    let app = chat_app(backend).await;
    let ann = app.signup("ann").await;
    let abe = app.signup("abe").await;
    let cat = app.signup("cat").await;
    let cat2 = app.signin("cat", PASSWORD).await;
    let sam = app.signup("sam").await;
    let bea = app.signup("bea").await;
    create_org(&app, &ann, ORG_A).await;
    add_agent(&app, &ann, ORG_A, &abe).await;
    create_org(&app, &bea, ORG_B).await;
    let everyone = [
        ("ann", &ann),
        ("abe", &abe),
        ("cat", &cat),
        ("sam", &sam),
        ("bea", &bea),
    ];
    let result = run_part(&app, "audiences", &everyone, &[("cat", &cat2)], &[]).await;
    assert_stored(&app, &result, &cat, &abe).await;
    // Neither outsider can read it over REST either.
    let conversation = result["conversation_id"].as_str().expect("conversation");
    for who in [&sam, &bea] {
        assert_error(
            history_raw(&app, &who.access_token, conversation, "").await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
}

/// Scenario 2: assign, close and reopen arrive as `system` notes
/// (`message:new`) and `consultation:updated` with the new status; a
/// closed consultation refuses `message:send` with `consultation_closed`,
/// and a reopened one takes messages again.
async fn status_changes_are_noted_live_and_closed_refuses_sends(backend: Backend) {
    let app = chat_app(backend).await;
    let ann = app.signup("ann").await;
    let abe = app.signup("abe").await;
    let cat = app.signup("cat").await;
    let sam = app.signup("sam").await;
    create_org(&app, &ann, ORG_A).await;
    add_agent(&app, &ann, ORG_A, &abe).await;
    let everyone = [("ann", &ann), ("abe", &abe), ("cat", &cat), ("sam", &sam)];
    let result = run_part(&app, "status", &everyone, &[], &[]).await;
    assert_stored(&app, &result, &cat, &ann).await;
    let history = result["messages"].as_array().expect("messages");
    let kinds: Vec<&str> = history
        .iter()
        .map(|m| m["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        kinds,
        [
            "text", "system", "system", "system", "system", "text", "system"
        ],
        "refused sends stored nothing"
    );
    assert_gapless(history, 7, "the status scenario");
}

/// Scenario 3: the agents' room follows membership live. dan, connected on
/// two sockets, is made an agent (hears the consultation, acts in it),
/// removed (hears nothing, his consultation is requeued to the others),
/// and makes an organization of his own (hears its consultations at once).
async fn the_agents_room_follows_membership_live(backend: Backend) {
    let app = chat_app(backend).await;
    let ann = app.signup("ann").await;
    let cat = app.signup("cat").await;
    let dan = app.signup("dan").await;
    let dan2 = app.signin("dan", PASSWORD).await;
    create_org(&app, &ann, ORG_A).await;
    let everyone = [("ann", &ann), ("cat", &cat), ("dan", &dan)];
    let result = run_part(
        &app,
        "membership",
        &everyone,
        &[("dan", &dan2)],
        &[("ORG_B", "dan-desk".to_owned())],
    )
    .await;
    assert_stored(&app, &result, &cat, &ann).await;
    assert_eq!(result["agents_view"]["status"], "waiting", "requeued");
    assert_eq!(result["agents_view"]["assignee"], Value::Null);
    let conversation = result["conversation_id"].as_str().expect("conversation");
    assert_error(
        history_raw(&app, &dan.access_token, conversation, "").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

/// Scenario 4: unread counts. The agents count the customer's messages
/// after their shared marker (1 on opening, then 2, 3 with the FAQ
/// question), the customer everyone else's; `read` by any agent moves the
/// agents' count for all, forward only, and its receipt reaches everyone.
async fn unread_counts_and_read_markers_move_live(backend: Backend) {
    let app = chat_app(backend).await;
    let ann = app.signup("ann").await;
    let abe = app.signup("abe").await;
    let cat = app.signup("cat").await;
    let cat2 = app.signin("cat", PASSWORD).await;
    create_org(&app, &ann, ORG_A).await;
    add_agent(&app, &ann, ORG_A, &abe).await;
    let faq = create_faq(&app, &abe, ORG_A).await;
    let everyone = [("ann", &ann), ("abe", &abe), ("cat", &cat)];
    let result = run_part(
        &app,
        "unread",
        &everyone,
        &[("cat", &cat2)],
        &[("FAQ_ID", faq)],
    )
    .await;
    assert_stored(&app, &result, &cat, &ann).await;
    assert_eq!(result["customer_view"]["unread_count"], 0);
    assert_eq!(result["agents_view"]["unread_count"], 0);
    let conversation = result["conversation_id"].as_str().expect("conversation");
    assert_eq!(
        last_read_seq(&app, &cat, conversation, &cat).await,
        5,
        "the customer's marker"
    );
}
