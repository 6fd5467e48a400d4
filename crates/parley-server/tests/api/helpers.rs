//! The test harness shared by every API test: a real Parley server on a
//! random port with a fresh database (SQLite in a temporary folder, or a new
//! schema on the PostgreSQL server named by `PARLEY_TEST_POSTGRES_URL`),
//! HTTP clients that behave like a native app or a browser, and typed helpers
//! for the requests most tests need (sign-up, sign-in, authenticated calls).
//!
//! Every test is written once as `async fn name(backend: Backend)` and listed
//! in [`both_backends!`], which runs it on SQLite and on PostgreSQL.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use parley_server::ratelimit::Limit;
use parley_server::state::AppState;
use parley_server::{Application, Config};
use reqwest::header::{HeaderMap, ORIGIN};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Runs each listed `async fn name(backend: Backend)` of the calling module as
/// two tests, `sqlite::name` and `postgres::name`.
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Postgres).await;
                }
            )+
        }
    };
}

/// Runs each listed test as [`both_backends!`] does, and a third time as
/// `redis::name`: PostgreSQL plus Redis, the configuration of many nodes
/// (Socket.IO over the Redis adapter, shared rate limits, presence, typing).
macro_rules! every_deployment {
    ($($name:ident),+ $(,)?) => {
        both_backends!($($name),+);
        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::PostgresRedis).await;
                }
            )+
        }
    };
}

/// Which database (and whether Redis) the server under test uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    /// PostgreSQL and Redis, as a node among many runs.
    PostgresRedis,
}

impl Backend {
    /// The name `/readyz` reports for this backend.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres | Self::PostgresRedis => "postgres",
        }
    }
}

const POSTGRES_URL_VAR: &str = "PARLEY_TEST_POSTGRES_URL";
/// Set to keep a failed test's PostgreSQL schema for inspection (dropped otherwise).
const KEEP_SCHEMA_VAR: &str = "PARLEY_TEST_KEEP_SCHEMA";

const REDIS_URL_VAR: &str = "PARLEY_TEST_REDIS_URL";

/// The Redis server the tests use; unset is a loud failure, as for PostgreSQL.
pub fn redis_url() -> String {
    match std::env::var(REDIS_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "{REDIS_URL_VAR} is not set: the API tests run the many-node configuration on Redis \
             too. Run `make test`, or export {REDIS_URL_VAR}=redis://127.0.0.1:6379."
        ),
    }
}

/// The PostgreSQL server the tests use. Unset is a loud failure, in CI and
/// locally alike: a silently skipped half of the suite proves nothing.
pub fn postgres_url() -> String {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
            if ci {
                panic!(
                    "{POSTGRES_URL_VAR} is not set and CI=true: the PostgreSQL half of the API \
                     tests must run in CI, never be skipped. Point {POSTGRES_URL_VAR} at a \
                     PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/parley_test) \
                     or run `make test`."
                );
            }
            panic!(
                "{POSTGRES_URL_VAR} is not set: the API tests run on SQLite AND PostgreSQL. Run \
                 `make test` (it creates the test database and sets the variable), or create a \
                 database and export {POSTGRES_URL_VAR}=postgres://postgres@127.0.0.1:5432/parley_test \
                 before `cargo test -p parley-server --test api`."
            );
        }
    }
}

/// The public URL (and only allowed browser origin) of every test server.
pub const PUBLIC_ORIGIN: &str = "http://parley.test";
/// An origin the server must refuse.
pub const EVIL_ORIGIN: &str = "https://evil.example";
/// The password every helper-made account has. Not on the common list and
/// containing no test username.
pub const PASSWORD: &str = "Quiet-Lantern-4821";
/// A second valid password (for password changes).
pub const OTHER_PASSWORD: &str = "Amber-Orchard-7390";

/// A window long enough that no test ever sees a fixed window roll over
/// (windows are aligned to multiples of their length since the Unix epoch).
pub const LONG_WINDOW: Duration = Duration::from_secs(365 * 24 * 3600);

/// `count` per [`LONG_WINDOW`].
pub fn limit(count: u32) -> Limit {
    Limit {
        count,
        window: LONG_WINDOW,
    }
}

/// The email helper-made accounts get.
pub fn email_for(username: &str) -> String {
    format!("{username}@example.com")
}

