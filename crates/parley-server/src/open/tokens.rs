//! Open API tokens: JWTs signed like the access tokens (`auth::jwt`) with a
//! type claim and an audience of their own, so neither kind passes for the other. A token
//! names its domain, its tier and the domain's secret `generation` when it
//! was made; the registry refuses it once the generation moved (rotation)
//! or the domain is gone, without a database query per request.

use crate::auth::jwt::{Hs256, now_secs};
use parley_core::{DomainId, DomainTier, Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use std::time::Duration;

const AUDIENCE: &str = "parley-open-api";
const TOKEN_TYPE: &str = "open";
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

#[derive(Clone, Debug)]
pub struct OpenTokens {
    jwt: Hs256,
}

impl OpenTokens {
    pub fn new(secret: &[u8], issuer: &str) -> Self {
        Self {
            jwt: Hs256::new(secret, issuer, AUDIENCE),
        }
    }

    pub fn issue(&self, claims: OpenClaims) -> Result<String> {
        let now = now_secs();
        let ttl = i64::try_from(TOKEN_TTL.as_secs()).unwrap_or(i64::MAX);
        self.jwt.sign(&Claims {
            iss: self.jwt.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: claims.domain,
            tier: claims.tier,
            generation: claims.generation,
            typ: TOKEN_TYPE.to_owned(),
            iat: now,
            exp: now.saturating_add(ttl),
        })
    }

    /// An expired token is `token_expired`; anything else wrong `unauthorized`.
    pub fn verify(&self, token: &str) -> Result<OpenClaims> {
        let claims: Claims = self.jwt.verify(token)?;
        if claims.typ != TOKEN_TYPE {
            return Err(Error::Refused(ErrorCode::Unauthorized));
        }
        Ok(OpenClaims {
            domain: claims.sub,
            tier: claims.tier,
            generation: claims.generation,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::tokens::TokenIssuer;
    use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
    use parley_core::{SessionId, Timestamp, UserId};

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
