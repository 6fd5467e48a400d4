//! The support desk's organizations, agents and FAQ (`/api/v1/orgs…`):
//! creation and slug rules, the directory, `my_role`, owner-only changes,
//! agent management (the last owner stays), and the FAQ (agents write,
//! anyone reads, in `position` order, searched in any script).

use crate::helpers::*;
use crate::social_support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    creating_an_org_makes_the_creator_its_owner,
    slugs_are_checked_and_unique,
    the_directory_searches_public_orgs_in_any_script,
    my_role_depends_on_the_viewer,
    only_owners_change_an_org,
    org_changes_are_validated,
    agents_are_managed_by_owners,
    the_last_owner_cannot_be_removed,
    agents_manage_the_faq,
    strangers_cannot_write_the_faq,
    faq_ids_of_another_org_are_404,
    the_faq_lists_in_position_order_and_searches,
    faq_input_is_validated,
);

async fn create_org_raw(app: &TestApp, who: &Session, body: &Value) -> reqwest::Response {
    app.bearer_post(&who.access_token, "/api/v1/orgs", body)
        .await
}

async fn create_org(app: &TestApp, who: &Session, slug: &str, name: &str) -> Value {
    let org = expect_json(
        create_org_raw(app, who, &json!({"slug": slug, "name": name})).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(org["slug"], slug, "{org}");
    org
}

async fn org_as(app: &TestApp, who: Option<&Session>, slug: &str) -> Value {
    expect_json(
        get_as(
            app,
            who.map(|s| s.access_token.as_str()),
            &format!("/api/v1/orgs/{slug}"),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

async fn add_agent_raw(
    app: &TestApp,
    who: &Session,
    slug: &str,
    username: &str,
    role: &str,
) -> reqwest::Response {
    app.bearer_post(
        &who.access_token,
        &format!("/api/v1/orgs/{slug}/agents"),
        &json!({"username": username, "role": role}),
    )
    .await
}

async fn add_agent(app: &TestApp, who: &Session, slug: &str, username: &str, role: &str) -> Value {
    expect_json(
        add_agent_raw(app, who, slug, username, role).await,
        StatusCode::CREATED,
    )
    .await
}

async fn remove_agent_raw(
    app: &TestApp,
    who: &Session,
    slug: &str,
    username: &str,
) -> reqwest::Response {
    app.bearer_delete(
        &who.access_token,
        &format!("/api/v1/orgs/{slug}/agents/{username}"),
        None,
    )
    .await
}

async fn agent_names(app: &TestApp, who: &Session, slug: &str) -> Vec<(String, String)> {
    let (items, next) = page(
        app,
        Some(&who.access_token),
        &format!("/api/v1/orgs/{slug}/agents"),
    )
    .await;
    assert!(next.is_none());
    items
        .iter()
        .map(|a| {
            (
                a["username"].as_str().unwrap_or_default().to_owned(),
                a["role"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// An `Agent` is a `UserSummary` of `who` plus `role` and `active_count`.
fn assert_agent_of(agent: &Value, who: &Session) {
    let mut summary = agent.clone();
    if let Some(object) = summary.as_object_mut() {
        assert!(
            object.remove("role").is_some_and(|r| r.is_string()),
            "{agent}"
        );
        assert!(
            object.remove("active_count").is_some_and(|n| n.is_i64()),
            "{agent}"
        );
    }
    assert_summary_of(&summary, who);
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

async fn create_faq_raw(
    app: &TestApp,
    who: &Session,
    slug: &str,
    body: &Value,
) -> reqwest::Response {
    app.bearer_post(
        &who.access_token,
        &format!("/api/v1/orgs/{slug}/faqs"),
        body,
    )
    .await
}

async fn create_faq(
    app: &TestApp,
    who: &Session,
    slug: &str,
    question: &str,
    answer: &str,
) -> Value {
    expect_json(
        create_faq_raw(
            app,
            who,
            slug,
            &json!({"question": question, "answer": answer}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

async fn faq_questions(app: &TestApp, slug: &str, q: Option<&str>) -> Vec<String> {
    let path = match q {
        Some(q) => with_query(&format!("/api/v1/orgs/{slug}/faqs"), &[("q", q)]),
        None => format!("/api/v1/orgs/{slug}/faqs"),
    };
    all_items(app, None, &path, 2)
        .await
        .iter()
        .map(|f| f["question"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn directory_slugs(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|o| o["slug"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn assert_org_shape(org: &Value) {
    for key in [
        "id",
        "slug",
        "name",
        "description",
        "visibility",
        "avatar_url",
        "auto_assign",
        "agent_capacity",
        "created_at",
        "my_role",
    ] {
        assert!(org.get(key).is_some(), "Organization lacks {key}: {org}");
    }
    assert_eq!(org.as_object().map(|o| o.len()), Some(10), "{org}");
}

async fn creating_an_org_makes_the_creator_its_owner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let org = expect_json(
        create_org_raw(
            &app,
            &alice,
            &json!({"slug": "acme", "name": "  Acme 고객센터 ", "description": "We help."}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_org_shape(&org);
    assert_eq!(org["name"], "Acme 고객센터", "trimmed: {org}");
    assert_eq!(org["description"], "We help.");
    assert_eq!(org["visibility"], "public");
    assert_eq!(org["avatar_url"], Value::Null);
    assert_eq!(org["auto_assign"], false);
    assert_eq!(org["agent_capacity"], Value::Null);
    assert_eq!(org["my_role"], "owner");
    assert_recent(&org["created_at"]);

    assert_eq!(
        agent_names(&app, &alice, "acme").await,
        pairs(&[("alice", "owner")])
    );
    let (agents, _) = page(&app, Some(&alice.access_token), "/api/v1/orgs/acme/agents").await;
    assert_agent_of(&agents[0], &alice);
    assert_eq!(agents[0]["active_count"], 0);

    // Hidden on request; signed out it is 401.
    let hidden = expect_json(
        create_org_raw(
            &app,
            &alice,
            &json!({"slug": "secret", "name": "S", "visibility": "hidden"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(hidden["visibility"], "hidden");
    assert_error(
        app.post_json("/api/v1/orgs", &json!({"slug": "nobody", "name": "N"}))
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_status(app.get("/api/v1/orgs/nobody").await, StatusCode::NOT_FOUND).await;
}

async fn slugs_are_checked_and_unique(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let long = "a".repeat(31);
    for bad in [
        "ab",
        long.as_str(),
        "Acme",
        "ac_me",
        "ac me",
        "고객센터",
        "",
    ] {
        assert_invalid(
            create_org_raw(&app, &alice, &json!({"slug": bad, "name": "X"})).await,
            "slug",
        )
        .await;
    }
    // Every problem at once.
    let fields = assert_invalid(
        create_org_raw(&app, &alice, &json!({"slug": "x", "name": "  "})).await,
        "slug",
    )
    .await;
    assert!(fields["name"].is_string(), "{fields}");
    assert_invalid(
        create_org_raw(
            &app,
            &alice,
            &json!({"slug": "abc", "name": "X", "visibility": "secret"}),
        )
        .await,
        "visibility",
    )
    .await;
    // Nothing was stored by those.
    for slug in ["ab", "abc", "x"] {
        expect_status(
            app.get(&format!("/api/v1/orgs/{slug}")).await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    let (all, _) = page(&app, None, "/api/v1/orgs").await;
    assert!(all.is_empty(), "{all:?}");

    create_org(&app, &alice, "abc", "First").await;
    create_org(&app, &alice, &"z".repeat(30), "Longest").await;
    create_org(&app, &alice, "a-1-b", "Dashes").await;
    assert_error(
        create_org_raw(&app, &bob, &json!({"slug": "abc", "name": "Second"})).await,
        StatusCode::CONFLICT,
        "slug_taken",
    )
    .await;
    // The first one is untouched, and bob got nothing.
    let abc = org_as(&app, Some(&bob), "abc").await;
    assert_eq!(abc["name"], "First");
    assert_eq!(abc["my_role"], Value::Null);
    assert_eq!(
        agent_names(&app, &alice, "abc").await,
        pairs(&[("alice", "owner")])
    );
    assert_eq!(all_items(&app, None, "/api/v1/orgs", 100).await.len(), 3);
}

async fn the_directory_searches_public_orgs_in_any_script(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    create_org(&app, &alice, "acme-help", "Acme 고객센터").await;
    create_org(&app, &alice, "bank", "한국은행 상담").await;
    create_org(&app, &alice, "percent", "100% Fresh").await;
    expect_json(
        create_org_raw(
            &app,
            &alice,
            &json!({"slug": "hidden-cs", "name": "숨은 고객센터", "visibility": "hidden"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    let search = |q: &'static str| {
        let app = &app;
        async move {
            directory_slugs(
                &all_items(app, None, &with_query("/api/v1/orgs", &[("q", q)]), 1).await,
            )
        }
    };
    // Signed out, oldest first, paged one by one; the hidden one left out.
    assert_eq!(search("").await, ["acme-help", "bank", "percent"]);
    assert_eq!(search("고객").await, ["acme-help"]);
    assert_eq!(search("은행").await, ["bank"]);
    assert_eq!(search("ACME").await, ["acme-help"], "case-insensitive");
    assert_eq!(search("HELP").await, ["acme-help"], "slug too");
    assert_eq!(search("%").await, ["percent"], "wildcards are literal");
    assert!(search("숨은").await.is_empty());
    assert!(search("hidden").await.is_empty());
    // ...but it opens by slug, for anyone.
    let hidden = org_as(&app, None, "hidden-cs").await;
    assert_eq!(hidden["visibility"], "hidden");

    // Signed in, items carry my_role.
    let bob = app.signup("bob").await;
    create_org(&app, &bob, "bobs", "Bob's 고객 desk").await;
    let (items, _) = page(
        &app,
        Some(&bob.access_token),
        &with_query("/api/v1/orgs", &[("q", "고객")]),
    )
    .await;
    let roles: Vec<(String, Value)> = items
        .iter()
        .map(|o| {
            (
                o["slug"].as_str().unwrap_or_default().to_owned(),
                o["my_role"].clone(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("acme-help".to_owned(), Value::Null),
            ("bobs".to_owned(), json!("owner"))
        ]
    );
    items.iter().for_each(assert_org_shape);
    assert_page_params_checked(&app, None, "/api/v1/orgs").await;
    assert_invalid(
        app.get(&with_query("/api/v1/orgs", &[("q", &"x".repeat(101))]))
            .await,
        "q",
    )
    .await;
}

async fn my_role_depends_on_the_viewer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let stranger = app.signup("stranger").await;
    create_org(&app, &owner, "acme", "Acme").await;
    add_agent(&app, &owner, "acme", "agent", "agent").await;
    assert_eq!(org_as(&app, Some(&owner), "acme").await["my_role"], "owner");
    assert_eq!(org_as(&app, Some(&agent), "acme").await["my_role"], "agent");
    assert_eq!(
        org_as(&app, Some(&stranger), "acme").await["my_role"],
        Value::Null
    );
    let signed_out = org_as(&app, None, "acme").await;
    assert_eq!(signed_out["my_role"], Value::Null);
    assert_org_shape(&signed_out);
    // The slug in the path is case-insensitive.
    assert_eq!(org_as(&app, Some(&owner), "ACME").await["slug"], "acme");
}

async fn only_owners_change_an_org(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let stranger = app.signup("stranger").await;
    let rival = app.signup("rival").await;
    create_org(&app, &owner, "acme", "Acme").await;
    create_org(&app, &rival, "rival", "Rival").await;
    add_agent(&app, &owner, "acme", "agent", "agent").await;

    let change = json!({"name": "Hijacked", "visibility": "hidden"});
    for who in [&agent, &stranger, &rival] {
        assert_error(
            app.bearer_patch(&who.access_token, "/api/v1/orgs/acme", &change)
                .await,
            StatusCode::FORBIDDEN,
            "not_org_owner",
        )
        .await;
    }
    assert_error(
        app.bearer_patch(&owner.access_token, "/api/v1/orgs/nope", &change)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let unchanged = org_as(&app, None, "acme").await;
    assert_eq!(unchanged["name"], "Acme");
    assert_eq!(unchanged["visibility"], "public");

    let changed = expect_json(
        app.bearer_patch(
            &owner.access_token,
            "/api/v1/orgs/acme",
            &json!({"name": " Acme Support ", "description": "도와드립니다", "visibility": "hidden",
                    "auto_assign": true, "agent_capacity": 3}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["name"], "Acme Support");
    assert_eq!(changed["description"], "도와드립니다");
    assert_eq!(changed["visibility"], "hidden");
    assert_eq!(changed["auto_assign"], true);
    assert_eq!(changed["agent_capacity"], 3);
    assert_eq!(changed["my_role"], "owner");
    // Absent fields stay; null capacity removes the limit.
    let partial = expect_json(
        app.bearer_patch(
            &owner.access_token,
            "/api/v1/orgs/acme",
            &json!({"auto_assign": false}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(partial["agent_capacity"], 3);
    assert_eq!(partial["name"], "Acme Support");
    let unlimited = expect_json(
        app.bearer_patch(
            &owner.access_token,
            "/api/v1/orgs/acme",
            &json!({"agent_capacity": null}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(unlimited["agent_capacity"], Value::Null);
    assert_eq!(unlimited["auto_assign"], false);
    assert_eq!(org_as(&app, None, "acme").await["visibility"], "hidden");
    assert_eq!(org_as(&app, None, "rival").await["name"], "Rival");
}

async fn org_changes_are_validated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    create_org(&app, &owner, "acme", "Acme").await;
    let long_name = "x".repeat(101);
    let long_description = "설".repeat(1001);
    for (body, field) in [
        (json!({"name": ""}), "name"),
        (json!({"name": long_name}), "name"),
        (json!({"description": long_description}), "description"),
        (json!({"agent_capacity": 0}), "agent_capacity"),
        (json!({"agent_capacity": -2}), "agent_capacity"),
        (json!({"visibility": "secret"}), "visibility"),
        (json!({"auto_assign": "yes"}), "auto_assign"),
    ] {
        assert_invalid(
            app.bearer_patch(&owner.access_token, "/api/v1/orgs/acme", &body)
                .await,
            field,
        )
        .await;
    }
    // Unknown fields (a slug cannot be changed) are refused.
    assert_error(
        app.bearer_patch(
            &owner.access_token,
            "/api/v1/orgs/acme",
            &json!({"slug": "other"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // A valid field next to a bad one changes nothing.
    assert_invalid(
        app.bearer_patch(
            &owner.access_token,
            "/api/v1/orgs/acme",
            &json!({"name": "New", "agent_capacity": 0}),
        )
        .await,
        "agent_capacity",
    )
    .await;
    let org = org_as(&app, None, "acme").await;
    assert_eq!(org["name"], "Acme");
    assert_eq!(org["agent_capacity"], Value::Null);
    assert_eq!(org["visibility"], "public");
}

async fn agents_are_managed_by_owners(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    let stranger = app.signup("stranger").await;
    let rival = app.signup("rival").await;
    app.signup("carol").await;
    create_org(&app, &owner, "acme", "Acme").await;
    create_org(&app, &rival, "rival", "Rival").await;

    let added = add_agent(&app, &owner, "acme", "AGENT", "agent").await;
    assert_agent_of(&added, &agent);
    assert_eq!(added["role"], "agent");
    assert_eq!(added["active_count"], 0);
    assert_eq!(added.as_object().map(|o| o.len()), Some(6), "{added}");
    assert_error(
        add_agent_raw(&app, &owner, "acme", "agent", "owner").await,
        StatusCode::CONFLICT,
        "already_agent",
    )
    .await;
    assert_invalid(
        add_agent_raw(&app, &owner, "acme", "nobody", "agent").await,
        "username",
    )
    .await;
    assert_invalid(
        add_agent_raw(&app, &owner, "acme", "carol", "boss").await,
        "role",
    )
    .await;

    // Only owners add: not an agent, a stranger, or another org's owner.
    assert_error(
        add_agent_raw(&app, &agent, "acme", "carol", "agent").await,
        StatusCode::FORBIDDEN,
        "not_org_owner",
    )
    .await;
    assert_error(
        add_agent_raw(&app, &stranger, "acme", "carol", "agent").await,
        StatusCode::FORBIDDEN,
        "not_org_owner",
    )
    .await;
    assert_error(
        add_agent_raw(&app, &rival, "acme", "rival", "owner").await,
        StatusCode::FORBIDDEN,
        "not_org_owner",
    )
    .await;
    // The list is for agents only.
    assert_eq!(
        agent_names(&app, &agent, "acme").await,
        pairs(&[("owner", "owner"), ("agent", "agent")])
    );
    for who in [&stranger, &rival] {
        assert_error(
            app.bearer_get(&who.access_token, "/api/v1/orgs/acme/agents")
                .await,
            StatusCode::FORBIDDEN,
            "not_agent",
        )
        .await;
    }
    assert_error(
        app.get("/api/v1/orgs/acme/agents").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.bearer_get(&owner.access_token, "/api/v1/orgs/nope/agents")
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Removing: an agent may not remove others; strangers and rivals not at all.
    add_agent(&app, &owner, "acme", "carol", "owner").await;
    assert_error(
        remove_agent_raw(&app, &agent, "acme", "carol").await,
        StatusCode::FORBIDDEN,
        "not_org_owner",
    )
    .await;
    assert_error(
        remove_agent_raw(&app, &stranger, "acme", "agent").await,
        StatusCode::FORBIDDEN,
        "not_agent",
    )
    .await;
    assert_error(
        remove_agent_raw(&app, &rival, "acme", "agent").await,
        StatusCode::FORBIDDEN,
        "not_agent",
    )
    .await;
    assert_eq!(
        agent_names(&app, &owner, "acme").await,
        pairs(&[("carol", "owner"), ("owner", "owner"), ("agent", "agent")])
    );
    // An owner removes an owner; someone not an agent is 404.
    expect_status(
        remove_agent_raw(&app, &owner, "acme", "carol").await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        remove_agent_raw(&app, &owner, "acme", "carol").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        remove_agent_raw(&app, &owner, "acme", "nobody").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // An agent may leave.
    expect_status(
        remove_agent_raw(&app, &agent, "acme", "agent").await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(
        org_as(&app, Some(&agent), "acme").await["my_role"],
        Value::Null
    );
    assert_eq!(
        agent_names(&app, &owner, "acme").await,
        pairs(&[("owner", "owner")])
    );
    // The rival's org never changed.
    assert_eq!(
        agent_names(&app, &rival, "rival").await,
        pairs(&[("rival", "owner")])
    );
}

async fn the_last_owner_cannot_be_removed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    let second = app.signup("second").await;
    app.signup("agent").await;
    create_org(&app, &owner, "acme", "Acme").await;
    add_agent(&app, &owner, "acme", "agent", "agent").await;
    assert_error(
        remove_agent_raw(&app, &owner, "acme", "owner").await,
        StatusCode::CONFLICT,
        "last_owner",
    )
    .await;
    assert_eq!(
        agent_names(&app, &owner, "acme").await,
        pairs(&[("owner", "owner"), ("agent", "agent")])
    );
    // With a second owner, the first may leave; then the second is the last.
    add_agent(&app, &owner, "acme", "second", "owner").await;
    expect_status(
        remove_agent_raw(&app, &owner, "acme", "owner").await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        remove_agent_raw(&app, &second, "acme", "second").await,
        StatusCode::CONFLICT,
        "last_owner",
    )
    .await;
    assert_eq!(
        agent_names(&app, &second, "acme").await,
        pairs(&[("second", "owner"), ("agent", "agent")])
    );
    assert_eq!(
        org_as(&app, Some(&owner), "acme").await["my_role"],
        Value::Null
    );
}

async fn agents_manage_the_faq(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    let agent = app.signup("agent").await;
    create_org(&app, &owner, "acme", "Acme").await;
    add_agent(&app, &owner, "acme", "agent", "agent").await;

    let faq = create_faq(
        &app,
        &agent,
        "acme",
        "  환불은 어떻게 하나요? ",
        " 7일 이내에\n요청하세요. ",
    )
    .await;
    assert_eq!(faq["question"], "환불은 어떻게 하나요?");
    assert_eq!(faq["answer"], "7일 이내에\n요청하세요.");
    assert_eq!(faq["position"], 1);
    assert_recent(&faq["updated_at"]);
    assert_eq!(faq.as_object().map(|o| o.len()), Some(5), "{faq}");
    let id = id_of(&faq);
    let second = create_faq(&app, &owner, "acme", "Shipping?", "2 days.").await;
    assert_eq!(second["position"], 2, "appended after the last");

    let path = format!("/api/v1/orgs/acme/faqs/{id}");
    let edited = expect_json(
        app.bearer_patch(
            &agent.access_token,
            &path,
            &json!({"answer": "14일 이내", "position": 5}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["id"], faq["id"]);
    assert_eq!(
        edited["question"], "환불은 어떻게 하나요?",
        "absent fields stay"
    );
    assert_eq!(edited["answer"], "14일 이내");
    assert_eq!(edited["position"], 5);
    assert_eq!(
        faq_questions(&app, "acme", None).await,
        ["Shipping?", "환불은 어떻게 하나요?"]
    );

    expect_status(
        app.bearer_delete(&agent.access_token, &path, None).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        app.bearer_delete(&agent.access_token, &path, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.bearer_patch(&agent.access_token, &path, &json!({"answer": "x"}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.bearer_patch(
            &agent.access_token,
            "/api/v1/orgs/acme/faqs/not-a-uuid",
            &json!({"answer": "x"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(faq_questions(&app, "acme", None).await, ["Shipping?"]);
}

async fn strangers_cannot_write_the_faq(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    let stranger = app.signup("stranger").await;
    create_org(&app, &owner, "acme", "Acme").await;
    create_org(&app, &stranger, "other", "Other").await;
    let faq = create_faq(&app, &owner, "acme", "Q", "A").await;
    let path = format!("/api/v1/orgs/acme/faqs/{}", id_of(&faq));

    let body = json!({"question": "Spam?", "answer": "Spam."});
    assert_error(
        create_faq_raw(&app, &stranger, "acme", &body).await,
        StatusCode::FORBIDDEN,
        "not_agent",
    )
    .await;
    assert_error(
        app.bearer_patch(&stranger.access_token, &path, &body).await,
        StatusCode::FORBIDDEN,
        "not_agent",
    )
    .await;
    assert_error(
        app.bearer_delete(&stranger.access_token, &path, None).await,
        StatusCode::FORBIDDEN,
        "not_agent",
    )
    .await;
    assert_error(
        app.post_json("/api/v1/orgs/acme/faqs", &body).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        create_faq_raw(&app, &owner, "nope", &body).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let (items, _) = page(&app, None, "/api/v1/orgs/acme/faqs").await;
    assert_eq!(items, [faq], "nothing changed");
}

async fn faq_ids_of_another_org_are_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    create_org(&app, &owner, "acme", "Acme").await;
    create_org(&app, &owner, "other", "Other").await;
    let theirs = create_faq(&app, &owner, "other", "Theirs?", "Yes.").await;
    let path = format!("/api/v1/orgs/acme/faqs/{}", id_of(&theirs));
    // Even an owner of both cannot reach it through the wrong organization.
    assert_error(
        app.bearer_patch(&owner.access_token, &path, &json!({"answer": "No."}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.bearer_delete(&owner.access_token, &path, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let unknown = format!("/api/v1/orgs/acme/faqs/{}", unknown_id());
    assert_error(
        app.bearer_delete(&owner.access_token, &unknown, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let (items, _) = page(&app, None, "/api/v1/orgs/other/faqs").await;
    assert_eq!(items, [theirs]);
    assert!(
        page(&app, None, "/api/v1/orgs/acme/faqs")
            .await
            .0
            .is_empty()
    );
}

async fn the_faq_lists_in_position_order_and_searches(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    create_org(&app, &owner, "acme", "Acme").await;
    create_org(&app, &owner, "other", "Other").await;
    let place = |question: &'static str, answer: &'static str, position: i64| {
        let (app, owner) = (&app, &owner);
        async move {
            expect_json(
                create_faq_raw(
                    app,
                    owner,
                    "acme",
                    &json!({"question": question, "answer": answer, "position": position}),
                )
                .await,
                StatusCode::CREATED,
            )
            .await
        }
    };
    place("배송은 얼마나 걸리나요?", "보통 2일 걸립니다.", 3).await;
    place("How do I get a REFUND?", "Within 7 days.", 1).await;
    place("Tie first", "Same position, created first.", 2).await;
    place("Tie second", "Same position, created second: 환불 가능.", 2).await;
    create_faq(&app, &owner, "other", "Refund elsewhere?", "Not here.").await;
    let last = create_faq(&app, &owner, "acme", "Last", "Appended.").await;
    assert_eq!(last["position"], 4);

    // Signed out, paged two at a time.
    assert_eq!(
        faq_questions(&app, "acme", None).await,
        [
            "How do I get a REFUND?",
            "Tie first",
            "Tie second",
            "배송은 얼마나 걸리나요?",
            "Last"
        ]
    );
    assert_eq!(
        faq_questions(&app, "acme", Some("refund")).await,
        ["How do I get a REFUND?"]
    );
    assert_eq!(
        faq_questions(&app, "acme", Some("환불")).await,
        ["Tie second"],
        "in the answer"
    );
    assert_eq!(
        faq_questions(&app, "acme", Some("배송")).await,
        ["배송은 얼마나 걸리나요?"]
    );
    assert_eq!(
        faq_questions(&app, "acme", Some("TIE")).await,
        ["Tie first", "Tie second"]
    );
    assert_eq!(
        faq_questions(&app, "acme", Some("  ")).await.len(),
        5,
        "a blank query is no filter"
    );
    assert!(faq_questions(&app, "acme", Some("%")).await.is_empty());
    assert!(
        faq_questions(&app, "acme", Some("elsewhere"))
            .await
            .is_empty()
    );
    assert_error(
        app.get("/api/v1/orgs/nope/faqs").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_page_params_checked(&app, None, "/api/v1/orgs/acme/faqs").await;
}

async fn faq_input_is_validated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    create_org(&app, &owner, "acme", "Acme").await;
    let long_question = "질".repeat(501);
    let long_answer = "a".repeat(4001);
    for (body, field) in [
        (json!({"question": "  ", "answer": "A"}), "question"),
        (
            json!({"question": long_question, "answer": "A"}),
            "question",
        ),
        (json!({"question": "Q", "answer": ""}), "answer"),
        (json!({"question": "Q", "answer": long_answer}), "answer"),
        (
            json!({"question": "Q", "answer": "A", "position": 0}),
            "position",
        ),
        (json!({"answer": "A"}), "question"),
    ] {
        assert_invalid(create_faq_raw(&app, &owner, "acme", &body).await, field).await;
    }
    // Both problems at once; the longest ones pass.
    let fields = assert_invalid(
        create_faq_raw(&app, &owner, "acme", &json!({"question": "", "answer": ""})).await,
        "question",
    )
    .await;
    assert!(fields["answer"].is_string(), "{fields}");
    assert!(
        page(&app, None, "/api/v1/orgs/acme/faqs")
            .await
            .0
            .is_empty(),
        "nothing stored"
    );
    let faq = create_faq(&app, &owner, "acme", &"질".repeat(500), &"a".repeat(4000)).await;

    let path = format!("/api/v1/orgs/acme/faqs/{}", id_of(&faq));
    for (body, field) in [
        (json!({"question": ""}), "question"),
        (json!({"answer": "x".repeat(4001)}), "answer"),
        (json!({"question": "Fine", "position": -1}), "position"),
    ] {
        assert_invalid(
            app.bearer_patch(&owner.access_token, &path, &body).await,
            field,
        )
        .await;
    }
    assert_error(
        app.bearer_patch(&owner.access_token, &path, &json!({"title": "x"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let (items, _) = page(&app, None, "/api/v1/orgs/acme/faqs").await;
    assert_eq!(items, [faq], "nothing changed");
}