/// A running Parley server with its own database.
pub struct TestApp {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub backend: Backend,
    /// The server's shared state (store, config, ...).
    pub state: AppState,
    /// The configuration it was built with (a restart reuses it).
    pub config: Config,
    /// The data folder; removed when the app is dropped.
    pub data_dir: TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<Result<(), String>>>,
    pg_schema: Option<String>,
    client: Client,
}

/// A new or refreshed session as the API returned it.
#[derive(Debug, Clone)]
pub struct Session {
    /// The `Me` object.
    pub user: Value,
    pub access_token: String,
    pub expires_in: u64,
    pub csrf_token: String,
    /// Present for native clients only.
    pub refresh_token: Option<String>,
}

impl Session {
    /// Reads a `Session` body, checking its shape.
    pub fn from_json(body: &Value) -> Self {
        let text = |key: &str| {
            body[key]
                .as_str()
                .unwrap_or_else(|| panic!("Session.{key} must be a string: {body}"))
                .to_owned()
        };
        assert!(body["user"].is_object(), "Session.user: {body}");
        assert!(
            body["user"]["email"].is_string(),
            "Session.user is a Me, with email: {body}"
        );
        let refresh_token = match &body["refresh_token"] {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => panic!("refresh_token must be a string: {other}"),
        };
        Self {
            user: body["user"].clone(),
            access_token: text("access_token"),
            expires_in: body["expires_in"]
                .as_u64()
                .unwrap_or_else(|| panic!("Session.expires_in must be a number: {body}")),
            csrf_token: text("csrf_token"),
            refresh_token,
        }
    }

    pub fn username(&self) -> &str {
        self.user["username"].as_str().expect("user.username")
    }

    pub fn user_id(&self) -> &str {
        self.user["id"].as_str().expect("user.id")
    }

    /// The refresh token of a native session.
    pub fn refresh(&self) -> &str {
        self.refresh_token
            .as_deref()
            .expect("a native session carries its refresh token")
    }

    /// The claims of the access token (not verified; for forging tokens).
    pub fn claims(&self) -> Value {
        jwt_claims(&self.access_token)
    }
}

/// A browser: a cookie-keeping client plus the session its sign-up/sign-in gave.
pub struct BrowserSession {
    pub client: Client,
    pub session: Session,
    /// The `Set-Cookie` headers of the response that created the session.
    pub set_cookies: Vec<SetCookie>,
}

impl BrowserSession {
    /// The refresh token the server put in the `parley_refresh` cookie.
    pub fn refresh_cookie(&self) -> String {
        cookie_named(&self.set_cookies, "parley_refresh")
            .value
            .clone()
    }
}

/// One parsed `Set-Cookie` header.
#[derive(Debug, Clone)]
pub struct SetCookie {
    pub name: String,
    pub value: String,
    /// The raw header, for messages.
    pub raw: String,
    /// Attributes with lower-cased names (`httponly`, `samesite`, `path`, ...);
    /// flag attributes have an empty value.
    pub attrs: Vec<(String, String)>,
}

impl SetCookie {
    pub fn parse(raw: &str) -> Self {
        let mut parts = raw.split(';').map(str::trim);
        let (name, value) = parts
            .next()
            .and_then(|nv| nv.split_once('='))
            .unwrap_or_else(|| panic!("malformed Set-Cookie {raw:?}"));
        let attrs = parts
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_owned()),
                None => (p.to_ascii_lowercase(), String::new()),
            })
            .collect();
        Self {
            name: name.trim().to_owned(),
            value: value.trim().to_owned(),
            raw: raw.to_owned(),
            attrs,
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.attr(name).is_some()
    }

    /// `Max-Age` in seconds, if set.
    pub fn max_age(&self) -> Option<i64> {
        self.attr("max-age").map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("Max-Age is a number: {}", self.raw))
        })
    }
}

/// Every `Set-Cookie` of a response, parsed.
pub fn set_cookies(headers: &HeaderMap) -> Vec<SetCookie> {
    headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| SetCookie::parse(v.to_str().expect("Set-Cookie is ASCII")))
        .collect()
}

/// The one `Set-Cookie` named `name`.
pub fn cookie_named<'a>(cookies: &'a [SetCookie], name: &str) -> &'a SetCookie {
    let found: Vec<_> = cookies.iter().filter(|c| c.name == name).collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one Set-Cookie {name}, got {cookies:#?}"
    );
    found[0]
}

