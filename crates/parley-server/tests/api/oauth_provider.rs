//! A fake OAuth 2 / OpenID Connect provider, served inside the test process,
//! for the "sign in with Kakao, Naver, Google, GitHub or any OIDC provider"
//! tests.
//!
//! [`FakeProvider::start`] binds `127.0.0.1:0` and serves the authorization
//! code flow with PKCE the way the real providers do, quirks included, so the
//! tests exercise Parley's client against what it will meet in production:
//!
//! - `GET /.well-known/openid-configuration` and `GET /jwks` (OIDC discovery);
//! - `GET /authorize`, which "consents" at once as the user of
//!   [`FakeProvider::set_user`] and redirects back with a single-use code;
//! - `POST /token`, which checks the client credentials (HTTP Basic or form),
//!   the code, the redirect URI and the PKCE verifier, and for the Oidc and
//!   Google flavors returns an RS256 ID token signed with a committed test key;
//! - `GET /userinfo` (and GitHub's `GET /userinfo/emails`) in each flavor's
//!   shape.
//!
//! Tests steer it between requests: [`FakeProvider::deny_next`] (the user says
//! no), [`FakeProvider::tamper`] (the next ID token is spoiled in one way),
//! [`FakeProvider::redirect_token_endpoint`] (the token endpoint redirects, to
//! check the client does not follow), and they can inspect what the client
//! sent ([`FakeProvider::last_authorize_query`], [`FakeProvider::last_token_form`]).
//!
//! The server task is aborted when the [`FakeProvider`] is dropped.

use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::task::JoinHandle;

/// A TEST-ONLY RSA key (PKCS#1, made with `openssl genrsa -traditional 2048`).
/// It signs the fake provider's ID tokens and nothing else: it is public in
/// the repository, so it must never be trusted outside these tests.
const TEST_KEY_PEM: &str = include_str!("fixtures/oauth/rsa_test_key.pem");
/// The public half of [`TEST_KEY_PEM`] as a JWK (n and e, base64url).
const TEST_JWK: &str = include_str!("fixtures/oauth/rsa_test_jwk.json");
/// The `kid` of [`TEST_JWK`], named in every ID token's header.
pub const KEY_ID: &str = "test-key-1";

/// How long a code may wait before it is exchanged (RFC 6749 §4.1.2 advises
/// at most ten minutes).
const CODE_LIFETIME: Duration = Duration::from_secs(600);
/// What `expires_in` says of an access token.
const ACCESS_TOKEN_LIFETIME: u64 = 3600;
/// How long an ID token is valid.
const ID_TOKEN_LIFETIME: u64 = 300;

/// Characters left as they are in query values: RFC 3986 "unreserved".
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Which provider the fake plays; they differ where the real ones do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// A standard OpenID Connect provider (discovery, ID token, userinfo).
    Oidc,
    /// Google: OIDC with `token_type: "Bearer"` capitalised.
    Google,
    /// Kakao: OAuth 2, numeric user ids, the user under `kakao_account`.
    Kakao,
    /// Naver: `expires_in` as a string, errors as HTTP 200, the user under `response`.
    Naver,
    /// GitHub: form-encoded tokens unless asked for JSON, errors as HTTP 200,
    /// a `User-Agent` required, e-mail addresses at `/userinfo/emails`.
    GitHub,
}

impl Flavor {
    /// Whether the token response carries an ID token.
    fn issues_id_token(self) -> bool {
        matches!(self, Flavor::Oidc | Flavor::Google)
    }

    /// Whether the user's id is a number on the wire.
    fn numeric_ids(self) -> bool {
        matches!(self, Flavor::Kakao | Flavor::GitHub)
    }
}

/// The user who "consents" at `/authorize`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeUser {
    /// The provider's id of the user (`sub`); a number for Kakao and GitHub.
    pub subject: String,
    pub name: String,
    pub email: Option<String>,
    pub email_verified: bool,
}

impl FakeUser {
    /// A user with a verified e-mail address.
    pub fn new(subject: &str, name: &str, email: &str) -> Self {
        FakeUser {
            subject: subject.to_owned(),
            name: name.to_owned(),
            email: Some(email.to_owned()),
            email_verified: true,
        }
    }

    /// The same user without any e-mail address.
    pub fn without_email(mut self) -> Self {
        self.email = None;
        self.email_verified = false;
        self
    }

