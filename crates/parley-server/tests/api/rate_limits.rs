//! Rate limits (docs/api.md "Rate limits"): global per IP, sign-in failures per IP
//! and per account, sign-up per IP; the client IP from `X-Forwarded-For` only
//! behind a trusted proxy; all of them off with `rate_limits.enabled = false`.
//!
//! Limits use a very long window (see `helpers::LONG_WINDOW`) so a fixed
//! window never rolls over in the middle of a test.

use crate::helpers::*;
use reqwest::header::HeaderMap;
use reqwest::{Response, StatusCode};
use serde_json::json;

every_deployment!(
    global_limit_refuses_the_request_over_it_with_all_headers,
    probes_are_exempt_from_the_global_limit,
    signin_failures_are_limited_per_ip,
    signin_failures_are_limited_per_account,
    signin_failures_count_per_account_whatever_the_login_spelling,
    a_successful_signin_is_not_a_failure,
    concurrent_failed_signins_cannot_exceed_the_limit,
    signup_is_limited_per_ip_and_a_refused_signup_creates_nothing,
    forwarded_for_from_an_untrusted_peer_is_ignored,
    forwarded_for_from_a_trusted_proxy_separates_clients,
    disabled_rate_limits_refuse_nothing,
);

fn header_u64(headers: &HeaderMap, name: &str) -> u64 {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("missing or non-numeric {name}: {headers:?}"))
}

/// Asserts a 429 with `Retry-After`, the `RateLimit-*` headers for `limit`
/// and the error shape.
async fn assert_rate_limited(response: Response, limit: u64) {
    let headers = response.headers().clone();
    let body = assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let retry_after = header_u64(&headers, "retry-after");
    let window = LONG_WINDOW.as_secs();
    assert!(
        (1..=window).contains(&retry_after),
        "Retry-After {retry_after}"
    );
    assert_eq!(
        header_u64(&headers, "ratelimit-limit"),
        limit,
        "{headers:?}"
    );
    assert_eq!(
        header_u64(&headers, "ratelimit-remaining"),
        0,
        "{headers:?}"
    );
    let reset = header_u64(&headers, "ratelimit-reset");
    assert!((1..=window).contains(&reset), "RateLimit-Reset {reset}");
    if let Some(in_body) = body["error"].get("retry_after") {
        assert_eq!(in_body.as_u64(), Some(retry_after), "{body}");
    }
}

async fn global_limit_refuses_the_request_over_it_with_all_headers(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.rate_limits.global = limit(5)).await;
    for i in 0..5u64 {
        // Errors count as much as successes.
        let response = app.get("/api/v1/users/nobody").await;
        let headers = response.headers().clone();
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(header_u64(&headers, "ratelimit-limit"), 5, "{headers:?}");
        assert_eq!(
            header_u64(&headers, "ratelimit-remaining"),
            4 - i,
            "{headers:?}"
        );
        assert!(header_u64(&headers, "ratelimit-reset") >= 1);
    }
    assert_rate_limited(app.get("/api/v1/users/nobody").await, 5).await;
    // Every route, every method: still refused, and nothing is created.
    let response = app
        .signup_raw(&json!({
            "username": "alice",
            "email": "alice@example.com",
            "password": PASSWORD,
        }))
        .await;
    assert_rate_limited(response, 5).await;
    assert_rate_limited(app.get("/api/openapi.json").await, 5).await;
    assert_rate_limited(app.get("/no/such/route").await, 5).await;
    // Nothing was created behind the limit (checked inside the server, not over HTTP).
    assert!(
        app.state
            .store
            .user_by_username("alice")
            .await
            .expect("store")
            .is_none(),
        "a refused sign-up created a user"
    );
}

async fn probes_are_exempt_from_the_global_limit(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.rate_limits.global = limit(2)).await;
    for _ in 0..3 {
        app.get("/api/v1/users/nobody").await;
    }
    assert_rate_limited(app.get("/api/v1/users/nobody").await, 2).await;
    for _ in 0..5 {
        for path in ["/healthz", "/readyz", "/metrics"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path} is exempt");
        }
    }
}

