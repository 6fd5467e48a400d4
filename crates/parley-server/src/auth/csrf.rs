//! CSRF tokens for cookie-authenticated requests. The token is an HMAC of the
//! session id under a server key: stateless (any node can check it, nothing
//! is stored), bound to one session, and unguessable without the key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use parley_core::SessionId;
use sha2::Sha256;
use subtle::ConstantTimeEq;

#[derive(Clone)]
pub struct CsrfKey(Vec<u8>);

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(<redacted>)")
    }
}

impl CsrfKey {
    /// Derives the CSRF key from the cookie key, so one secret serves both
    /// while a token for one purpose is useless for the other.
    pub fn derive(cookie_key: &[u8]) -> Self {
        Self(mac(cookie_key, b"parley csrf v1"))
    }

    pub fn token_for(&self, session: SessionId) -> String {
        URL_SAFE_NO_PAD.encode(mac(&self.0, session.0.as_bytes()))
    }

    /// Constant-time comparison of a presented token with the session's.
    pub fn verify(&self, session: SessionId, presented: &str) -> bool {
        let expected = self.token_for(session);
        expected.as_bytes().ct_eq(presented.as_bytes()).into()
    }
}

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn mac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| {
        // HMAC accepts keys of any length; this branch cannot be reached.
        <Hmac<Sha256> as KeyInit>::new_from_slice(&[0u8; 32]).unwrap_or_else(|_| unreachable!())
    });
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_bound_to_session_and_key() {
        let k = CsrfKey::derive(b"cookie key one, thirty-two bytes!");
        let s = SessionId::new();
        let t = k.token_for(s);
        assert!(k.verify(s, &t));
        assert!(!k.verify(SessionId::new(), &t));
        assert!(!k.verify(s, ""));
        assert!(!CsrfKey::derive(b"another cookie key, 32 bytes!!!!").verify(s, &t));
    }
}
