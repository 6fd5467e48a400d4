//! The Open API for registered sites (docs/api.md "Open API"): registering
//! domains (host rules, secrets shown once, someone else's domain is 404),
//! the whole flow from secret to token to data, every refusal (unknown
//! secret, foreign origin, bad and expired tokens, a rotated secret, a
//! deleted domain), CORS for allowed, foreign, `null` and look-alike
//! origins, and both tiers' limits.

use crate::helpers::*;
use crate::social_support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

every_deployment!(
    domains_are_registered_listed_and_owned,
    a_secret_becomes_a_token_that_reads_public_data,
    rotated_and_deleted_domains_stop_working_at_once,
    tokens_and_origins_are_checked,
    cors_allows_registered_origins_only,
    each_tier_has_its_own_limit,
);

async fn register_raw(app: &TestApp, who: &Session, body: &Value) -> reqwest::Response {
    app.bearer_post(&who.access_token, "/api/v1/developer/domains", body)
        .await
}

async fn register(app: &TestApp, who: &Session, host: &str, tier: &str) -> Value {
    let d = expect_json(
        register_raw(app, who, &json!({"host": host, "tier": tier})).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        d["client_secret"]
            .as_str()
            .is_some_and(|s| s.starts_with("pcs_") && s.len() > 40),
        "{d}"
    );
    d
}

fn secret(d: &Value) -> String {
    d["client_secret"].as_str().unwrap_or_default().to_owned()
}

async fn token_raw(app: &TestApp, secret: &str, origin: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client()
        .post(app.url("/open/v1/token"))
        .json(&json!({"client_secret": secret}));
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.expect("token request")
}

async fn token(app: &TestApp, secret: &str) -> String {
    let t = expect_json(token_raw(app, secret, None).await, StatusCode::OK).await;
    assert_eq!(t["token_type"], "Bearer");
    assert!(
        t["expires_in"].as_u64().is_some_and(|s| s > 0 && s <= 1800),
        "{t}"
    );
    t["token"].as_str().unwrap_or_default().to_owned()
}

async fn open_get(
    app: &TestApp,
    token: &str,
    path: &str,
    origin: Option<&str>,
) -> reqwest::Response {
    let mut request = app.client().get(app.url(path)).bearer_auth(token);
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.expect("open api request")
}