async fn signin_failures_are_limited_per_ip(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.rate_limits.signin = limit(3)).await;
    app.signup("alice").await;
    app.signup("bob").await;
    // Three failures from one IP, each on a different account.
    for login in ["ghost1", "ghost2", "bob"] {
        app.assert_signin_fails(login, "Wrong-Password-1").await;
    }
    // The fourth attempt from that IP is refused, even with the right password.
    for login in ["alice", "bob", "alice@example.com"] {
        let response = app
            .signin_raw(&json!({"login": login, "password": PASSWORD}))
            .await;
        assert!(set_cookies(response.headers()).is_empty(), "no session");
        assert_rate_limited(response, 3).await;
    }
    // Other routes are not affected by the sign-in limit.
    app.user("alice").await;
}

async fn signin_failures_are_limited_per_account(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.rate_limits.signin = limit(3);
        c.trusted_proxies = "127.0.0.1".parse().expect("trusted proxies");
    })
    .await;
    app.signup("alice").await;
    app.signup("bob").await;
    let signin_from = |ip: &'static str, login: &'static str, password: &'static str| {
        app.client()
            .post(app.url("/api/v1/auth/signin"))
            .header("x-forwarded-for", ip)
            .json(&json!({"login": login, "password": password, "client": "native"}))
            .send()
    };
    // Three failures on alice, each from another IP.
    for ip in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        let response = signin_from(ip, "alice", "Wrong-Password-1")
            .await
            .expect("signin");
        assert_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    // From a fresh IP, alice is locked even with the right password...
    let response = signin_from("203.0.113.4", "alice", PASSWORD)
        .await
        .expect("signin");
    assert_rate_limited(response, 3).await;
    let response = signin_from("203.0.113.4", "ALICE", PASSWORD)
        .await
        .expect("signin");
    assert_rate_limited(response, 3).await;
    // ...while bob signs in from that IP, and from an IP alice's attacker used.
    let response = signin_from("203.0.113.4", "bob", PASSWORD)
        .await
        .expect("signin");
    expect_json(response, StatusCode::OK).await;
    let response = signin_from("203.0.113.1", "bob", PASSWORD)
        .await
        .expect("signin");
    expect_json(response, StatusCode::OK).await;
}

/// docs/api.md limits failures "per account": the username and the email are two
/// spellings of one account, and must share one budget.
async fn signin_failures_count_per_account_whatever_the_login_spelling(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.rate_limits.signin = limit(3);
        c.trusted_proxies = "127.0.0.1".parse().expect("trusted proxies");
    })
    .await;
    app.signup("alice").await;
    let signin_from = |ip: &'static str, login: &'static str, password: &'static str| {
        app.client()
            .post(app.url("/api/v1/auth/signin"))
            .header("x-forwarded-for", ip)
            .json(&json!({"login": login, "password": password, "client": "native"}))
            .send()
    };
    for ip in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        let response = signin_from(ip, "alice", "Wrong-Password-1")
            .await
            .expect("signin");
        assert_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    // The same account by its email, from a fresh IP: the account is locked.
    let response = signin_from("203.0.113.9", "alice@example.com", PASSWORD)
        .await
        .expect("signin");
    let status = response.status();
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "3 failures on 'alice' must lock the account also when it is named by its email \
         (otherwise every account gets twice the guesses docs/api.md allows)"
    );
    assert_rate_limited(response, 3).await;
}

async fn a_successful_signin_is_not_a_failure(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.rate_limits.signin = limit(3)).await;
    app.signup("alice").await;
    app.assert_signin_fails("alice", "Wrong-Password-1").await;
    app.assert_signin_fails("alice", "Wrong-Password-2").await;
    // Many successes: none of them counts.
    for _ in 0..4 {
        app.signin("alice", PASSWORD).await;
    }
    // The third failure is still answered normally...
    app.assert_signin_fails("alice", "Wrong-Password-3").await;
    // ...and only then is the budget spent.
    let response = app
        .signin_raw(&json!({"login": "alice", "password": PASSWORD}))
        .await;
    assert_rate_limited(response, 3).await;
}