/// The claims part of a JWT, decoded without verification.
pub fn jwt_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .expect("JWT payload is base64url");
    serde_json::from_slice(&bytes).expect("JWT payload is JSON")
}

/// Unix seconds now.
pub fn unix_now() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs(),
    )
    .expect("fits i64")
}

/// A client like a native app: no cookies, no `Origin`.
pub fn native_client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("build the native HTTP client")
}

/// A client like a browser on the web client: keeps cookies and sends the
/// allowed `Origin` on every request (browsers send it on unsafe requests).
pub fn browser_client() -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(
        ORIGIN,
        PUBLIC_ORIGIN.parse().expect("origin is a header value"),
    );
    Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("build the browser HTTP client")
}

/// The JSON body of a response (panics with the status and text if it is not JSON).
pub async fn body_json(response: Response) -> Value {
    let status = response.status();
    let text = response.text().await.expect("read the response body");
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("expected a JSON body (status {status}), got {text:?}: {e}"))
}

/// Asserts the status and docs/api.md's error shape with `code`; returns the whole body.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) -> Value {
    let actual = response.status();
    let url = response.url().clone();
    let body = body_json(response).await;
    assert_eq!(actual, status, "{url}: unexpected status; body {body}");
    assert_error_shape(&body);
    assert_eq!(
        body["error"]["code"], code,
        "{url}: unexpected error code in {body}"
    );
    body
}

/// `{"error": {"code": "snake_case", "message": "...", "fields"?: {..}}}`.
pub fn assert_error_shape(body: &Value) {
    let error = body["error"]
        .as_object()
        .unwrap_or_else(|| panic!("error body must be {{\"error\": {{..}}}}: {body}"));
    let code = error["code"]
        .as_str()
        .unwrap_or_else(|| panic!("error.code must be a string: {body}"));
    assert!(
        !code.is_empty()
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
        "error.code must be snake_case: {body}"
    );
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "error.message must be a non-empty string: {body}"
    );
    if let Some(fields) = error.get("fields") {
        assert!(fields.is_object(), "error.fields must be an object: {body}");
    }
}

/// Asserts a 422 `validation_failed` naming `field`; returns `error.fields`.
pub async fn assert_invalid(response: Response, field: &str) -> Value {
    let body = assert_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields = body["error"]["fields"].clone();
    assert!(
        fields[field].as_str().is_some_and(|why| !why.is_empty()),
        "expected a reason for field {field:?} in {body}"
    );
    fields
}

/// Asserts the status; returns the JSON body.
pub async fn expect_json(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let url = response.url().clone();
    let body = body_json(response).await;
    assert_eq!(actual, status, "{url}: unexpected status; body {body}");
    body
}

/// Asserts the status of a response whose body does not matter (e.g. 204).
pub async fn expect_status(response: Response, status: StatusCode) {
    let actual = response.status();
    let url = response.url().clone();
    let text = response.text().await.unwrap_or_default();
    assert_eq!(actual, status, "{url}: unexpected status; body {text:?}");
}

/// Limits high enough that no test trips one by accident; rate-limit tests
/// set their own.
fn generous_limits(config: &mut Config) {
    config.rate_limits.global = limit(100_000);
    config.rate_limits.signin = limit(10_000);
    config.rate_limits.signup = limit(10_000);
}