    /// The same user with an e-mail address the provider has not verified.
    pub fn unverified(mut self) -> Self {
        self.email_verified = false;
        self
    }

    /// A login name made from the display name, like GitHub's.
    fn login(&self) -> String {
        self.name
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }
}

impl Default for FakeUser {
    /// A numeric subject, so the default works for every flavor.
    fn default() -> Self {
        FakeUser::new("1001", "Test User", "test.user@example.com")
    }
}

/// How the next ID token is spoiled (then it resets to [`Tamper::None`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tamper {
    #[default]
    None,
    /// A nonce other than the one sent to `/authorize`.
    WrongNonce,
    /// `aud` is `someone-else`.
    WrongAudience,
    /// `iss` is `http://evil.example`.
    WrongIssuer,
    /// Issued 15 minutes ago, expired 10 minutes ago.
    Expired,
    /// One character of the signature changed.
    BadSignature,
}

/// How the client authenticated at `/token`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic` (`client_secret_basic`).
    Basic,
    /// `client_id` and `client_secret` in the form (`client_secret_post`).
    Post,
    /// Neither.
    None,
}

/// A fake OAuth 2 / OIDC provider on `127.0.0.1:<random port>`.
pub struct FakeProvider {
    url: String,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeProvider {
    /// Starts a provider that knows one client, `client_id` with `client_secret`.
    pub async fn start(flavor: Flavor, client_id: &str, client_secret: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake OAuth provider");
        let port = listener
            .local_addr()
            .expect("the fake provider's address")
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let shared = Arc::new(Shared {
            flavor,
            url: url.clone(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            key: test_encoding_key(),
            jwk: serde_json::from_str(TEST_JWK).expect("the test JWK is JSON"),
            state: Mutex::new(Mutable::default()),
        });
        let app = router(shared.clone());
        let task = tokio::spawn(async move {
            // Ends only when the task is aborted; a failure would show as
            // refused connections in the test that uses it.
            let _ = axum::serve(listener, app).await;
        });
        FakeProvider { url, shared, task }
    }

    /// `http://127.0.0.1:PORT`, also the OIDC issuer.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The issuer the ID tokens name (the same as [`FakeProvider::url`]).
    pub fn issuer(&self) -> String {
        self.url()
    }

    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.url)
    }

    pub fn auth_url(&self) -> String {
        format!("{}/authorize", self.url)
    }

    pub fn token_url(&self) -> String {
        format!("{}/token", self.url)
    }

    pub fn userinfo_url(&self) -> String {
        format!("{}/userinfo", self.url)
    }

    /// GitHub's list of the user's e-mail addresses.
    pub fn emails_url(&self) -> String {
        format!("{}/userinfo/emails", self.url)
    }

    pub fn jwks_url(&self) -> String {
        format!("{}/jwks", self.url)
    }

    pub fn flavor(&self) -> Flavor {
        self.shared.flavor
    }

    /// The public test key as a JWK (what `/jwks` lists).
    pub fn jwk(&self) -> Value {
        self.shared.jwk.clone()
    }

    /// Who "consents" at the next `/authorize`. Kakao and GitHub ids are
    /// numbers, so their subjects must be too.
    pub fn set_user(&self, user: FakeUser) {
        assert!(
            !self.shared.flavor.numeric_ids() || user.subject.parse::<u64>().is_ok(),
            "{:?} user ids are numbers; {:?} is not",
            self.shared.flavor,
            user.subject
        );
        self.shared.lock().user = user;
    }

    /// The next `/authorize` redirects back with `error=access_denied`.
    pub fn deny_next(&self) {
        self.shared.lock().deny_next = true;
    }

    /// Spoils the next ID token issued.
    pub fn tamper(&self, t: Tamper) {
        self.shared.lock().tamper = t;
    }

    /// From now on `/token` answers `307 Location: to`.
    pub fn redirect_token_endpoint(&self, to: &str) {
        self.shared.lock().token_redirect = Some(to.to_owned());
    }

    /// How many `/token` calls were made (redirected ones included).
    pub fn token_requests(&self) -> usize {
        self.shared.lock().token_requests
    }

    /// How many `/userinfo` (and `/userinfo/emails`) calls were made.
    pub fn userinfo_requests(&self) -> usize {
        self.shared.lock().userinfo_requests
    }

