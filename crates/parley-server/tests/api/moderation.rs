//! Reports and moderation: the first account is the admin; anyone reports
//! a post, comment, message (members only) or account, and nothing is
//! stored for a refused report; only admins see the queue and act on it
//! (dismiss, remove the content, suspend the account); a suspension ends
//! every session and socket at once and refuses sign-in until lifted; every
//! action is in the audit log; `parley admin grant` makes an admin.

use crate::chat_support::*;
use crate::helpers::*;
use crate::realtime_support::Scenario;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

both_backends!(
    the_first_account_is_the_admin,
    reports_of_each_kind_are_filed_once,
    refused_reports_store_nothing,
    admin_routes_are_for_admins_only,
    removing_reported_content_deletes_it,
    suspension_ends_every_session_and_refuses_sign_in,
    the_audit_log_lists_every_action,
    the_cli_function_grants_and_revokes,
);

async fn me(app: &TestApp, who: &Session) -> Value {
    expect_json(
        app.bearer_get(&who.access_token, "/api/v1/users/me").await,
        StatusCode::OK,
    )
    .await
}

async fn report_raw(app: &TestApp, who: &Session, body: &Value) -> reqwest::Response {
    app.bearer_post(&who.access_token, "/api/v1/reports", body)
        .await
}

async fn report(app: &TestApp, who: &Session, kind: &str, id: &str) -> Value {
    expect_json(
        report_raw(
            app,
            who,
            &json!({"target_kind": kind, "target_id": id, "reason": "spam", "comment": "look"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

async fn queue(app: &TestApp, admin: &Session, status: &str) -> Vec<Value> {
    let page = expect_json(
        app.bearer_get(
            &admin.access_token,
            &format!("/api/v1/admin/reports?status={status}"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    page["items"].as_array().cloned().unwrap_or_default()
}

async fn resolve(app: &TestApp, admin: &Session, report: &Value, action: &str) -> Value {
    expect_json(
        app.bearer_post(
            &admin.access_token,
            &format!("/api/v1/admin/reports/{}/resolve", str_of(&report["id"])),
            &json!({"action": action, "note": "checked"}),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

async fn audit(app: &TestApp, admin: &Session) -> Vec<Value> {
    let page = expect_json(
        app.bearer_get(&admin.access_token, "/api/v1/admin/audit")
            .await,
        StatusCode::OK,
    )
    .await;
    page["items"].as_array().cloned().unwrap_or_default()
}

fn str_of(v: &Value) -> String {
    v.as_str().expect("a string").to_owned()
}

async fn post(app: &TestApp, who: &Session, text: &str) -> String {
    let body = expect_json(
        app.bearer_post(&who.access_token, "/api/v1/posts", &json!({"text": text}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    str_of(&body["id"])
}

async fn comment(app: &TestApp, who: &Session, post: &str, text: &str) -> String {
    let body = expect_json(
        app.bearer_post(
            &who.access_token,
            &format!("/api/v1/posts/{post}/comments"),
            &json!({"text": text}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    str_of(&body["id"])
}

async fn the_first_account_is_the_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.signup("alice").await;
    let bob = app.signup("bob").await;
    assert_eq!(admin.user["role"], "admin");
    assert_eq!(bob.user["role"], "user");
    assert_eq!(me(&app, &admin).await["role"], "admin");
    assert_eq!(me(&app, &bob).await["role"], "user");
    // Signing in again tells the same.
    let again = app.signin("bob", PASSWORD).await;
    assert_eq!(again.user["role"], "user");
}

async fn reports_of_each_kind_are_filed_once(backend: Backend) {
    let app = chat_app(backend).await;
    let admin = app.signup("admin").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let p = post(&app, &bob, "buy cheap things").await;
    let c = comment(&app, &bob, &p, "really cheap").await;
    let g = cid(&group(&app, &bob, &[&carol], "deals").await);
    let m = cid(&send(&app, &bob, &g, "psst").await);

    let on_post = report(&app, &carol, "post", &p).await;
    assert_eq!(on_post["status"], "open");
    assert_eq!(on_post["reason"], "spam");
    assert_eq!(on_post["target_kind"], "post");
    assert_eq!(on_post["target_id"], p.as_str());
    report(&app, &carol, "comment", &c).await;
    report(&app, &carol, "message", &m).await;
    report(&app, &carol, "user", bob.user_id()).await;

    // The same report again is the first one (200), not a second.
    let again = expect_json(
        report_raw(
            &app,
            &carol,
            &json!({"target_kind": "post", "target_id": p, "reason": "abuse"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["id"], on_post["id"]);

    let open = queue(&app, &admin, "open").await;
    assert_eq!(open.len(), 4);
    // Newest first, with who reported whom and what it said.
    assert_eq!(open[0]["target_kind"], "user");
    let queued_post = open
        .iter()
        .find(|r| r["id"] == on_post["id"])
        .expect("the post's report is queued");
    assert_eq!(queued_post["reporter"]["username"], "carol");
    assert_eq!(queued_post["target_user"]["username"], "bob");
    assert_eq!(queued_post["target_user"]["role"], "user");
    assert_eq!(queued_post["preview"], "buy cheap things");
    assert_eq!(queued_post["removed"], false);
    assert_eq!(queued_post["comment"], "look");
    let queued_message = open
        .iter()
        .find(|r| r["target_kind"] == "message")
        .expect("the message's report is queued");
    assert_eq!(queued_message["preview"], "psst");
    assert!(queue(&app, &admin, "resolved").await.is_empty());
}

async fn refused_reports_store_nothing(backend: Backend) {
    let app = chat_app(backend).await;
    let admin = app.signup("admin").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let dave = app.signup("dave").await;
    let p = post(&app, &bob, "hello").await;
    let g = cid(&direct(&app, &bob, &carol).await);
    let m = cid(&send(&app, &bob, &g, "between us").await);

    // Not in the conversation: the message does not exist for dave.
    assert_error(
        report_raw(
            &app,
            &dave,
            &json!({"target_kind": "message", "target_id": m, "reason": "abuse"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Unknown targets, and ids that are not ids.
    for (kind, id) in [
        ("post", uuid::Uuid::now_v7().to_string()),
        ("comment", uuid::Uuid::now_v7().to_string()),
        ("user", uuid::Uuid::now_v7().to_string()),
        ("post", "not-an-id".to_owned()),
    ] {
        assert_error(
            report_raw(
                &app,
                &dave,
                &json!({"target_kind": kind, "target_id": id, "reason": "spam"}),
            )
            .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // A bad reason or kind, a long comment, my own post, myself.
    for body in [
        json!({"target_kind": "post", "target_id": p, "reason": "boring"}),
        json!({"target_kind": "planet", "target_id": p, "reason": "spam"}),
        json!({"target_kind": "post", "target_id": p}),
        json!({"target_kind": "post", "target_id": p, "reason": "spam", "comment": "x".repeat(1001)}),
    ] {
        assert_error(
            report_raw(&app, &dave, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    for body in [
        json!({"target_kind": "post", "target_id": p, "reason": "spam"}),
        json!({"target_kind": "user", "target_id": bob.user_id(), "reason": "spam"}),
    ] {
        assert_invalid(report_raw(&app, &bob, &body).await, "target_id").await;
    }
    // Signed out.
    assert_error(
        app.post_json(
            "/api/v1/reports",
            &json!({"target_kind": "post", "target_id": p, "reason": "spam"}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    for status in ["open", "resolved", "dismissed"] {
        assert!(queue(&app, &admin, status).await.is_empty(), "{status}");
    }
}

async fn admin_routes_are_for_admins_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.signup("admin").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let p = post(&app, &carol, "hi").await;
    let r = report(&app, &bob, "post", &p).await;
    let resolve_path = format!("/api/v1/admin/reports/{}/resolve", str_of(&r["id"]));
    let gets = ["/api/v1/admin/reports", "/api/v1/admin/audit"];
    let posts = [
        (resolve_path.as_str(), json!({"action": "dismiss"})),
        ("/api/v1/admin/users/carol/suspend", json!({})),
        ("/api/v1/admin/users/carol/unsuspend", json!({})),
    ];
    for path in gets {
        assert_error(
            app.bearer_get(&bob.access_token, path).await,
            StatusCode::FORBIDDEN,
            "not_admin",
        )
        .await;
        assert_error(
            app.get(path).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    for (path, body) in &posts {
        assert_error(
            app.bearer_post(&bob.access_token, path, body).await,
            StatusCode::FORBIDDEN,
            "not_admin",
        )
        .await;
        assert_error(
            app.post_json(path, body).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    // Nothing happened: the report is open, carol can post, no audit.
    assert_eq!(queue(&app, &admin, "open").await.len(), 1);
    app.assert_token_works(&carol.access_token).await;
    assert!(audit(&app, &admin).await.is_empty());
    // An admin suspends neither themselves nor another admin.
    assert_invalid(
        app.bearer_post(
            &admin.access_token,
            "/api/v1/admin/users/admin/suspend",
            &json!({}),
        )
        .await,
        "username",
    )
    .await;
    assert_error(
        app.bearer_post(
            &admin.access_token,
            "/api/v1/admin/users/nobody/suspend",
            &json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn removing_reported_content_deletes_it(backend: Backend) {
    let app = chat_app(backend).await;
    let admin = app.signup("admin").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let dave = app.signup("dave").await;
    let p = post(&app, &bob, "spam spam").await;
    let keep = post(&app, &bob, "fine").await;
    let c = comment(&app, &bob, &keep, "bad comment").await;
    let g = cid(&group(&app, &bob, &[&carol], "chat").await);
    let m = cid(&send(&app, &bob, &g, "bad message").await);

    let on_post = report(&app, &carol, "post", &p).await;
    // A second reporter of the same post: resolving one closes both.
    report(&app, &dave, "post", &p).await;
    let on_comment = report(&app, &carol, "comment", &c).await;
    let on_message = report(&app, &carol, "message", &m).await;

    let done = resolve(&app, &admin, &on_post, "remove_content").await;
    assert_eq!(done["status"], "resolved");
    assert_eq!(done["removed"], true);
    assert_eq!(done["preview"], "spam spam");
    assert_eq!(done["resolved_by"]["username"], "admin");
    assert_eq!(done["resolution_note"], "checked");
    expect_status(
        app.get(&format!("/api/v1/posts/{p}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let bob_profile = app.user("bob").await;
    assert_eq!(bob_profile["posts_count"], 1);
    assert_eq!(queue(&app, &admin, "open").await.len(), 2);
    assert_eq!(queue(&app, &admin, "resolved").await.len(), 2);

    resolve(&app, &admin, &on_comment, "remove_content").await;
    let comments = expect_json(
        app.get(&format!("/api/v1/posts/{keep}/comments")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(comments["items"], json!([]));

    resolve(&app, &admin, &on_message, "remove_content").await;
    let history = full_history(&app, &carol, &g).await;
    assert_eq!(history[0]["id"], m.as_str());
    assert_eq!(history[0]["deleted"], true);
    assert_eq!(history[0]["text"], "");

    // A closed report cannot be resolved again.
    assert_invalid(
        app.bearer_post(
            &admin.access_token,
            &format!("/api/v1/admin/reports/{}/resolve", str_of(&on_post["id"])),
            &json!({"action": "dismiss"}),
        )
        .await,
        "id",
    )
    .await;
    // An account report has no content to remove.
    let on_user = report(&app, &carol, "user", bob.user_id()).await;
    assert_invalid(
        app.bearer_post(
            &admin.access_token,
            &format!("/api/v1/admin/reports/{}/resolve", str_of(&on_user["id"])),
            &json!({"action": "remove_content"}),
        )
        .await,
        "action",
    )
    .await;
    let dismissed = resolve(&app, &admin, &on_user, "dismiss").await;
    assert_eq!(dismissed["status"], "dismissed");
    assert_eq!(queue(&app, &admin, "dismissed").await.len(), 1);
}

async fn suspension_ends_every_session_and_refuses_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.signup("admin").await;
    let bob = app.signup("bob").await;
    let second = app.signin("bob", PASSWORD).await;
    let carol = app.signup("carol").await;
    let p = post(&app, &bob, "trouble").await;
    let r = report(&app, &carol, "post", &p).await;

    // Bob's sockets (both sessions) are disconnected at once; carol's stays.
    let sockets = [
        json!({"name": "bob-ws", "token": bob.access_token, "transport": "websocket"}),
        json!({"name": "bob-polling", "token": second.access_token, "transport": "polling"}),
        json!({"name": "carol", "token": carol.access_token, "transport": "websocket"}),
    ];
    let mut scenario = Scenario::start(
        &app,
        "disconnects.mjs",
        &[
            ("SOCKETS", Value::from(sockets.to_vec()).to_string()),
            ("GONE", json!(["bob-ws", "bob-polling"]).to_string()),
            ("WITHIN_MS", Duration::from_secs(3).as_millis().to_string()),
        ],
    );
    scenario.expect_line("READY").await;
    let done = resolve(&app, &admin, &r, "suspend_account").await;
    scenario.tell("ACTED");
    scenario.finish().await;
    assert_eq!(done["status"], "resolved");
    assert_eq!(done["removed"], false);
    assert!(done["target_user"]["suspended_at"].is_string());

    app.assert_token_refused(&bob.access_token).await;
    app.assert_token_refused(&second.access_token).await;
    app.assert_token_works(&carol.access_token).await;
    assert_error(
        app.refresh_native(bob.refresh()).await,
        StatusCode::UNAUTHORIZED,
        "invalid_refresh_token",
    )
    .await;
    assert_error(
        app.signin_raw(&json!({"login": "bob", "password": PASSWORD}))
            .await,
        StatusCode::FORBIDDEN,
        "account_suspended",
    )
    .await;
    // A wrong password says nothing about the suspension.
    assert_error(
        app.signin_raw(&json!({"login": "bob", "password": OTHER_PASSWORD}))
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    // Suspending again changes nothing.
    let again = expect_json(
        app.bearer_post(
            &admin.access_token,
            "/api/v1/admin/users/bob/suspend",
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["username"], "bob");
    assert_eq!(again["suspended_at"], done["target_user"]["suspended_at"]);

    let lifted = expect_json(
        app.bearer_post(
            &admin.access_token,
            "/api/v1/admin/users/bob/unsuspend",
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(lifted["suspended_at"], Value::Null);
    let back = app.signin("bob", PASSWORD).await;
    app.assert_token_works(&back.access_token).await;

    // The direct route suspends too, with a note.
    let suspended = expect_json(
        app.bearer_post(
            &admin.access_token,
            "/api/v1/admin/users/bob/suspend",
            &json!({"note": "again"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(suspended["suspended_at"].is_string());
    app.assert_token_refused(&back.access_token).await;
}

async fn the_audit_log_lists_every_action(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.signup("admin").await;
    let bob = app.signup("bob").await;
    let carol = app.signup("carol").await;
    let p = post(&app, &bob, "x").await;
    let r = report(&app, &carol, "post", &p).await;
    resolve(&app, &admin, &r, "dismiss").await;
    for path in [
        "/api/v1/admin/users/bob/suspend",
        "/api/v1/admin/users/bob/unsuspend",
    ] {
        expect_status(
            app.bearer_post(&admin.access_token, path, &json!({"note": "why"}))
                .await,
            StatusCode::OK,
        )
        .await;
    }
    let log = audit(&app, &admin).await;
    let actions: Vec<&str> = log.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        ["user.unsuspend", "user.suspend", "report.dismiss"],
        "newest first"
    );
    for entry in &log {
        assert_eq!(entry["actor"]["username"], "admin");
        assert_eq!(entry["target_user"]["username"], "bob");
    }
    assert_eq!(log[1]["detail"], "why");
    assert_eq!(log[2]["target_kind"], "post");
    assert_eq!(log[2]["target_id"], p.as_str());
    // Pages by cursor.
    let first = expect_json(
        app.bearer_get(&admin.access_token, "/api/v1/admin/audit?limit=2")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    let cursor = str_of(&first["next_cursor"]);
    let rest = expect_json(
        app.bearer_get(
            &admin.access_token,
            &format!("/api/v1/admin/audit?limit=2&cursor={cursor}"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rest["items"][0]["action"], "report.dismiss");
    assert_eq!(rest["next_cursor"], Value::Null);
}

async fn the_cli_function_grants_and_revokes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.signup("admin").await;
    let bob = app.signup("bob").await;
    let store = &app.state.store;
    use parley_server::services::moderation::set_role_from_cli;
    assert!(set_role_from_cli(store, "Bob", true).await.expect("grant"));
    assert!(!set_role_from_cli(store, "bob", true).await.expect("again"));
    assert_eq!(me(&app, &bob).await["role"], "admin");
    expect_status(
        app.bearer_get(&bob.access_token, "/api/v1/admin/reports")
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        set_role_from_cli(store, "nobody", true).await.is_err(),
        "an unknown username is an error"
    );
    let log = audit(&app, &admin).await;
    assert_eq!(log[0]["action"], "role.grant");
    assert_eq!(log[0]["actor"], Value::Null);
    assert_eq!(log[0]["target_user"]["username"], "bob");
    assert!(
        set_role_from_cli(store, "bob", false)
            .await
            .expect("revoke")
    );
    assert_eq!(me(&app, &bob).await["role"], "user");
    assert_error(
        app.bearer_get(&bob.access_token, "/api/v1/admin/reports")
            .await,
        StatusCode::FORBIDDEN,
        "not_admin",
    )
    .await;
}

/// The real binary: `parley admin grant` on a stopped server's database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parley_admin_grant_runs_from_the_command_line() {
    let mut app = TestApp::spawn(Backend::Sqlite).await;
    app.signup("admin").await;
    app.signup("bob").await;
    app.stop().await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_parley"))
            .args(args)
            .arg("--database-url")
            .arg(&app.config.database_url)
            .arg("--data-dir")
            .arg(app.data_path())
            .output()
            .expect("run parley")
    };
    let out = run(&["admin", "grant", "bob"]);
    assert!(
        out.status.success(),
        "parley admin grant failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let unknown = run(&["admin", "grant", "nobody"]);
    assert!(!unknown.status.success(), "an unknown username fails");
    app.restart().await;
    let bob = app.signin("bob", PASSWORD).await;
    assert_eq!(bob.user["role"], "admin");
}
