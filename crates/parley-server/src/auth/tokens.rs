//! Access tokens: short-lived JWTs (`auth::jwt`: HS256, issuer, audience and
//! expiry checked) with a token-type claim on top, so a token minted for
//! another purpose is refused too.

use crate::auth::jwt::{Hs256, now_secs};
use parley_core::{Error, ErrorCode, Result, SessionId, UserId};
use serde::{Deserialize, Serialize};
use std::time::Duration;

const AUDIENCE: &str = "parley";
const ACCESS_TYPE: &str = "access";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: UserId,
    /// The session (refresh family) the token belongs to; revoking it
    /// invalidates the token at once.
    sid: SessionId,
    typ: String,
    iat: i64,
    exp: i64,
}

/// Who a valid access token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessClaims {
    pub user_id: UserId,
    pub session_id: SessionId,
    /// Expiry, unix seconds.
    pub expires_at: i64,
}

#[derive(Clone, Debug)]
pub struct TokenIssuer {
    jwt: Hs256,
    pub ttl: Duration,
}

impl TokenIssuer {
    pub fn new(secret: &[u8], issuer: &str, ttl: Duration) -> Self {
        Self {
            jwt: Hs256::new(secret, issuer, AUDIENCE),
            ttl,
        }
    }

    pub fn issue(&self, user_id: UserId, session_id: SessionId) -> Result<String> {
        let now = now_secs();
        let ttl = i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX);
        self.jwt.sign(&Claims {
            iss: self.jwt.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: user_id,
            sid: session_id,
            typ: ACCESS_TYPE.to_owned(),
            iat: now,
            exp: now.saturating_add(ttl),
        })
    }

    /// Checks signature, algorithm, issuer, audience, expiry and type.
    /// An expired token is `token_expired`; anything else wrong is `unauthorized`.
    pub fn verify(&self, token: &str) -> Result<AccessClaims> {
        let claims: Claims = self.jwt.verify(token)?;
        if claims.typ != ACCESS_TYPE {
            return Err(Error::Refused(ErrorCode::Unauthorized));
        }
        Ok(AccessClaims {
            user_id: claims.sub,
            session_id: claims.sid,
            expires_at: claims.exp,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
    use parley_core::Timestamp;

    fn issuer() -> TokenIssuer {
        TokenIssuer::new(&[42u8; 64], "http://parley.test", Duration::from_secs(900))
    }

    fn forge(claims: &serde_json::Value, secret: &[u8]) -> String {
        encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(secret),
        )
        .expect("encode")
    }

    fn claims(typ: &str, exp_offset: i64) -> serde_json::Value {
        let now = Timestamp::now().as_millis() / 1000;
        serde_json::json!({
            "iss": "http://parley.test", "aud": "parley", "sub": UserId::new(), "sid": SessionId::new(),
            "typ": typ, "iat": now, "exp": now + exp_offset,
        })
    }

    #[test]
    fn round_trip() {
        let t = issuer();
        let (u, s) = (UserId::new(), SessionId::new());
        let c = t.verify(&t.issue(u, s).expect("issue")).expect("valid");
        assert_eq!((c.user_id, c.session_id), (u, s));
    }

    #[test]
    fn refuses_forgeries() {
        let t = issuer();
        let good = t.issue(UserId::new(), SessionId::new()).expect("issue");
        // Flip one byte of the signature.
        let mut bytes = good.into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(bytes).expect("ascii");
        assert!(t.verify(&flipped).is_err());
        // alg: none.
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims("access", 600).to_string());
        assert!(t.verify(&format!("{header}.{body}.")).is_err());
        // Wrong key, wrong type, wrong audience, garbage.
        assert!(
            t.verify(&forge(&claims("access", 600), &[1u8; 64]))
                .is_err()
        );
        assert!(
            t.verify(&forge(&claims("refresh", 600), &[42u8; 64]))
                .is_err()
        );
        let mut wrong_aud = claims("access", 600);
        wrong_aud["aud"] = "other".into();
        assert!(t.verify(&forge(&wrong_aud, &[42u8; 64])).is_err());
        assert!(t.verify("not.a.jwt").is_err());
    }

    #[test]
    fn expiry_with_small_leeway() {
        let t = issuer();
        let expired = forge(&claims("access", -10), &[42u8; 64]);
        assert!(matches!(
            t.verify(&expired),
            Err(Error::Refused(ErrorCode::TokenExpired))
        ));
        let within_leeway = forge(&claims("access", -2), &[42u8; 64]);
        assert!(t.verify(&within_leeway).is_ok());
    }
}