    /// The query of the last `/authorize` call.
    pub fn last_authorize_query(&self) -> Option<HashMap<String, String>> {
        self.shared.lock().last_authorize_query.clone()
    }

    /// The form of the last `/token` call (secrets included, as sent).
    pub fn last_token_form(&self) -> Option<HashMap<String, String>> {
        self.shared.lock().last_token_form.clone()
    }

    /// How the client authenticated at the last `/token` call.
    pub fn last_client_auth(&self) -> Option<ClientAuth> {
        self.shared.lock().last_client_auth
    }
}

/// What every handler sees.
struct Shared {
    flavor: Flavor,
    url: String,
    client_id: String,
    client_secret: String,
    key: EncodingKey,
    jwk: Value,
    state: Mutex<Mutable>,
}

impl Shared {
    /// The mutable state; a panicking handler cannot leave it half-changed in
    /// a way that matters to a test, so a poisoned lock is used as it is.
    fn lock(&self) -> MutexGuard<'_, Mutable> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Default)]
struct Mutable {
    user: FakeUser,
    deny_next: bool,
    tamper: Tamper,
    token_redirect: Option<String>,
    token_requests: usize,
    userinfo_requests: usize,
    last_authorize_query: Option<HashMap<String, String>>,
    last_token_form: Option<HashMap<String, String>>,
    last_client_auth: Option<ClientAuth>,
    /// Codes not yet exchanged; exchanging one removes it (single use).
    codes: HashMap<String, Grant>,
    access_tokens: HashMap<String, FakeUser>,
}

/// What a code was issued for.
struct Grant {
    redirect_uri: String,
    code_challenge: String,
    nonce: Option<String>,
    scope: String,
    user: FakeUser,
    issued: Instant,
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .route("/userinfo", get(userinfo))
        .route("/userinfo/emails", get(emails))
        .with_state(shared)
}

/// The committed test key as jsonwebtoken wants it: without the `use_pem`
/// feature (off in this workspace) it takes PKCS#1 DER, so the PEM armour
/// is taken off here.
fn test_encoding_key() -> EncodingKey {
    let body: String = TEST_KEY_PEM
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = STANDARD.decode(body).expect("the test key PEM is base64");
    EncodingKey::from_rsa_der(&der)
}

fn random_string(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `name=value&...` with the values percent-encoded.
fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, QUERY_VALUE)))
        .collect();
    encoded.join("&")
}

/// `base` with `params` appended to its query (which it may already have).
fn with_query(base: &str, params: &[(&str, &str)]) -> String {
    let separator = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    format!("{base}{separator}{}", encode_pairs(params))
}

fn redirect(status: StatusCode, location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (status, [(header::LOCATION, value)]).into_response(),
        Err(_) => (
            StatusCode::BAD_REQUEST,
            "redirect target is not a valid header value",
        )
            .into_response(),
    }
}

