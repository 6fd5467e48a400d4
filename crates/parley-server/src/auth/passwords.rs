//! Password hashing with Argon2id (OWASP parameters: m = 19 MiB, t = 2, p = 1).
//!
//! A hash costs ~20 ms of CPU and 19 MiB, so it runs on the blocking pool, and
//! a semaphore bounds how many run at once: a burst of sign-ins queues instead
//! of starving every other request of CPU and memory. Unknown users are
//! checked against a dummy hash so they take as long as wrong passwords.

use argon2::password_hash::{
    PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use parley_core::{Error, Result};
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Hash of a random password, verified when the user does not exist.
    dummy_hash: Arc<str>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords").finish_non_exhaustive()
    }
}

fn argon2() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: the first OWASP-recommended Argon2id setting.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal(format!("hashing a password: {e}")))
}

fn verify_blocking(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

impl Passwords {
    /// `concurrency` hashes may run at once (one per core is the sweet spot).
    pub fn new(concurrency: usize) -> Result<Self> {
        let dummy = hash_blocking(&uuid::Uuid::now_v7().to_string())?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: dummy.into(),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.to_owned();
        self.run(move || hash_blocking(&password)).await?
    }

    /// Verifies `password` against `hash`, or against the dummy hash when the
    /// account does not exist (always false then, in comparable time).
    pub async fn verify(&self, hash: Option<&str>, password: &str) -> Result<bool> {
        let exists = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let password = password.to_owned();
        let ok = self.run(move || verify_blocking(&hash, &password)).await?;
        Ok(exists && ok)
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let _permit = self.permits.acquire().await.map_err(Error::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(Error::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_owasp_params() {
        let p = Passwords::new(2).expect("init");
        let h = p.hash("correct horse battery staple").await.expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(
            p.verify(Some(&h), "correct horse battery staple")
                .await
                .expect("verify")
        );
        assert!(
            !p.verify(Some(&h), "wrong horse battery staple")
                .await
                .expect("verify")
        );
        assert!(!p.verify(None, "anything at all").await.expect("verify"));
        assert!(!p.verify(Some("not a hash"), "x").await.expect("verify"));
        assert_ne!(
            h,
            p.hash("correct horse battery staple").await.expect("hash"),
            "salted"
        );
    }
}
