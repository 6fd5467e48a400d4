//! Sign-in through providers, end to end against the fake provider of
//! `oauth_provider` (a real HTTP server that issues codes and signs ID
//! tokens): the whole flow like a browser follows it (start → provider →
//! callback, cookies kept by hand), every refusal landing on
//! `/signin?error=oauth_failed` with no session, the presets' quirks,
//! accounts by (provider, subject) and never by e-mail, linking and
//! unlinking, password-less accounts, and a flow finished on another node.

use crate::helpers::*;
use crate::oauth_provider::{FakeProvider, FakeUser, Flavor, Tamper};
use parley_core::{SessionId, Timestamp, UserId};
use parley_server::config::Config;
use parley_server::oauth::config::{ProviderConfig, ProviderKind};
use parley_server::oauth::presets::Preset;
use parley_store::NewSession;
use reqwest::{Client, StatusCode, redirect::Policy};
use serde_json::{Value, json};

const CLIENT_ID: &str = "parley-test-client";
const CLIENT_SECRET: &str = "parley-test-secret";
/// The public URL of test servers: callbacks are built on it.
const PUBLIC: &str = "http://parley.test";

/// The provider configuration that points `name` at `fake`.
fn provider_config(name: &str, fake: &FakeProvider) -> ProviderConfig {
    let kind = match fake.flavor() {
        Flavor::Oidc => ProviderKind::Oidc {
            issuer: fake.issuer(),
        },
        flavor => ProviderKind::Preset {
            preset: match flavor {
                Flavor::Google => Preset::Google,
                Flavor::Kakao => Preset::Kakao,
                Flavor::Naver => Preset::Naver,
                _ => Preset::GitHub,
            },
            auth_url: fake.auth_url(),
            token_url: fake.token_url(),
            userinfo_url: fake.userinfo_url(),
        },
    };
    ProviderConfig {
        name: name.to_owned(),
        display_name: format!("{name} button"),
        client_id: CLIENT_ID.to_owned(),
        client_secret: CLIENT_SECRET.to_owned(),
        kind,
    }
}

async fn fake(flavor: Flavor) -> FakeProvider {
    FakeProvider::start(flavor, CLIENT_ID, CLIENT_SECRET).await
}

async fn app_with(backend: Backend, providers: Vec<ProviderConfig>) -> TestApp {
    TestApp::spawn_with(backend, |c: &mut Config| c.oauth_providers = providers).await
}

/// A browser that follows nothing by itself: each redirect is looked at.
fn browser() -> Client {
    Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client")
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("a redirect with Location, got {}", r.status()))
        .to_owned()
}

/// `name=value` of the response's `Set-Cookie` named `name`, if any and not a deletion.
fn cookie_pair(r: &reqwest::Response, name: &str) -> Option<String> {
    set_cookies(r.headers())
        .into_iter()
        .find(|c| c.name == name && !c.value.is_empty())
        .map(|c| format!("{}={}", c.name, c.value))
}

/// A flow up to the provider's redirect back: the callback URL (on the
/// test server) and the flow cookie.
struct PendingCallback {
    url: String,
    flow_cookie: String,
}

/// Starts at `/api/v1/auth/oauth/{name}` and lets the provider consent.
async fn until_callback(app: &TestApp, name: &str, return_to: &str) -> PendingCallback {
    let b = browser();
    let start = b
        .get(app.url(&format!(
            "/api/v1/auth/oauth/{name}?return_to={}",
            urlencode(return_to)
        )))
        .send()
        .await
        .expect("start");
    assert_eq!(start.status(), StatusCode::FOUND);
    let flow_cookie = cookie_pair(&start, "parley_oauth").expect("a flow cookie");
    after_provider(app, &location(&start), flow_cookie).await
}