async fn discovery(State(shared): State<Arc<Shared>>) -> Response {
    let url = &shared.url;
    axum::Json(json!({
        "issuer": url,
        "authorization_endpoint": format!("{url}/authorize"),
        "token_endpoint": format!("{url}/token"),
        "userinfo_endpoint": format!("{url}/userinfo"),
        "jwks_uri": format!("{url}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": [
            "iss", "sub", "aud", "exp", "iat", "nonce",
            "email", "email_verified", "name", "preferred_username"
        ],
    }))
    .into_response()
}

async fn jwks(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(json!({ "keys": [shared.jwk] })).into_response()
}

/// Consents at once as the current user, or refuses as asked.
async fn authorize(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut state = shared.lock();
    state.last_authorize_query = Some(query.clone());
    let param = |name: &str| query.get(name).map(String::as_str);
    // Without a redirect URI there is nowhere to send an error.
    let Some(redirect_uri) = param("redirect_uri").filter(|uri| !uri.is_empty()) else {
        return (StatusCode::BAD_REQUEST, "redirect_uri is missing").into_response();
    };
    let state_param = param("state");
    let back = |pairs: &[(&str, &str)]| {
        let mut pairs = pairs.to_vec();
        if let Some(s) = state_param {
            pairs.push(("state", s));
        }
        redirect(StatusCode::FOUND, &with_query(redirect_uri, &pairs))
    };
    let problem = if param("client_id") != Some(shared.client_id.as_str()) {
        Some("unknown client_id")
    } else if param("response_type") != Some("code") {
        Some("response_type must be code")
    } else if param("code_challenge_method") != Some("S256") {
        Some("code_challenge_method must be S256")
    } else if param("code_challenge").is_none_or(str::is_empty) {
        Some("code_challenge is missing")
    } else {
        None
    };
    if let Some(description) = problem {
        return back(&[
            ("error", "invalid_request"),
            ("error_description", description),
        ]);
    }
    if std::mem::take(&mut state.deny_next) {
        return back(&[("error", "access_denied")]);
    }
    let code = random_string(32);
    let grant = Grant {
        redirect_uri: redirect_uri.to_owned(),
        code_challenge: param("code_challenge").unwrap_or_default().to_owned(),
        nonce: param("nonce").map(str::to_owned),
        scope: param("scope").unwrap_or_default().to_owned(),
        user: state.user.clone(),
        issued: Instant::now(),
    };
    state.codes.insert(code.clone(), grant);
    back(&[("code", code.as_str())])
}

/// Why a token request was refused.
#[derive(Clone, Copy, Debug)]
enum TokenError {
    InvalidRequest(&'static str),
    InvalidClient,
    InvalidGrant(&'static str),
    UnsupportedGrantType,
}

impl TokenError {
    fn code(self) -> &'static str {
        match self {
            TokenError::InvalidRequest(_) => "invalid_request",
            TokenError::InvalidClient => "invalid_client",
            TokenError::InvalidGrant(_) => "invalid_grant",
            TokenError::UnsupportedGrantType => "unsupported_grant_type",
        }
    }

    fn description(self) -> &'static str {
        match self {
            TokenError::InvalidRequest(why) | TokenError::InvalidGrant(why) => why,
            TokenError::InvalidClient => "client authentication failed",
            TokenError::UnsupportedGrantType => "grant_type must be authorization_code",
        }
    }

    /// The error as the flavor answers it.
    fn respond(self, flavor: Flavor, wants_json: bool) -> Response {
        match flavor {
            Flavor::Oidc | Flavor::Google | Flavor::Kakao => {
                let body = json!({ "error": self.code(), "error_description": self.description() });
                (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
            }
            // Naver says "invalid_request" whatever went wrong, with HTTP 200.
            Flavor::Naver => {
                let description = format!("{}: {}", self.code(), self.description());
                let body = json!({ "error": "invalid_request", "error_description": description });
                (StatusCode::OK, axum::Json(body)).into_response()
            }
            // GitHub answers HTTP 200 in the format asked for.
            Flavor::GitHub => {
                let code = match self {
                    TokenError::InvalidClient => "incorrect_client_credentials",
                    _ => "bad_verification_code",
                };
                let fields = [("error", code), ("error_description", self.description())];
                github_body(StatusCode::OK, &fields, wants_json)
            }
        }
    }
}

/// GitHub's token endpoint answers JSON only when asked with `Accept`.
fn github_body(status: StatusCode, fields: &[(&str, &str)], wants_json: bool) -> Response {
    if wants_json {
        let object: serde_json::Map<String, Value> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
            .collect();
        (status, axum::Json(Value::Object(object))).into_response()
    } else {
        let body = encode_pairs(fields);
        (
            status,
            [(header::CONTENT_TYPE, "application/x-www-form-urlencoded")],
            body,
        )
            .into_response()
    }
}

/// A form-urlencoded credential (RFC 6749 §2.3.1), decoded.
fn form_decode(value: &str) -> Option<String> {
    let spaced = value.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|v| v.into_owned())
}

/// The client credentials from `Authorization: Basic`, if that header is sent.
fn basic_credentials(headers: &HeaderMap) -> Option<Result<(String, String), TokenError>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let parsed = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            Some((form_decode(id)?, form_decode(secret)?))
        })
        .ok_or(TokenError::InvalidClient);
    Some(parsed)
}