/// The failure budget must hold under concurrency too: an attacker firing many
/// guesses at once may not have more of them checked than the limit allows.
async fn concurrent_failed_signins_cannot_exceed_the_limit(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.rate_limits.signin = limit(3)).await;
    app.signup("alice").await;
    let bodies: Vec<_> = (0..12)
        .map(|i| json!({"login": "alice", "password": format!("Guess-Number-{i}")}))
        .collect();
    let responses = futures::future::join_all(bodies.iter().map(|body| app.signin_raw(body))).await;
    let mut checked = 0;
    let mut limited = 0;
    for response in responses {
        match response.status() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(
        checked <= 3,
        "{checked} of 12 simultaneous guesses were checked ({limited} refused); \
         the limit is 3 failures per account and per IP"
    );
    let response = app
        .signin_raw(&json!({"login": "alice", "password": PASSWORD}))
        .await;
    assert_rate_limited(response, 3).await;
}

async fn signup_is_limited_per_ip_and_a_refused_signup_creates_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.rate_limits.signup = limit(2)).await;
    app.signup("alice").await;
    app.signup("bob").await;
    let response = app
        .signup_raw(&json!({
            "username": "carol",
            "email": "carol@example.com",
            "password": PASSWORD,
        }))
        .await;
    assert!(set_cookies(response.headers()).is_empty(), "no session");
    assert_rate_limited(response, 2).await;
    app.assert_no_user("carol").await;
    app.assert_signin_fails("carol", PASSWORD).await;
    // Signing in is a different limit.
    app.signin("alice", PASSWORD).await;
}

async fn forwarded_for_from_an_untrusted_peer_is_ignored(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.rate_limits.global = limit(3)).await;
    let get_as = |ip: String| {
        app.client()
            .get(app.url("/api/v1/users/nobody"))
            .header("x-forwarded-for", ip)
            .send()
    };
    for i in 1..=3 {
        let response = get_as(format!("198.51.100.{i}")).await.expect("get");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    // Claiming yet another address does not escape the limit.
    let response = get_as("198.51.100.99".to_owned()).await.expect("get");
    assert_rate_limited(response, 3).await;
    let response = get_as("198.51.100.1, 198.51.100.77".to_owned())
        .await
        .expect("get");
    assert_rate_limited(response, 3).await;
}

async fn forwarded_for_from_a_trusted_proxy_separates_clients(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.rate_limits.global = limit(3);
        c.rate_limits.signup = limit(1);
        c.trusted_proxies = "127.0.0.1".parse().expect("trusted proxies");
    })
    .await;
    let get_as = |ip: &'static str| {
        app.client()
            .get(app.url("/api/v1/users/nobody"))
            .header("x-forwarded-for", ip)
            .send()
    };
    for _ in 0..3 {
        let response = get_as("198.51.100.1").await.expect("get");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    assert_rate_limited(get_as("198.51.100.1").await.expect("get"), 3).await;
    // Another client behind the same proxy has its own budget.
    let response = get_as("198.51.100.2").await.expect("get");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header_u64(response.headers(), "ratelimit-remaining"), 2);
    // A spoofed entry left of the real client changes nothing: the proxy appended the truth.
    assert_rate_limited(
        get_as("198.51.100.200, 198.51.100.1").await.expect("get"),
        3,
    )
    .await;

    // Sign-up budgets are per forwarded client too.
    let signup_as = |ip: &'static str, name: &'static str| {
        app.client()
            .post(app.url("/api/v1/auth/signup"))
            .header("x-forwarded-for", ip)
            .json(&json!({
                "username": name,
                "email": email_for(name),
                "password": PASSWORD,
            }))
            .send()
    };
    let response = signup_as("198.51.100.3", "alice").await.expect("signup");
    expect_json(response, StatusCode::CREATED).await;
    let response = signup_as("198.51.100.3", "bob").await.expect("signup");
    assert_rate_limited(response, 1).await;
    let response = signup_as("198.51.100.4", "bob").await.expect("signup");
    expect_json(response, StatusCode::CREATED).await;
}

async fn disabled_rate_limits_refuse_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.rate_limits.enabled = false;
        c.rate_limits.global = limit(1);
        c.rate_limits.signin = limit(1);
        c.rate_limits.signup = limit(1);
    })
    .await;
    for name in ["alice", "bob", "carol"] {
        app.signup(name).await;
    }
    for _ in 0..3 {
        app.assert_signin_fails("alice", "Wrong-Password-1").await;
    }
    app.signin("alice", PASSWORD).await;
    for _ in 0..5 {
        let response = app.get("/api/v1/users/alice").await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}
