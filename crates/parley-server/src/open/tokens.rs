//! Open API tokens: HS256 JWTs like the access tokens (one explicit
//! algorithm, issuer, audience, expiry and type all checked) but with an
//! audience of their own, so neither kind passes for the other. A token
//! names its domain, its tier and the domain's secret `generation` when it
//! was made; the registry refuses it once the generation moved (rotation)
//! or the domain is gone, without a database query per request.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use parley_core::{DomainId, DomainTier, Error, ErrorCode, Result, Timestamp};
use serde::{Deserialize, Serialize};
use std::time::Duration;

const AUDIENCE: &str = "parley-open-api";
const TOKEN_TYPE: &str = "open";
const LEEWAY_SECS: u64 = 5;
/// How long a token lives: the contract's ceiling of 30 minutes.
pub const TOKEN_TTL: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: DomainId,
    tier: DomainTier,
    /// The domain's secret generation this token was made under.
    generation: i64,
    typ: String,
    iat: i64,
    exp: i64,
}

/// What a valid token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenClaims {
    pub domain: DomainId,
    pub tier: DomainTier,
    pub generation: i64,
}

#[derive(Clone)]
pub struct OpenTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
}

impl std::fmt::Debug for OpenTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenTokens")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl OpenTokens {
    pub fn new(secret: &[u8], issuer: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECS;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: issuer.to_owned(),
        }
    }

    pub fn issue(&self, claims: OpenClaims) -> Result<String> {
        let now = Timestamp::now().as_millis() / 1000;
        let ttl = i64::try_from(TOKEN_TTL.as_secs()).unwrap_or(i64::MAX);
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: claims.domain,
            tier: claims.tier,
            generation: claims.generation,
            typ: TOKEN_TYPE.to_owned(),
            iat: now,
            exp: now.saturating_add(ttl),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(Error::internal)
    }

    /// An expired token is `token_expired`; anything else wrong `unauthorized`.
    pub fn verify(&self, token: &str) -> Result<OpenClaims> {
        let data =
            decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| {
                match e.kind() {
                    ErrorKind::ExpiredSignature => Error::Refused(ErrorCode::TokenExpired),
                    _ => Error::Refused(ErrorCode::Unauthorized),
                }
            })?;
        if data.claims.typ != TOKEN_TYPE {
            return Err(Error::Refused(ErrorCode::Unauthorized));
        }
        Ok(OpenClaims {
            domain: data.claims.sub,
            tier: data.claims.tier,
            generation: data.claims.generation,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::tokens::TokenIssuer;
    use parley_core::{SessionId, UserId};

    fn tokens() -> OpenTokens {
        OpenTokens::new(&[7u8; 64], "http://parley.test")
    }

    #[test]
    fn round_trip_and_refusals() {
        let t = tokens();
        let claims = OpenClaims {
            domain: DomainId::new(),
            tier: DomainTier::Premium,
            generation: 3,
        };
        assert_eq!(
            t.verify(&t.issue(claims).expect("issue")).expect("valid"),
            claims
        );
        let other_key = OpenTokens::new(&[8u8; 64], "http://parley.test");
        assert!(other_key.verify(&t.issue(claims).expect("issue")).is_err());
        // A user's access token under the same key is not an Open API token.
        let access = TokenIssuer::new(&[7u8; 64], "http://parley.test", Duration::from_secs(60))
            .issue(UserId::new(), SessionId::new())
            .expect("access token");
        assert!(matches!(
            t.verify(&access),
            Err(Error::Refused(ErrorCode::Unauthorized))
        ));
        assert!(t.verify("not a token").is_err());
    }

    #[test]
    fn an_expired_token_says_so() {
        let now = Timestamp::now().as_millis() / 1000;
        let expired = Claims {
            iss: "http://parley.test".into(),
            aud: AUDIENCE.into(),
            sub: DomainId::new(),
            tier: DomainTier::Free,
            generation: 1,
            typ: TOKEN_TYPE.into(),
            iat: now - 3600,
            exp: now - 60,
        };
        let token = encode(
            &Header::new(Algorithm::HS256),
            &expired,
            &EncodingKey::from_secret(&[7u8; 64]),
        )
        .expect("encode");
        assert!(matches!(
            tokens().verify(&token),
            Err(Error::Refused(ErrorCode::TokenExpired))
        ));
    }
}