/// Who the client says it is, and how it said it.
fn client_credentials(
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> (ClientAuth, Result<(String, String), TokenError>) {
    if let Some(basic) = basic_credentials(headers) {
        return (ClientAuth::Basic, basic);
    }
    match (form.get("client_id"), form.get("client_secret")) {
        (Some(id), Some(secret)) => (ClientAuth::Post, Ok((id.clone(), secret.clone()))),
        _ => (ClientAuth::None, Err(TokenError::InvalidClient)),
    }
}

fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let flavor = shared.flavor;
    let mut state = shared.lock();
    state.token_requests += 1;
    if let Some(to) = state.token_redirect.clone() {
        return redirect(StatusCode::TEMPORARY_REDIRECT, &to);
    }
    let Ok(Form(form)) = form else {
        state.last_token_form = None;
        state.last_client_auth = None;
        return TokenError::InvalidRequest("the body must be application/x-www-form-urlencoded")
            .respond(flavor, wants_json);
    };
    let (auth, credentials) = client_credentials(&headers, &form);
    state.last_token_form = Some(form.clone());
    state.last_client_auth = Some(auth);
    let issued = check_client(&shared, credentials)
        .and_then(|()| check_grant_type(flavor, &form))
        .and_then(|()| redeem_code(&mut state, &form));
    let grant = match issued {
        Ok(grant) => grant,
        Err(error) => return error.respond(flavor, wants_json),
    };
    let access_token = match flavor {
        Flavor::GitHub => format!("gho_{}", random_string(36)),
        _ => random_string(40),
    };
    state
        .access_tokens
        .insert(access_token.clone(), grant.user.clone());
    let tamper = std::mem::take(&mut state.tamper);
    drop(state);
    token_response(&shared, &grant, &access_token, tamper, wants_json)
}

fn check_client(
    shared: &Shared,
    credentials: Result<(String, String), TokenError>,
) -> Result<(), TokenError> {
    let (id, secret) = credentials?;
    if id == shared.client_id && secret == shared.client_secret {
        Ok(())
    } else {
        Err(TokenError::InvalidClient)
    }
}

fn check_grant_type(flavor: Flavor, form: &HashMap<String, String>) -> Result<(), TokenError> {
    match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => Ok(()),
        // GitHub does not ask for a grant type.
        None if flavor == Flavor::GitHub => Ok(()),
        None => Err(TokenError::InvalidRequest("grant_type is missing")),
        Some(_) => Err(TokenError::UnsupportedGrantType),
    }
}

/// Takes the code out of circulation (so a replay fails even when this use
/// does), then checks it was issued for this redirect URI and verifier.
fn redeem_code(state: &mut Mutable, form: &HashMap<String, String>) -> Result<Grant, TokenError> {
    let code = form
        .get("code")
        .ok_or(TokenError::InvalidRequest("code is missing"))?;
    let grant = state
        .codes
        .remove(code)
        .ok_or(TokenError::InvalidGrant("unknown or already used code"))?;
    if grant.issued.elapsed() > CODE_LIFETIME {
        return Err(TokenError::InvalidGrant("the code has expired"));
    }
    if form.get("redirect_uri") != Some(&grant.redirect_uri) {
        return Err(TokenError::InvalidGrant(
            "redirect_uri does not match the authorization request",
        ));
    }
    let verifier = form
        .get("code_verifier")
        .ok_or(TokenError::InvalidGrant("code_verifier is missing"))?;
    if pkce_challenge(verifier) != grant.code_challenge {
        return Err(TokenError::InvalidGrant(
            "code_verifier does not match code_challenge",
        ));
    }
    Ok(grant)
}

fn token_response(
    shared: &Shared,
    grant: &Grant,
    access_token: &str,
    tamper: Tamper,
    wants_json: bool,
) -> Response {
    let body = match shared.flavor {
        Flavor::GitHub => {
            // No expiry: GitHub OAuth app tokens do not expire.
            let fields = [
                ("access_token", access_token),
                ("token_type", "bearer"),
                ("scope", grant.scope.as_str()),
            ];
            return github_body(StatusCode::OK, &fields, wants_json);
        }
        Flavor::Naver => json!({
            "access_token": access_token,
            "refresh_token": random_string(40),
            "token_type": "bearer",
            // Naver really sends a string here.
            "expires_in": ACCESS_TOKEN_LIFETIME.to_string(),
        }),
        Flavor::Kakao => json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "refresh_token": random_string(40),
            "refresh_token_expires_in": 5_184_000,
            "scope": grant.scope,
        }),
        Flavor::Oidc | Flavor::Google => {
            let id_token = match id_token(shared, grant, tamper) {
                Ok(token) => token,
                Err(e) => {
                    return (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("signing the ID token: {e}"),
                    )
                        .into_response();
                }
            };
            json!({
                "access_token": access_token,
                // Google capitalises it; RFC 6749 §5.1 makes it case-insensitive.
                "token_type": if shared.flavor == Flavor::Google { "Bearer" } else { "bearer" },
                "expires_in": ACCESS_TOKEN_LIFETIME,
                "scope": grant.scope,
                "id_token": id_token,
            })
        }
    };
    debug_assert_eq!(
        shared.flavor.issues_id_token(),
        body.get("id_token").is_some()
    );
    axum::Json(body).into_response()
}