async fn domains_are_registered_listed_and_owned(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let site = register(&app, &alice, "Example.com", "free").await;
    assert_eq!(
        (&site["host"], &site["tier"]),
        (&json!("example.com"), &json!("free"))
    );
    assert!(site["last_used_at"].is_null());
    register(&app, &alice, "localhost:3000", "premium").await;
    for (host, tier) in [
        ("https://example.org", "free"),
        ("example.org/path", "free"),
        ("example.org:99999", "free"),
        ("", "free"),
    ] {
        assert_invalid(
            register_raw(&app, &alice, &json!({"host": host, "tier": tier})).await,
            "host",
        )
        .await;
    }
    assert_error(
        register_raw(
            &app,
            &alice,
            &json!({"host": "example.org", "tier": "gold"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_error(
        register_raw(
            &app,
            &alice,
            &json!({"host": "EXAMPLE.com", "tier": "premium"}),
        )
        .await,
        StatusCode::CONFLICT,
        "domain_taken",
    )
    .await;
    // Another owner may register the same host for themselves.
    register(&app, &bob, "example.com", "free").await;

    let (mine, next) = page(&app, Some(&alice.access_token), "/api/v1/developer/domains").await;
    assert!(next.is_none());
    assert_eq!(
        mine.iter().map(|d| d["host"].clone()).collect::<Vec<_>>(),
        [json!("example.com"), json!("localhost:3000")]
    );
    assert!(
        mine.iter().all(|d| d.get("client_secret").is_none()),
        "never listed with secrets"
    );
    // Bob's is 404 to alice, on every endpoint.
    let (bobs, _) = page(&app, Some(&bob.access_token), "/api/v1/developer/domains").await;
    let bobs_id = id_of(&bobs[0]);
    for response in [
        app.bearer_post(
            &alice.access_token,
            &format!("/api/v1/developer/domains/{bobs_id}/rotate"),
            &json!({}),
        )
        .await,
        app.bearer_delete(
            &alice.access_token,
            &format!("/api/v1/developer/domains/{bobs_id}"),
            None,
        )
        .await,
        app.bearer_post(
            &alice.access_token,
            &format!("/api/v1/developer/domains/{}/rotate", unknown_id()),
            &json!({}),
        )
        .await,
    ] {
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert_eq!(
        page(&app, Some(&bob.access_token), "/api/v1/developer/domains")
            .await
            .0
            .len(),
        1
    );
    let signed_out = app.get("/api/v1/developer/domains").await;
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
}

async fn a_secret_becomes_a_token_that_reads_public_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    create_post(&app, &alice, "first #parley").await;
    create_post(&app, &alice, "second #안녕").await;
    create_post(&app, &bob, "bob's #parley").await;
    let site = register(&app, &alice, "example.com", "free").await;
    let t = token(&app, &secret(&site)).await;

    let mine = expect_json(
        open_get(&app, &t, "/open/v1/posts/mine", None).await,
        StatusCode::OK,
    )
    .await;
    let (items, _) = page_of(&mine);
    assert_eq!(
        items.iter().map(|p| p["text"].clone()).collect::<Vec<_>>(),
        [json!("second #안녕"), json!("first #parley")],
        "the owner's posts, newest first"
    );
    let tagged = expect_json(
        open_get(&app, &t, "/open/v1/tags/parley/posts", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page_of(&tagged).0.len(), 2);
    let korean = expect_json(
        open_get(
            &app,
            &t,
            &format!("/open/v1/tags/{}/posts", enc("안녕")),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page_of(&korean).0.len(), 1);
    let paged = expect_json(
        open_get(&app, &t, "/open/v1/posts/mine?limit=1", None).await,
        StatusCode::OK,
    )
    .await;
    let (one, cursor) = page_of(&paged);
    assert_eq!(one.len(), 1);
    assert!(cursor.is_some(), "paginated like the rest of the API");
    let user = expect_json(
        open_get(&app, &t, "/open/v1/users/bob", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(user["username"], "bob");
    assert!(user.get("email").is_none(), "a public User: {user}");
    assert_error(
        open_get(&app, &t, "/open/v1/users/ghost", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Use is recorded.
    let used = wait_for_last_used(&app, &alice).await;
    assert!(used.is_string());
    // The document describes the second security scheme.
    let spec: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("spec");
    assert!(
        spec["components"]["securitySchemes"]["open_api_token"].is_object(),
        "{}",
        spec["components"]["securitySchemes"]
    );
    assert!(spec["paths"]["/open/v1/posts/mine"]["get"]["security"].is_array());
}

async fn wait_for_last_used(app: &TestApp, who: &Session) -> Value {
    for _ in 0..200 {
        let (items, _) = page(app, Some(&who.access_token), "/api/v1/developer/domains").await;
        if !items[0]["last_used_at"].is_null() {
            return items[0]["last_used_at"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("last_used_at was never recorded");
}

async fn rotated_and_deleted_domains_stop_working_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let site = register(&app, &alice, "example.com", "free").await;
    let id = id_of(&site);
    let old_secret = secret(&site);
    let old_token = token(&app, &old_secret).await;
    expect_status(
        open_get(&app, &old_token, "/open/v1/posts/mine", None).await,
        StatusCode::OK,
    )
    .await;

    let rotated = expect_json(
        app.bearer_post(
            &alice.access_token,
            &format!("/api/v1/developer/domains/{id}/rotate"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let new_secret = secret(&rotated);
    assert_ne!(new_secret, old_secret);
    assert_eq!(rotated["host"], "example.com");
    assert_error(
        open_get(&app, &old_token, "/open/v1/posts/mine", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        token_raw(&app, &old_secret, None).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    )
    .await;
    let new_token = token(&app, &new_secret).await;
    expect_status(
        open_get(&app, &new_token, "/open/v1/posts/mine", None).await,
        StatusCode::OK,
    )
    .await;

    expect_status(
        app.bearer_delete(
            &alice.access_token,
            &format!("/api/v1/developer/domains/{id}"),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        open_get(&app, &new_token, "/open/v1/posts/mine", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        token_raw(&app, &new_secret, None).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    )
    .await;
    assert!(
        page(&app, Some(&alice.access_token), "/api/v1/developer/domains")
            .await
            .0
            .is_empty()
    );
}

async fn tokens_and_origins_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let site = register(&app, &alice, "example.com", "free").await;
    register(&app, &alice, "other.example", "free").await;
    let s = secret(&site);
    assert_error(
        token_raw(&app, "pcs_nope", None).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    )
    .await;
    for origin in [
        "https://evil.net",
        "https://example.com.evil.net",
        "null",
        "https://other.example",
    ] {
        assert_error(
            token_raw(&app, &s, Some(origin)).await,
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
        )
        .await;
    }
    for origin in ["https://example.com", "http://example.com"] {
        expect_status(token_raw(&app, &s, Some(origin)).await, StatusCode::OK).await;
    }
    let t = token(&app, &s).await;
    // A browser call from another origin, even a registered one, is refused.
    assert_error(
        open_get(
            &app,
            &t,
            "/open/v1/posts/mine",
            Some("https://other.example"),
        )
        .await,
        StatusCode::FORBIDDEN,
        "origin_not_allowed",
    )
    .await;
    expect_status(
        open_get(&app, &t, "/open/v1/posts/mine", Some("https://example.com")).await,
        StatusCode::OK,
    )
    .await;
    // No token, a user's access token, garbage: 401 unauthorized.
    let none = app.get("/open/v1/posts/mine").await;
    assert_error(none, StatusCode::UNAUTHORIZED, "unauthorized").await;
    for bad in [alice.access_token.as_str(), "garbage"] {
        assert_error(
            open_get(&app, bad, "/open/v1/posts/mine", None).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    // And an Open API token is no user's access token.
    assert_error(
        app.bearer_get(&t, "/api/v1/users/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // A tampered token is plainly unauthorized (expiry, which needs the
    // server's key to forge, is checked by the unit tests of open::tokens).
    let tampered = format!("{}x", t);
    assert_error(
        open_get(&app, &tampered, "/open/v1/posts/mine", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn cors_allows_registered_origins_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    register(&app, &alice, "example.com", "free").await;
    register(&app, &alice, "localhost:3000", "free").await;
    let preflight = |origin: &'static str| {
        let app = &app;
        async move {
            app.client()
                .request(reqwest::Method::OPTIONS, app.url("/open/v1/posts/mine"))
                .header("origin", origin)
                .header("access-control-request-method", "GET")
                .header("access-control-request-headers", "authorization")
                .send()
                .await
                .expect("preflight")
        }
    };
    for origin in ["https://example.com", "http://localhost:3000"] {
        let r = preflight(origin).await;
        assert!(r.status().is_success(), "{origin}: {}", r.status());
        let h = r.headers();
        assert_eq!(h["access-control-allow-origin"], origin);
        assert!(h.get("access-control-allow-credentials").is_none());
        assert!(
            h["access-control-allow-methods"]
                .to_str()
                .unwrap_or_default()
                .contains("GET")
        );
        assert!(
            h["access-control-allow-headers"]
                .to_str()
                .unwrap_or_default()
                .contains("authorization")
        );
        assert!(h.get("access-control-max-age").is_some());
        assert_eq!(h["vary"], "origin");
    }
    for origin in [
        "https://evil.net",
        "https://example.com.evil.net",
        "https://evilexample.com",
        "null",
        "http://localhost:3001",
        "http://localhost",
    ] {
        let r = preflight(origin).await;
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{origin}"
        );
        assert!(
            r.headers().get("access-control-allow-methods").is_none(),
            "{origin}"
        );
        assert_eq!(r.headers()["vary"], "origin");
    }
    // Actual requests: the same rule, on errors too, never `*`.
    let r = app
        .client()
        .get(app.url("/open/v1/posts/mine"))
        .header("origin", "https://example.com")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://example.com"
    );
    let r = app
        .client()
        .get(app.url("/open/v1/posts/mine"))
        .header("origin", "https://evil.net")
        .send()
        .await
        .expect("get");
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // A registration takes effect at once; a deletion too.
    let r = preflight("https://new.example").await;
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let new = register(&app, &alice, "new.example", "free").await;
    assert_eq!(
        preflight("https://new.example").await.headers()["access-control-allow-origin"],
        "https://new.example"
    );
    expect_status(
        app.bearer_delete(
            &alice.access_token,
            &format!("/api/v1/developer/domains/{}", id_of(&new)),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert!(
        preflight("https://new.example")
            .await
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    // /api/v1 keeps its configured-origin CORS: a registered site gets nothing there.
    let r = app
        .client()
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/posts"))
        .header("origin", "https://example.com")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .expect("api preflight");
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

async fn each_tier_has_its_own_limit(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.rate_limits.open_api_free = limit(3);
        c.rate_limits.open_api_premium = limit(6);
    })
    .await;
    let alice = app.signup("alice").await;
    let free = register(&app, &alice, "free.example", "free").await;
    let premium = register(&app, &alice, "premium.example", "premium").await;
    for (site, allowed) in [(&free, 3), (&premium, 6)] {
        // The token request counts too.
        let t = token(&app, &secret(site)).await;
        for i in 1..allowed {
            let r = open_get(&app, &t, "/open/v1/posts/mine", None).await;
            assert_eq!(r.status(), StatusCode::OK, "request {i}");
            assert_eq!(r.headers()["ratelimit-limit"], allowed.to_string().as_str());
            assert_eq!(
                r.headers()["ratelimit-remaining"],
                (allowed - 1 - i).to_string().as_str()
            );
        }
        let refused = open_get(&app, &t, "/open/v1/posts/mine", None).await;
        assert!(refused.headers().get("retry-after").is_some());
        assert_error(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        assert_error(
            token_raw(&app, &secret(site), None).await,
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
        )
        .await;
    }
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    let free_id = id_of(&free);
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("open_api_requests_total")
                && l.contains(&free_id)
                && l.contains("allowed")),
        "{metrics}"
    );
}

/// Two nodes on one PostgreSQL and one Redis: a domain's token read (and
/// cached) on the second node stops working there the moment the first
/// node rotates the secret, and the new secret's token works on both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_reaches_every_node() {
    let jwt = "b3BlbiBhcGkgdGVzdCBzaGFyZWQgand0IHNlY3JldCBmb3IgdHdvIG5vZGVz";
    let cookie = "b3BlbiBhcGkgdGVzdCBzaGFyZWQgY29va2llIHNlY3JldCBmb3IgdHdvIG5vZGVz";
    let first = TestApp::spawn_with(Backend::PostgresRedis, |c| {
        c.jwt_secret = Some(jwt.into());
        c.cookie_secret = Some(cookie.into());
    })
    .await;
    let shared = first.config.clone();
    let second = TestApp::spawn_with(Backend::PostgresRedis, |c| {
        c.jwt_secret = Some(jwt.into());
        c.cookie_secret = Some(cookie.into());
        c.database_schema = shared.database_schema.clone();
        c.redis_prefix = shared.redis_prefix.clone();
    })
    .await;
    let alice = first.signup("alice").await;
    let site = register(&first, &alice, "example.com", "free").await;
    let old_token = token(&second, &secret(&site)).await;
    // Twice, so the second node answers from its cached registry.
    for _ in 0..2 {
        expect_status(
            open_get(&second, &old_token, "/open/v1/posts/mine", None).await,
            StatusCode::OK,
        )
        .await;
    }
    let rotated = expect_json(
        first
            .bearer_post(
                &alice.access_token,
                &format!("/api/v1/developer/domains/{}/rotate", id_of(&site)),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_error(
        open_get(&second, &old_token, "/open/v1/posts/mine", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let new_token = token(&first, &secret(&rotated)).await;
    for node in [&first, &second] {
        expect_status(
            open_get(node, &new_token, "/open/v1/posts/mine", None).await,
            StatusCode::OK,
        )
        .await;
    }
}
