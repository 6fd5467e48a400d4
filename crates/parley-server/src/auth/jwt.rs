//! HS256 JWTs, the mechanics shared by every token Parley signs (users'
//! access tokens, the Open API's site tokens): one explicit algorithm, so
//! `alg: none` or an RSA/HMAC confusion cannot get through; issuer,
//! audience and expiry (with at most 5 s of leeway) checked on every
//! verification. Each token kind has its own audience, so one never passes
//! for another, and checks its own type claim on top.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use parley_core::{Error, ErrorCode, Result, Timestamp};
use serde::Serialize;
use serde::de::DeserializeOwned;

const LEEWAY_SECS: u64 = 5;

#[derive(Clone)]
pub struct Hs256 {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub issuer: String,
}

impl std::fmt::Debug for Hs256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hs256")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl Hs256 {
    pub fn new(secret: &[u8], issuer: &str, audience: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECS;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: issuer.to_owned(),
        }
    }

    pub fn sign<C: Serialize>(&self, claims: &C) -> Result<String> {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding).map_err(Error::internal)
    }

    /// The claims of a valid token. An expired one is `token_expired`;
    /// anything else wrong is `unauthorized`.
    pub fn verify<C: DeserializeOwned>(&self, token: &str) -> Result<C> {
        decode::<C>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => Error::Refused(ErrorCode::TokenExpired),
                _ => Error::Refused(ErrorCode::Unauthorized),
            })
    }
}

/// Now, in the unix seconds of `iat` and `exp`.
pub fn now_secs() -> i64 {
    Timestamp::now().as_millis() / 1000
}