/// An RS256 ID token for the grant, spoiled as `tamper` says.
fn id_token(
    shared: &Shared,
    grant: &Grant,
    tamper: Tamper,
) -> jsonwebtoken::errors::Result<String> {
    let now = now_secs();
    let user = &grant.user;
    let mut claims = json!({
        "iss": if tamper == Tamper::WrongIssuer { "http://evil.example" } else { shared.url.as_str() },
        "sub": user.subject,
        "aud": if tamper == Tamper::WrongAudience { "someone-else" } else { shared.client_id.as_str() },
        "exp": if tamper == Tamper::Expired { now - 600 } else { now + ID_TOKEN_LIFETIME },
        "iat": if tamper == Tamper::Expired { now - 900 } else { now },
        "name": user.name,
        "preferred_username": user.login(),
    });
    let nonce = match tamper {
        Tamper::WrongNonce => Some(format!(
            "not-{}",
            grant.nonce.as_deref().unwrap_or("the-nonce")
        )),
        _ => grant.nonce.clone(),
    };
    if let Some(nonce) = nonce {
        claims["nonce"] = Value::from(nonce);
    }
    if let Some(email) = &user.email {
        claims["email"] = Value::from(email.as_str());
        claims["email_verified"] = Value::from(user.email_verified);
    }
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(KEY_ID.to_owned());
    let token = jsonwebtoken::encode(&header, &claims, &shared.key)?;
    Ok(if tamper == Tamper::BadSignature {
        spoil_signature(&token)
    } else {
        token
    })
}

/// Changes the signature's first character: its bits all count (the last
/// one's may be padding), so the signature no longer verifies.
fn spoil_signature(token: &str) -> String {
    let Some((signed, signature)) = token.rsplit_once('.') else {
        return token.to_owned();
    };
    let mut chars = signature.chars();
    let first = chars.next().map(|c| if c == 'A' { 'B' } else { 'A' });
    format!(
        "{signed}.{}{}",
        first.map(String::from).unwrap_or_default(),
        chars.as_str()
    )
}

/// The user an `Authorization: Bearer` access token was issued for.
fn bearer_user(shared: &Shared, headers: &HeaderMap) -> Option<FakeUser> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    // GitHub also takes its older `token` scheme.
    let known = scheme.eq_ignore_ascii_case("bearer")
        || (shared.flavor == Flavor::GitHub && scheme == "token");
    if !known {
        return None;
    }
    shared.lock().access_tokens.get(token.trim()).cloned()
}

/// GitHub refuses API calls without a `User-Agent`.
fn github_without_user_agent(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let missing = shared.flavor == Flavor::GitHub && !headers.contains_key(header::USER_AGENT);
    missing.then(|| {
        let body = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header";
        (StatusCode::FORBIDDEN, body).into_response()
    })
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")],
        axum::Json(json!({ "error": "invalid_token" })),
    )
        .into_response()
}

/// A Kakao or GitHub id: a number on the wire. The error says what the test
/// got wrong ([`FakeProvider::set_user`] already refuses such subjects).
fn numeric_id(user: &FakeUser) -> Result<u64, String> {
    user.subject.parse().map_err(|_| {
        format!(
            "subject {:?} is not a number; use FakeUser::new with a numeric subject",
            user.subject
        )
    })
}

async fn userinfo(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    shared.lock().userinfo_requests += 1;
    if let Some(refusal) = github_without_user_agent(&shared, &headers) {
        return refusal;
    }
    let Some(user) = bearer_user(&shared, &headers) else {
        return unauthorized();
    };
    match userinfo_body(shared.flavor, &user) {
        Ok(body) => axum::Json(body).into_response(),
        Err(message) => (StatusCode::INTERNAL_SERVER_ERROR, message).into_response(),
    }
}