/// Follows the provider's authorize URL to the redirect back to us.
async fn after_provider(app: &TestApp, authorize: &str, flow_cookie: String) -> PendingCallback {
    let back = browser().get(authorize).send().await.expect("authorize");
    assert_eq!(
        back.status(),
        StatusCode::FOUND,
        "the provider redirects back"
    );
    let to = location(&back);
    let path = to
        .strip_prefix(PUBLIC)
        .unwrap_or_else(|| panic!("the provider returns to the public URL, got {to}"));
    PendingCallback {
        url: app.url(path),
        flow_cookie,
    }
}

/// The callback, with `cookie` (or none).
async fn callback(url: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = browser().get(url);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    req.send().await.expect("callback")
}

/// What a finished sign-in gave: where it went and the access token.
struct Landed {
    location: String,
    access: Option<String>,
    response_cookies: Vec<SetCookie>,
}

async fn land(r: reqwest::Response) -> Landed {
    assert_eq!(r.status(), StatusCode::FOUND, "a callback always redirects");
    Landed {
        location: location(&r),
        access: cookie_pair(&r, "parley_access")
            .map(|p| p.trim_start_matches("parley_access=").to_owned()),
        response_cookies: set_cookies(r.headers()),
    }
}

async fn sign_in_via(app: &TestApp, name: &str, return_to: &str) -> Landed {
    let pending = until_callback(app, name, return_to).await;
    land(callback(&pending.url, Some(&pending.flow_cookie)).await).await
}

/// Asserts a refused callback: back to the sign-in page, no session cookie.
fn assert_refused(landed: &Landed) {
    assert_eq!(landed.location, "/signin?error=oauth_failed");
    assert!(landed.access.is_none(), "a refused flow signs no one in");
}

