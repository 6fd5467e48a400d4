//! Refresh tokens: 256 random bits, shown to the client once and stored only
//! as a SHA-256 hash (a database leak does not leak usable tokens; a fast
//! hash is fine because the input has full entropy).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random refresh token (43 URL-safe characters).
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a token.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_stably() {
        let a = generate();
        assert_eq!(a.len(), 43);
        assert_ne!(a, generate());
        assert_eq!(hash(&a), hash(&a));
        assert_eq!(hash(&a).len(), 32);
        assert_ne!(hash(&a), a.as_bytes());
    }
}
