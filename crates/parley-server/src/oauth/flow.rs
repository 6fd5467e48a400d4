//! The state of one sign-in between its start and the provider's redirect
//! back: `state`, the PKCE verifier, the OIDC `nonce`, where to return and
//! whether it links a provider to a signed-in account. It travels in one
//! encrypted, authenticated (AES-256-GCM), HttpOnly cookie that lives at
//! most [`FLOW_TTL`], so whichever node receives the callback can finish a
//! flow another node started, with nothing shared but the cookie secret.

use cookie::{Cookie, CookieJar, Key, SameSite};
use hmac::{Hmac, KeyInit, Mac};
use http::HeaderValue;
use parley_core::UserId;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use subtle::ConstantTimeEq;

pub const FLOW_COOKIE: &str = "parley_oauth";
/// The callback is the only place the cookie is read.
pub const FLOW_COOKIE_PATH: &str = "/api/v1/auth/oauth";
pub const FLOW_TTL: Duration = Duration::from_secs(10 * 60);

/// What a flow is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "user")]
pub enum Intent {
    /// Sign in, or sign up on a first visit.
    SignIn,
    /// Link the provider to this signed-in user.
    Link(UserId),
}

/// One flow's state, as sealed into the cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowState {
    pub provider: String,
    pub state: String,
    pub pkce_verifier: String,
    pub nonce: Option<String>,
    /// A same-origin path (checked before it gets here).
    pub return_to: String,
    pub intent: Intent,
    /// "Remember me": the refresh cookie outlives the browser session.
    pub remember: bool,
    /// Unix seconds when the flow started.
    pub started_at: u64,
}

impl FlowState {
    /// Whether `presented` is this flow's `state` (in constant time).
    pub fn state_matches(&self, presented: &str) -> bool {
        self.state.as_bytes().ct_eq(presented.as_bytes()).into()
    }
}

/// Seals and opens flow cookies with a key of their own, derived from the
/// cookie secret (so it differs from the CSRF key made from the same secret).
#[derive(Clone)]
pub struct FlowSealer {
    key: Key,
    secure: bool,
}

impl std::fmt::Debug for FlowSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FlowSealer(<key>)")
    }
}

impl FlowSealer {
    pub fn new(cookie_secret: &[u8], secure: bool) -> Self {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(cookie_secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(b"parley oauth flow cookie v1");
        let master = mac.finalize().into_bytes();
        Self {
            key: Key::derive_from(&master),
            secure,
        }
    }

    /// `Set-Cookie` carrying `flow`, sealed.
    pub fn seal(&self, flow: &FlowState) -> Option<HeaderValue> {
        let json = serde_json::to_string(flow).ok()?;
        let mut jar = CookieJar::new();
        jar.private_mut(&self.key)
            .add(Cookie::new(FLOW_COOKIE, json));
        let sealed = jar.get(FLOW_COOKIE)?.value().to_owned();
        self.header(sealed, FLOW_TTL)
    }

    /// The flow in the request's cookie, if it is ours, intact and not
    /// older than [`FLOW_TTL`].
    pub fn open(&self, headers: &http::HeaderMap) -> Option<FlowState> {
        let sealed = crate::auth::cookies::read(headers, FLOW_COOKIE)?;
        let mut jar = CookieJar::new();
        jar.add_original(Cookie::new(FLOW_COOKIE, sealed));
        let json = jar.private(&self.key).get(FLOW_COOKIE)?;
        let flow: FlowState = serde_json::from_str(json.value()).ok()?;
        let age = now_secs().checked_sub(flow.started_at)?;
        (age <= FLOW_TTL.as_secs()).then_some(flow)
    }

    /// `Set-Cookie` that deletes the flow cookie: a flow is finished once,
    /// whatever its outcome.
    pub fn clear(&self) -> Option<HeaderValue> {
        self.header(String::new(), Duration::ZERO)
    }

    fn header(&self, value: String, max_age: Duration) -> Option<HeaderValue> {
        let cookie = Cookie::build((FLOW_COOKIE, value))
            .path(FLOW_COOKIE_PATH)
            .http_only(true)
            .secure(self.secure)
            // Lax: it must come back on the provider's top-level redirect.
            .same_site(SameSite::Lax)
            .max_age(cookie::time::Duration::seconds(
                i64::try_from(max_age.as_secs()).unwrap_or(0),
            ))
            .build();
        HeaderValue::from_str(&cookie.to_string()).ok()
    }
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(started_at: u64) -> FlowState {
        FlowState {
            provider: "github".into(),
            state: "st".into(),
            pkce_verifier: "v".into(),
            nonce: None,
            return_to: "/".into(),
            intent: Intent::Link(UserId::new()),
            remember: false,
            started_at,
        }
    }

    fn as_request(set_cookie: &HeaderValue) -> http::HeaderMap {
        let pair = set_cookie
            .to_str()
            .expect("ascii")
            .split(';')
            .next()
            .expect("pair")
            .to_owned();
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            HeaderValue::from_str(&pair).expect("value"),
        );
        h
    }

    #[test]
    fn a_sealed_flow_opens_on_any_node_with_the_same_secret() {
        let secret = [7u8; 64];
        let f = flow(now_secs());
        let header = FlowSealer::new(&secret, true).seal(&f).expect("sealed");
        let text = header.to_str().expect("ascii");
        assert!(
            text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.contains("Secure")
        );
        assert!(
            !text.contains("github"),
            "the state is encrypted, not just signed"
        );
        let other_node = FlowSealer::new(&secret, true);
        assert_eq!(other_node.open(&as_request(&header)), Some(f));
        assert_eq!(
            FlowSealer::new(&[8u8; 64], true).open(&as_request(&header)),
            None
        );
    }

    #[test]
    fn an_old_or_tampered_flow_does_not_open() {
        let sealer = FlowSealer::new(&[1u8; 64], false);
        let old = sealer
            .seal(&flow(now_secs() - FLOW_TTL.as_secs() - 1))
            .expect("sealed");
        assert_eq!(sealer.open(&as_request(&old)), None);
        let good = sealer.seal(&flow(now_secs())).expect("sealed");
        let mut text = good.to_str().expect("ascii").to_owned();
        let at = text.find('=').expect("pair") + 5;
        let flipped = if &text[at..=at] == "A" { "B" } else { "A" };
        text.replace_range(at..=at, flipped);
        let tampered = HeaderValue::from_str(&text).expect("value");
        assert_eq!(sealer.open(&as_request(&tampered)), None);
    }

    #[test]
    fn state_is_compared_whole() {
        let f = flow(0);
        assert!(f.state_matches("st"));
        assert!(!f.state_matches("s") && !f.state_matches("stt") && !f.state_matches(""));
    }
}