async fn me(app: &TestApp, access: &str) -> Value {
    expect_json(
        app.bearer_get(access, "/api/v1/users/me").await,
        StatusCode::OK,
    )
    .await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn first_sign_in_makes_an_account_and_the_next_returns_to_it(backend: Backend) {
    let oidc = fake(Flavor::Oidc).await;
    oidc.set_user(FakeUser::new("sub-123", "Jane Doe", "jane@corp.test"));
    let app = app_with(backend, vec![provider_config("corp", &oidc)]).await;

    let providers = expect_json(app.get("/api/v1/auth/providers").await, StatusCode::OK).await;
    assert_eq!(
        providers["items"],
        json!([{"name": "corp", "display_name": "corp button"}])
    );

    let b = browser();
    let start = b
        .get(app.url("/api/v1/auth/oauth/corp?return_to=/posts/1"))
        .send()
        .await
        .expect("start");
    assert_eq!(start.status(), StatusCode::FOUND);
    let flow = cookie_named(&set_cookies(start.headers()), "parley_oauth").clone();
    assert!(flow.has("httponly"), "{}", flow.raw);
    assert_eq!(flow.attr("samesite"), Some("Lax"));
    assert_eq!(flow.attr("path"), Some("/api/v1/auth/oauth"));
    assert!(flow.max_age().is_some_and(|s| s > 0 && s <= 600));
    let pending = after_provider(
        &app,
        &location(&start),
        format!("parley_oauth={}", flow.value),
    )
    .await;
    let asked = oidc.last_authorize_query().expect("authorize was called");
    assert_eq!(asked["code_challenge_method"], "S256");
    assert!(asked.contains_key("nonce") && asked.contains_key("state"));
    assert_eq!(
        asked["redirect_uri"],
        format!("{PUBLIC}/api/v1/auth/oauth/corp/callback")
    );
    for scope in ["openid", "email", "profile"] {
        assert!(asked["scope"].split(' ').any(|s| s == scope), "{asked:?}");
    }
    let landed = land(callback(&pending.url, Some(&pending.flow_cookie)).await).await;
    assert_eq!(landed.location, "/posts/1");
    let access_cookie = cookie_named(&landed.response_cookies, "parley_access");
    assert!(access_cookie.has("httponly"));
    assert!(
        landed
            .response_cookies
            .iter()
            .any(|c| c.name == "parley_refresh" && !c.value.is_empty()),
        "the same browser session as a password sign-in"
    );
    assert!(
        landed
            .response_cookies
            .iter()
            .any(|c| c.name == "parley_oauth" && c.value.is_empty()),
        "the flow cookie is cleared"
    );
    let access = landed.access.expect("signed in");
    let first = me(&app, &access).await;
    assert_eq!(
        first["username"], "janedoe",
        "the preferred username names the account"
    );
    assert_eq!(first["display_name"], "Jane Doe");
    assert_eq!(
        first["email"], "jane@corp.test",
        "a verified, free address is taken"
    );
    assert_eq!(first["has_password"], false);
    let linked = expect_json(
        app.bearer_get(&access, "/api/v1/users/me/identities").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(linked["items"][0]["provider"], "corp");
    assert_eq!(linked["items"][0]["display_name"], "corp button");

    let again = sign_in_via(&app, "corp", "/").await;
    assert_eq!(again.location, "/");
    let second = me(&app, &again.access.expect("signed in again")).await;
    assert_eq!(second["id"], first["id"], "the same account comes back");

    // Another person whose name reduces to the same username gets another.
    oidc.set_user(FakeUser::new("sub-456", "Jane Doe", "jane2@corp.test"));
    let other = sign_in_via(&app, "corp", "/").await;
    let other = me(&app, &other.access.expect("signed in")).await;
    assert_ne!(other["id"], first["id"]);
    assert!(
        other["username"]
            .as_str()
            .is_some_and(|u| u.starts_with("janedoe_")),
        "{other}"
    );
}

async fn every_bad_callback_is_refused_without_a_session(backend: Backend) {
    let oidc = fake(Flavor::Oidc).await;
    let app = app_with(backend, vec![provider_config("corp", &oidc)]).await;

    // No flow cookie, a wrong state, no state, a cookie from another flow.
    let pending = until_callback(&app, "corp", "/").await;
    assert_refused(&land(callback(&pending.url, None).await).await);
    let wrong_state = pending.url.replace("state=", "state=x");
    assert_refused(&land(callback(&wrong_state, Some(&pending.flow_cookie)).await).await);
    let no_state: String = pending
        .url
        .split('&')
        .filter(|part| !part.starts_with("state="))
        .collect::<Vec<_>>()
        .join("&");
    assert_refused(&land(callback(&no_state, Some(&pending.flow_cookie)).await).await);
    let other = until_callback(&app, "corp", "/").await;
    assert_refused(&land(callback(&pending.url, Some(&other.flow_cookie)).await).await);
    let forged = format!("parley_oauth={}", "A".repeat(120));
    assert_refused(&land(callback(&pending.url, Some(&forged)).await).await);

    // A replayed code: the first use signs in, the second is refused.
    let fresh = until_callback(&app, "corp", "/").await;
    let used = land(callback(&fresh.url, Some(&fresh.flow_cookie)).await).await;
    assert!(used.access.is_some());
    assert_refused(&land(callback(&fresh.url, Some(&fresh.flow_cookie)).await).await);

    // ID tokens that fail one check each.
    for spoil in [
        Tamper::WrongNonce,
        Tamper::WrongAudience,
        Tamper::WrongIssuer,
        Tamper::Expired,
        Tamper::BadSignature,
    ] {
        oidc.tamper(spoil);
        let landed = sign_in_via(&app, "corp", "/").await;
        assert!(landed.access.is_none(), "{spoil:?} must be refused");
        assert_refused(&landed);
    }

    // The person refuses at the provider.
    oidc.deny_next();
    assert_refused(&sign_in_via(&app, "corp", "/").await);

    // A token endpoint that redirects is not followed.
    let trap = fake(Flavor::Oidc).await;
    oidc.redirect_token_endpoint(&trap.token_url());
    assert_refused(&sign_in_via(&app, "corp", "/").await);
    assert_eq!(trap.token_requests(), 0, "no redirect is followed");

    // The callback of a provider that is not configured.
    let unknown = land(
        callback(
            &app.url("/api/v1/auth/oauth/nope/callback?code=x&state=y"),
            None,
        )
        .await,
    )
    .await;
    assert_refused(&unknown);
}

async fn a_return_path_must_be_on_this_site(backend: Backend) {
    let oidc = fake(Flavor::Oidc).await;
    let app = app_with(backend, vec![provider_config("corp", &oidc)]).await;
    for evil in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let landed = sign_in_via(&app, "corp", evil).await;
        assert_eq!(landed.location, "/", "{evil} is replaced by /");
        assert!(landed.access.is_some());
    }
    let unknown = browser()
        .get(app.url("/api/v1/auth/oauth/nope"))
        .send()
        .await
        .expect("start");
    assert_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
}

async fn a_provider_that_is_down_fails_only_its_own_sign_ins(backend: Backend) {
    let up = fake(Flavor::Oidc).await;
    let down = ProviderConfig {
        kind: ProviderKind::Oidc {
            issuer: format!("http://127.0.0.1:{}", crate::process_support::free_port()),
        },
        ..provider_config("down", &up)
    };
    let app = app_with(backend, vec![down, provider_config("up", &up)]).await;
    let start = browser()
        .get(app.url("/api/v1/auth/oauth/down"))
        .send()
        .await
        .expect("start");
    assert_eq!(start.status(), StatusCode::FOUND);
    assert_eq!(location(&start), "/signin?error=oauth_failed");
    assert!(sign_in_via(&app, "up", "/").await.access.is_some());
}

async fn an_email_like_a_local_accounts_makes_a_separate_account(backend: Backend) {
    let oidc = fake(Flavor::Oidc).await;
    let app = app_with(backend, vec![provider_config("corp", &oidc)]).await;
    let alice = app.signup("alice").await;
    oidc.set_user(FakeUser::new("evil-sub", "alice", &email_for("alice")));
    let landed = sign_in_via(&app, "corp", "/").await;
    let made = me(&app, &landed.access.expect("signed in")).await;
    assert_ne!(
        made["id"], alice.user["id"],
        "an e-mail never decides whose account it is"
    );
    assert_eq!(made["email"], Value::Null, "a taken address is not copied");
    assert_ne!(made["username"], "alice");
    let back = app.signin("alice", PASSWORD).await;
    assert_eq!(back.user["id"], alice.user["id"]);

    // An unverified address is not copied either.
    oidc.set_user(FakeUser::new("other-sub", "Bob", "bob@corp.test").unverified());
    let bob = sign_in_via(&app, "corp", "/").await;
    assert_eq!(
        me(&app, &bob.access.expect("signed in")).await["email"],
        Value::Null
    );
}

async fn presets_handle_what_each_provider_really_does(backend: Backend) {
    let github = fake(Flavor::GitHub).await;
    github.set_user(FakeUser::new("583231", "Octo Cat", "octo@gh.test"));
    let naver = fake(Flavor::Naver).await;
    naver.set_user(FakeUser::new("naver-id-1", "네이버사용자", "n@naver.test"));
    let kakao = fake(Flavor::Kakao).await;
    kakao.set_user(FakeUser::new("1234567890", "라이언", "ryan@kakao.test"));
    let google = fake(Flavor::Google).await;
    google.set_user(FakeUser::new("g-1", "Gee Gle", "g@gmail.test"));
    let app = app_with(
        backend,
        vec![
            provider_config("github", &github),
            provider_config("naver", &naver),
            provider_config("kakao", &kakao),
            provider_config("google", &google),
        ],
    )
    .await;

    let gh = me(
        &app,
        &sign_in_via(&app, "github", "/")
            .await
            .access
            .expect("github"),
    )
    .await;
    assert_eq!(
        gh["username"], "octocat",
        "GitHub's login names the account"
    );
    assert_eq!(
        gh["email"], "octo@gh.test",
        "from the second call, verified there"
    );

    let nv = me(
        &app,
        &sign_in_via(&app, "naver", "/").await.access.expect("naver"),
    )
    .await;
    assert_eq!(nv["display_name"], "네이버사용자");
    assert_eq!(
        nv["email"],
        Value::Null,
        "Naver does not say it verified the address"
    );
    let form = naver.last_token_form().expect("token form");
    assert_eq!(
        form.get("client_secret").map(String::as_str),
        Some(CLIENT_SECRET)
    );

    let kk = me(
        &app,
        &sign_in_via(&app, "kakao", "/").await.access.expect("kakao"),
    )
    .await;
    assert_eq!(kk["display_name"], "라이언");
    assert_eq!(
        kk["username"], "ryan",
        "a Hangul nickname falls back to the e-mail's name"
    );

    let gg = me(
        &app,
        &sign_in_via(&app, "google", "/")
            .await
            .access
            .expect("google"),
    )
    .await;
    assert_eq!(gg["email"], "g@gmail.test");

    // Each comes back to its own account.
    let again = me(
        &app,
        &sign_in_via(&app, "kakao", "/").await.access.expect("kakao"),
    )
    .await;
    assert_eq!(again["id"], kk["id"]);

    // A refusal at Naver's consent screen is a failure like any other.
    naver.deny_next();
    assert_refused(&sign_in_via(&app, "naver", "/").await);
}

/// Starts linking `name` for the bearer `token`: the provider's URL and the flow cookie.
async fn start_link(app: &TestApp, token: &str, name: &str) -> (String, String) {
    let r = app
        .bearer_post(
            token,
            &format!("/api/v1/users/me/identities/{name}"),
            &json!({}),
        )
        .await;
    let cookie = cookie_pair(&r, "parley_oauth").expect("a flow cookie");
    let body = expect_json(r, StatusCode::OK).await;
    (
        body["authorize_url"]
            .as_str()
            .expect("authorize_url")
            .to_owned(),
        cookie,
    )
}

async fn link(app: &TestApp, token: &str, name: &str) -> Landed {
    let (url, cookie) = start_link(app, token, name).await;
    let pending = after_provider(app, &url, cookie).await;
    land(callback(&pending.url, Some(&pending.flow_cookie)).await).await
}

async fn linking_and_unlinking(backend: Backend) {
    let oidc = fake(Flavor::Oidc).await;
    let github = fake(Flavor::GitHub).await;
    let app = app_with(
        backend,
        vec![
            provider_config("corp", &oidc),
            provider_config("github", &github),
        ],
    )
    .await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;

    oidc.set_user(FakeUser::new("alice-at-corp", "Alice A", "a@corp.test"));
    let linked = link(&app, &alice.access_token, "corp").await;
    assert_eq!(linked.location, "/settings");
    assert!(linked.access.is_none(), "linking signs no new session in");
    let list = expect_json(
        app.bearer_get(&alice.access_token, "/api/v1/users/me/identities")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["items"][0]["email"], "a@corp.test");
    let via = sign_in_via(&app, "corp", "/").await;
    assert_eq!(
        me(&app, &via.access.expect("in")).await["id"],
        alice.user["id"]
    );

    // The same provider account for bob, or a second corp account for alice.
    let taken = link(&app, &bob.access_token, "corp").await;
    assert_eq!(taken.location, "/settings?error=identity_taken");
    oidc.set_user(FakeUser::new("alice-second", "Alice B", "b@corp.test"));
    let second = link(&app, &alice.access_token, "corp").await;
    assert_eq!(second.location, "/settings?error=identity_taken");
    let bobs = expect_json(
        app.bearer_get(&bob.access_token, "/api/v1/users/me/identities")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(bobs["items"], json!([]));

    // Linking needs a session, and a configured provider.
    let anonymous = app
        .post_json("/api/v1/users/me/identities/corp", &json!({}))
        .await;
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let unknown = app
        .bearer_post(
            &alice.access_token,
            "/api/v1/users/me/identities/nope",
            &json!({}),
        )
        .await;
    assert_error(unknown, StatusCode::NOT_FOUND, "not_found").await;

    // Unlinking: alice has a password, so corp may go; then it is not linked.
    let gone = app
        .bearer_delete(
            &alice.access_token,
            "/api/v1/users/me/identities/corp",
            None,
        )
        .await;
    expect_status(gone, StatusCode::NO_CONTENT).await;
    let again = app
        .bearer_delete(
            &alice.access_token,
            "/api/v1/users/me/identities/corp",
            None,
        )
        .await;
    assert_error(again, StatusCode::NOT_FOUND, "not_found").await;
    oidc.set_user(FakeUser::new("alice-at-corp", "Alice A", "a@corp.test"));
    let after = sign_in_via(&app, "corp", "/").await;
    assert_ne!(
        me(&app, &after.access.expect("in")).await["id"],
        alice.user["id"],
        "an unlinked identity no longer reaches the account"
    );
}

async fn a_password_less_account_keeps_a_way_in(backend: Backend) {
    let github = fake(Flavor::GitHub).await;
    let oidc = fake(Flavor::Oidc).await;
    let app = app_with(
        backend,
        vec![
            provider_config("github", &github),
            provider_config("corp", &oidc),
        ],
    )
    .await;
    github.set_user(FakeUser::new("77", "Solo", "solo@gh.test"));
    let token = sign_in_via(&app, "github", "/").await.access.expect("in");

    let last = app
        .bearer_delete(&token, "/api/v1/users/me/identities/github", None)
        .await;
    assert_error(last, StatusCode::CONFLICT, "last_sign_in_method").await;

    // A second provider makes the first removable; then the second is the last.
    oidc.set_user(FakeUser::new("solo-corp", "Solo", "solo@corp.test"));
    assert_eq!(link(&app, &token, "corp").await.location, "/settings");
    let first = app
        .bearer_delete(&token, "/api/v1/users/me/identities/github", None)
        .await;
    expect_status(first, StatusCode::NO_CONTENT).await;
    let now_last = app
        .bearer_delete(&token, "/api/v1/users/me/identities/corp", None)
        .await;
    assert_error(now_last, StatusCode::CONFLICT, "last_sign_in_method").await;

    // A first password needs no current one; after it, the last provider may go.
    let set = app
        .bearer_put(
            &token,
            "/api/v1/users/me/password",
            &json!({"new_password": "a brand new passphrase"}),
        )
        .await;
    expect_status(set, StatusCode::NO_CONTENT).await;
    let mine = me(&app, &token).await;
    assert_eq!(mine["has_password"], true);
    let change = app
        .bearer_put(
            &token,
            "/api/v1/users/me/password",
            &json!({"new_password": "another new passphrase"}),
        )
        .await;
    assert_invalid(change, "current_password").await;
    let unlinked = app
        .bearer_delete(&token, "/api/v1/users/me/identities/corp", None)
        .await;
    expect_status(unlinked, StatusCode::NO_CONTENT).await;
    let by_password = app
        .signin(
            mine["username"].as_str().expect("username"),
            "a brand new passphrase",
        )
        .await;
    assert_eq!(by_password.user["id"], mine["id"]);
}

async fn a_password_less_account_is_deleted_after_a_fresh_provider_sign_in(backend: Backend) {
    let github = fake(Flavor::GitHub).await;
    let app = app_with(backend, vec![provider_config("github", &github)]).await;
    github.set_user(FakeUser::new("88", "Leaving", "leaving@gh.test"));
    let token = sign_in_via(&app, "github", "/").await.access.expect("in");
    let user: UserId = me(&app, &token).await["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("user id");

    // A provider session older than ten minutes, or a session made some
    // other way, is not fresh enough to stand in for a password.
    for (with, age_min) in [("github", 11), ("password", 1)] {
        let stale = SessionId::new();
        let now = Timestamp::now();
        app.state
            .store
            .create_session(&NewSession {
                id: stale,
                user_id: user,
                remember: false,
                signed_in_with: with.into(),
                origin: Default::default(),
                created_at: Timestamp(now.as_millis() - age_min * 60_000),
                expires_at: Timestamp(now.as_millis() + 3_600_000),
                token_hash: stale.0.as_bytes().to_vec(),
            })
            .await
            .expect("session");
        let old = app.state.tokens.issue(user, stale).expect("token");
        let refused = app
            .bearer_delete(&old, "/api/v1/users/me", Some(&json!({})))
            .await;
        assert_error(refused, StatusCode::FORBIDDEN, "fresh_sign_in_required").await;
    }
    me(&app, &token).await;

    let deleted = app
        .bearer_delete(&token, "/api/v1/users/me", Some(&json!({})))
        .await;
    expect_status(deleted, StatusCode::NO_CONTENT).await;
    app.assert_token_refused(&token).await;
    // The identity went with it: the next sign-in makes a new account.
    let next = sign_in_via(&app, "github", "/").await;
    assert!(next.access.is_some());

    // An account with a password still has to give it.
    let alice = app.signup("alice").await;
    let refused = app
        .bearer_delete(&alice.access_token, "/api/v1/users/me", Some(&json!({})))
        .await;
    assert_invalid(refused, "password").await;
}

async fn a_flow_started_on_one_node_finishes_on_another(backend: Backend) {
    let oidc = fake(Flavor::Oidc).await;
    let secret = "c2hhcmVkIGNvb2tpZSBzZWNyZXQgZm9yIGJvdGggbm9kZXMgb2YgdGhlIHRlc3Q=";
    let jwt = "c2hhcmVkIEpXVCBzZWNyZXQgZm9yIGJvdGggbm9kZXMgb2YgdGhlIHRlc3QgISE=";
    let providers = vec![provider_config("corp", &oidc)];
    let first = TestApp::spawn_with(backend, |c| {
        c.oauth_providers = providers.clone();
        c.cookie_secret = Some(secret.into());
        c.jwt_secret = Some(jwt.into());
    })
    .await;
    let (url, schema) = (
        first.config.database_url.clone(),
        first.config.database_schema.clone(),
    );
    let second = TestApp::spawn_with(backend, |c| {
        c.oauth_providers = providers.clone();
        c.cookie_secret = Some(secret.into());
        c.jwt_secret = Some(jwt.into());
        c.database_url = url;
        c.database_schema = schema;
    })
    .await;
    let pending = until_callback(&first, "corp", "/").await;
    let on_second = pending.url.replace(&first.base, &second.base);
    let landed = land(callback(&on_second, Some(&pending.flow_cookie)).await).await;
    assert_eq!(landed.location, "/");
    let access = landed.access.expect("signed in on the second node");
    assert_eq!(
        me(&first, &access).await["id"],
        me(&second, &access).await["id"]
    );
}

both_backends!(
    first_sign_in_makes_an_account_and_the_next_returns_to_it,
    every_bad_callback_is_refused_without_a_session,
    a_return_path_must_be_on_this_site,
    a_provider_that_is_down_fails_only_its_own_sign_ins,
    an_email_like_a_local_accounts_makes_a_separate_account,
    presets_handle_what_each_provider_really_does,
    linking_and_unlinking,
    a_password_less_account_keeps_a_way_in,
    a_password_less_account_is_deleted_after_a_fresh_provider_sign_in,
    a_flow_started_on_one_node_finishes_on_another,
);
