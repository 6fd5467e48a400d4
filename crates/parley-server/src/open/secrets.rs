//! Client secrets of registered domains: 256 random bits, shown once, stored
//! only as HMAC-SHA256 under a server key. A fast keyed hash is the right
//! tool for a high-entropy random secret (a slow password hash defends
//! guessable inputs, which these are not), and the key means a leaked
//! database alone cannot even confirm a secret. The key is derived from the
//! cookie key, so nodes that share `PARLEY_COOKIE_SECRET` agree.

use crate::auth::csrf::mac;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

/// Every secret starts with this, so one pasted into the wrong place is recognisable.
const PREFIX: &str = "pcs_";

#[derive(Clone)]
pub struct SecretHasher(Vec<u8>);

impl std::fmt::Debug for SecretHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretHasher(<redacted>)")
    }
}

impl SecretHasher {
    pub fn derive(cookie_key: &[u8]) -> Self {
        Self(mac(cookie_key, b"parley open-api client secret v1"))
    }

    /// The stored form of `secret`.
    pub fn hash(&self, secret: &str) -> Vec<u8> {
        mac(&self.0, secret.as_bytes())
    }
}

/// A fresh client secret.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_fresh_and_hashes_keyed() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 43, "{a}");
        let one = SecretHasher::derive(b"cookie key one");
        let two = SecretHasher::derive(b"cookie key two");
        assert_eq!(one.hash(&a), one.hash(&a));
        assert_ne!(one.hash(&a), one.hash(&b));
        assert_ne!(one.hash(&a), two.hash(&a));
    }
}