impl TestApp {
    /// A server with the test configuration (generous rate limits).
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// A server whose test configuration `configure` may change first.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> Self {
        let data_dir = tempfile::Builder::new()
            .prefix("parley-api-")
            .tempdir()
            .expect("create a temporary data folder");
        let mut config = Config::for_tests(data_dir.path());
        generous_limits(&mut config);
        let pg_schema = match backend {
            Backend::Sqlite => None,
            Backend::Postgres | Backend::PostgresRedis => {
                let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
                config.database_url = postgres_url();
                config.database_schema = Some(schema.clone());
                Some(schema)
            }
        };
        if backend == Backend::PostgresRedis {
            // A prefix of its own: tests share one Redis but not their keys.
            config.redis_url = Some(redis_url());
            config.redis_prefix = format!("parley-test-{}", uuid::Uuid::now_v7().simple());
        }
        configure(&mut config);
        let (addr, state, shutdown, handle) = start(config.clone()).await;
        Self {
            base: format!("http://{addr}"),
            addr,
            backend,
            state,
            config,
            data_dir,
            shutdown: Some(shutdown),
            handle: Some(handle),
            pg_schema,
            client: native_client(),
        }
    }

    /// Stops the server gracefully (in-flight requests finish, the database is
    /// closed) and starts it again on the same data (SQLite file or schema).
    /// It listens on a new port afterwards.
    pub async fn restart(&mut self) {
        self.stop().await;
        let (addr, state, shutdown, handle) = start(self.config.clone()).await;
        self.addr = addr;
        self.base = format!("http://{addr}");
        self.state = state;
        self.shutdown = Some(shutdown);
        self.handle = Some(handle);
    }

    /// Graceful shutdown; waits until the server has stopped.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle
                .await
                .expect("the server task did not panic")
                .expect("the server stopped cleanly");
        }
    }

    /// The data folder (keys live in `keys/`).
    pub fn data_path(&self) -> PathBuf {
        self.data_dir.path().to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The shared native client (no cookies, no Origin).
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn native_client(&self) -> Client {
        native_client()
    }

    pub fn browser_client(&self) -> Client {
        browser_client()
    }

    /// `GET path` with no credentials.
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET request")
    }

    /// `POST path` with a JSON body and no credentials.
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST request")
    }

    /// Any request with `Authorization: Bearer token` and an optional JSON body.
    pub async fn bearer(
        &self,
        method: Method,
        token: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("bearer request")
    }

    pub async fn bearer_get(&self, token: &str, path: &str) -> Response {
        self.bearer(Method::GET, token, path, None).await
    }

    pub async fn bearer_post(&self, token: &str, path: &str, body: &Value) -> Response {
        self.bearer(Method::POST, token, path, Some(body)).await
    }

    pub async fn bearer_put(&self, token: &str, path: &str, body: &Value) -> Response {
        self.bearer(Method::PUT, token, path, Some(body)).await
    }

    pub async fn bearer_patch(&self, token: &str, path: &str, body: &Value) -> Response {
        self.bearer(Method::PATCH, token, path, Some(body)).await
    }

    pub async fn bearer_delete(&self, token: &str, path: &str, body: Option<&Value>) -> Response {
        self.bearer(Method::DELETE, token, path, body).await
    }

    /// `POST /api/v1/auth/signup` with `body` (native client).
    pub async fn signup_raw(&self, body: &Value) -> Response {
        self.post_json("/api/v1/auth/signup", body).await
    }

    /// Signs `username` up as a native client (email `username@example.com`,
    /// password [`PASSWORD`]); asserts 201.
    pub async fn signup(&self, username: &str) -> Session {
        let response = self
            .signup_raw(&json!({
                "username": username,
                "email": email_for(username),
                "password": PASSWORD,
                "client": "native",
            }))
            .await;
        Session::from_json(&expect_json(response, StatusCode::CREATED).await)
    }

    /// Signs `username` up from a browser; asserts 201. The client keeps the cookies.
    pub async fn signup_browser(&self, username: &str) -> BrowserSession {
        let client = browser_client();
        let response = client
            .post(self.url("/api/v1/auth/signup"))
            .json(&json!({
                "username": username,
                "email": email_for(username),
                "password": PASSWORD,
            }))
            .send()
            .await
            .expect("sign-up request");
        let set_cookies = set_cookies(response.headers());
        let session = Session::from_json(&expect_json(response, StatusCode::CREATED).await);
        BrowserSession {
            client,
            session,
            set_cookies,
        }
    }

    /// `POST /api/v1/auth/signin` with `body` (native client).
    pub async fn signin_raw(&self, body: &Value) -> Response {
        self.post_json("/api/v1/auth/signin", body).await
    }

    /// Signs in as a native client; asserts 200.
    pub async fn signin(&self, login: &str, password: &str) -> Session {
        let response = self
            .signin_raw(&json!({"login": login, "password": password, "client": "native"}))
            .await;
        Session::from_json(&expect_json(response, StatusCode::OK).await)
    }

    /// Signs in from a browser (optionally with "remember me"); asserts 200.
    pub async fn signin_browser(
        &self,
        login: &str,
        password: &str,
        remember: bool,
    ) -> BrowserSession {
        let client = browser_client();
        let response = client
            .post(self.url("/api/v1/auth/signin"))
            .json(&json!({"login": login, "password": password, "remember": remember}))
            .send()
            .await
            .expect("sign-in request");
        let set_cookies = set_cookies(response.headers());
        let session = Session::from_json(&expect_json(response, StatusCode::OK).await);
        BrowserSession {
            client,
            session,
            set_cookies,
        }
    }

    /// `POST /api/v1/auth/refresh` with `{"refresh_token": token}`.
    pub async fn refresh_native(&self, token: &str) -> Response {
        self.post_json("/api/v1/auth/refresh", &json!({"refresh_token": token}))
            .await
    }

    /// `GET /api/v1/auth/session` with a bearer token.
    pub async fn session_of(&self, access_token: &str) -> Response {
        self.bearer_get(access_token, "/api/v1/auth/session").await
    }

    /// Asserts the access token is accepted.
    pub async fn assert_token_works(&self, access_token: &str) {
        expect_json(self.session_of(access_token).await, StatusCode::OK).await;
    }

    /// Asserts the access token is refused with 401.
    pub async fn assert_token_refused(&self, access_token: &str) {
        let response = self.session_of(access_token).await;
        let body = expect_json(response, StatusCode::UNAUTHORIZED).await;
        assert_error_shape(&body);
    }

    /// `GET /api/v1/users/{username}` without credentials.
    pub async fn get_user(&self, username: &str) -> Response {
        self.get(&format!("/api/v1/users/{username}")).await
    }

    /// Asserts that no account `username` exists.
    pub async fn assert_no_user(&self, username: &str) {
        assert_error(
            self.get_user(username).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }

    /// The public profile of `username` (asserts 200).
    pub async fn user(&self, username: &str) -> Value {
        expect_json(self.get_user(username).await, StatusCode::OK).await
    }

    /// Asserts that signing in with these credentials gives 401 `invalid_credentials`.
    pub async fn assert_signin_fails(&self, login: &str, password: &str) {
        let response = self
            .signin_raw(&json!({"login": login, "password": password, "client": "native"}))
            .await;
        assert_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }

    /// The server's JWT signing key (`DATA_DIR/keys/jwt.key`).
    pub fn jwt_key(&self) -> Vec<u8> {
        std::fs::read(self.data_dir.path().join("keys/jwt.key")).expect("read keys/jwt.key")
    }

    /// A token with `claims`, signed HS256 with the server's real key.
    pub fn sign_token(&self, claims: &Value) -> String {
        sign_hs256(claims, &self.jwt_key())
    }
}