fn userinfo_body(flavor: Flavor, user: &FakeUser) -> Result<Value, String> {
    Ok(match flavor {
        Flavor::Oidc | Flavor::Google => {
            let mut body = json!({
                "sub": user.subject,
                "name": user.name,
                "preferred_username": user.login(),
            });
            if let Some(email) = &user.email {
                body["email"] = Value::from(email.as_str());
                body["email_verified"] = Value::from(user.email_verified);
            }
            body
        }
        Flavor::Kakao => {
            let mut account = json!({
                "profile": { "nickname": user.name },
                "has_email": user.email.is_some(),
            });
            if let Some(email) = &user.email {
                account["email"] = Value::from(email.as_str());
                account["is_email_valid"] = Value::from(true);
                account["is_email_verified"] = Value::from(user.email_verified);
            }
            json!({
                "id": numeric_id(user)?,
                "connected_at": "2026-01-01T00:00:00Z",
                "properties": { "nickname": user.name },
                "kakao_account": account,
            })
        }
        Flavor::Naver => {
            let mut response =
                json!({ "id": user.subject, "nickname": user.name, "name": user.name });
            if let Some(email) = &user.email {
                response["email"] = Value::from(email.as_str());
            }
            json!({ "resultcode": "00", "message": "success", "response": response })
        }
        Flavor::GitHub => json!({
            "id": numeric_id(user)?,
            "login": user.login(),
            "name": user.name,
            // The public e-mail; most users keep theirs private.
            "email": null,
        }),
    })
}

/// GitHub's `GET /user/emails`.
async fn emails(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    shared.lock().userinfo_requests += 1;
    if let Some(refusal) = github_without_user_agent(&shared, &headers) {
        return refusal;
    }
    let Some(user) = bearer_user(&shared, &headers) else {
        return unauthorized();
    };
    let list: Vec<Value> = user
        .email
        .iter()
        .map(|email| json!({ "email": email, "primary": true, "verified": user.email_verified, "visibility": "private" }))
        .collect();
    axum::Json(Value::Array(list)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation};

    const CLIENT_ID: &str = "parley-test-client";
    // Characters that must be form-urlencoded inside HTTP Basic.
    const CLIENT_SECRET: &str = "s3cret/with+odd chars:";
    const REDIRECT_URI: &str = "http://127.0.0.1:9/auth/callback?from=test";

    fn http() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("build a reqwest client")
    }

    /// Drives `/authorize` and returns the code from the redirect.
    async fn authorize_code(
        client: &reqwest::Client,
        provider: &FakeProvider,
        verifier: &str,
        nonce: &str,
    ) -> String {
        let response = client
            .get(provider.auth_url())
            .query(&[
                ("response_type", "code"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", REDIRECT_URI),
                ("scope", "openid email profile"),
                ("state", "st/ate 1"),
                ("code_challenge", &pkce_challenge(verifier)),
                ("code_challenge_method", "S256"),
                ("nonce", nonce),
            ])
            .send()
            .await
            .expect("GET /authorize");
        assert_eq!(response.status(), StatusCode::FOUND);
        let location = response.headers()[header::LOCATION]
            .to_str()
            .expect("ASCII Location");
        let location = reqwest::Url::parse(location).expect("Location is a URL");
        let query: HashMap<String, String> = location.query_pairs().into_owned().collect();
        assert_eq!(
            query.get("from").map(String::as_str),
            Some("test"),
            "the redirect URI's own query is kept"
        );
        assert_eq!(query.get("state").map(String::as_str), Some("st/ate 1"));
        query.get("code").expect("a code in the redirect").clone()
    }

    fn form_urlencode(value: &str) -> String {
        utf8_percent_encode(value, QUERY_VALUE).to_string()
    }

    async fn exchange(
        client: &reqwest::Client,
        provider: &FakeProvider,
        code: &str,
        verifier: &str,
    ) -> reqwest::Response {
        client
            .post(provider.token_url())
            .basic_auth(
                form_urlencode(CLIENT_ID),
                Some(form_urlencode(CLIENT_SECRET)),
            )
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", REDIRECT_URI),
                ("code_verifier", verifier),
            ])
            .send()
            .await
            .expect("POST /token")
    }

    fn validation(provider: &FakeProvider) -> Validation {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_audience(&[CLIENT_ID]);
        validation.set_issuer(&[provider.issuer()]);
        validation
    }

    #[tokio::test]
    async fn fake_provider_issues_a_verifiable_id_token() {
        let provider = FakeProvider::start(Flavor::Oidc, CLIENT_ID, CLIENT_SECRET).await;
        provider.set_user(FakeUser::new("user-42", "Ada Lovelace", "ada@example.com"));
        let client = http();

        let discovery: Value = client
            .get(provider.discovery_url())
            .send()
            .await
            .expect("discovery")
            .json()
            .await
            .expect("JSON");
        assert_eq!(discovery["issuer"], provider.issuer());
        assert_eq!(discovery["jwks_uri"], provider.jwks_url());

        let verifier = random_string(64);
        let code = authorize_code(&client, &provider, &verifier, "n0nce").await;
        let query = provider
            .last_authorize_query()
            .expect("the authorize query is recorded");
        assert_eq!(query["code_challenge_method"], "S256");
        assert_eq!(query["nonce"], "n0nce");

        let response = exchange(&client, &provider, &code, &verifier).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(provider.last_client_auth(), Some(ClientAuth::Basic));
        let tokens: Value = response.json().await.expect("token JSON");
        assert_eq!(tokens["expires_in"], 3600);
        let id_token = tokens["id_token"].as_str().expect("an ID token");

        let jwks: Value = client
            .get(provider.jwks_url())
            .send()
            .await
            .expect("jwks")
            .json()
            .await
            .expect("JSON");
        let jwk = &jwks["keys"][0];
        assert_eq!(jwk["kid"], KEY_ID);
        let key = DecodingKey::from_rsa_components(
            jwk["n"].as_str().expect("n"),
            jwk["e"].as_str().expect("e"),
        )
        .expect("a key from n and e");
        assert_eq!(
            jsonwebtoken::decode_header(id_token)
                .expect("header")
                .kid
                .as_deref(),
            Some(KEY_ID)
        );
        let claims = jsonwebtoken::decode::<Value>(id_token, &key, &validation(&provider))
            .expect("the ID token verifies")
            .claims;
        assert_eq!(claims["sub"], "user-42");
        assert_eq!(claims["nonce"], "n0nce");
        assert_eq!(claims["email"], "ada@example.com");
        assert_eq!(claims["email_verified"], true);
        assert_eq!(claims["preferred_username"], "adalovelace");

        let access_token = tokens["access_token"].as_str().expect("an access token");
        let me: Value = client
            .get(provider.userinfo_url())
            .bearer_auth(access_token)
            .send()
            .await
            .expect("userinfo")
            .json()
            .await
            .expect("JSON");
        assert_eq!(me["sub"], "user-42");
        let anonymous = client
            .get(provider.userinfo_url())
            .send()
            .await
            .expect("userinfo");
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        // Codes are single use.
        let replay = exchange(&client, &provider, &code, &verifier).await;
        assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
        let error: Value = replay.json().await.expect("error JSON");
        assert_eq!(error["error"], "invalid_grant");

        // A wrong verifier is refused; a spoiled signature does not verify.
        let code = authorize_code(&client, &provider, &verifier, "n1").await;
        let wrong = exchange(&client, &provider, &code, "another-verifier-entirely").await;
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
        provider.tamper(Tamper::BadSignature);
        let code = authorize_code(&client, &provider, &verifier, "n2").await;
        let tokens: Value = exchange(&client, &provider, &code, &verifier)
            .await
            .json()
            .await
            .expect("token JSON");
        let spoiled = tokens["id_token"].as_str().expect("an ID token");
        assert!(jsonwebtoken::decode::<Value>(spoiled, &key, &validation(&provider)).is_err());
        assert_eq!(provider.token_requests(), 4);

        // Naver: expires_in is a string, errors come as HTTP 200.
        let naver = FakeProvider::start(Flavor::Naver, CLIENT_ID, CLIENT_SECRET).await;
        let code = authorize_code(&client, &naver, &verifier, "n3").await;
        let response = exchange(&client, &naver, &code, &verifier).await;
        assert_eq!(response.status(), StatusCode::OK);
        let tokens: Value = response.json().await.expect("token JSON");
        assert_eq!(tokens["expires_in"], "3600");
        assert!(tokens.get("id_token").is_none());
        let replay = exchange(&client, &naver, &code, &verifier).await;
        assert_eq!(replay.status(), StatusCode::OK);
        let error: Value = replay.json().await.expect("error JSON");
        assert_eq!(error["error"], "invalid_request");
    }
}