/// A JWT with `claims`, signed HS256 with `key`.
pub fn sign_hs256(claims: &Value, key: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .expect("sign a JWT")
}

async fn start(
    config: Config,
) -> (
    SocketAddr,
    AppState,
    oneshot::Sender<()>,
    JoinHandle<Result<(), String>>,
) {
    let app = Application::build(config)
        .await
        .unwrap_or_else(|e| panic!("build the application: {e:#}"));
    let addr = app.local_addr();
    let state = app.state().clone();
    let (tx, rx) = oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        app.run(async {
            let _ = rx.await;
        })
        .await
        .map_err(|e| format!("{e:#}"))
    });
    (addr, state, tx, handle)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Dropping the sender starts a graceful shutdown of the server task.
        self.shutdown.take();
        let Some(schema) = self.pg_schema.take() else {
            return; // the TempDir removes the SQLite files
        };
        if std::thread::panicking() && std::env::var_os(KEEP_SCHEMA_VAR).is_some() {
            eprintln!("api test failed; keeping PostgreSQL schema {schema} for inspection");
            return;
        }
        let url = self.config.database_url.clone();
        // Drop cannot await, so the schema is dropped from a thread with a
        // runtime of its own; the server's pool may still hold connections in
        // it, so any backend holding locks there is ended first. Best effort:
        // a leftover schema is harmless (`make test` recreates the database).
        let cleanup = std::thread::spawn(move || -> Result<(), String> {
            use sqlx::{Connection, Executor};
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&url).await?;
                conn.execute("SET lock_timeout = '10s'").await?;
                sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM (SELECT DISTINCT l.pid FROM pg_locks l \
                     JOIN pg_class c ON c.oid = l.relation \
                     JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname = $1 AND l.pid <> pg_backend_pid()) AS holders",
                )
                .bind(&schema)
                .execute(&mut conn)
                .await?;
                conn.execute(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE"
                )))
                .await?;
                conn.close().await
            })
            .map_err(|e: sqlx::Error| e.to_string())
        });
        match cleanup.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("api test: could not drop test schema: {e}"),
            Err(_) => eprintln!("api test: the schema cleanup thread panicked"),
        }
    }
}
