//! The authorization-code flow (with PKCE) of a preset provider: plain
//! OAuth 2 and a user-info call. Token answers are read leniently where the
//! providers really differ (Naver sends `expires_in` as a string), and an
//! answer without an access token, as Naver and GitHub send errors with a
//! 200, is a failure.

use super::http_client::ProviderHttp;
use super::presets::Preset;
use super::profile::Profile;
use super::{Failure, Started};
use oauth2::basic::{BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenType};
use oauth2::{
    AccessToken, AuthType, AuthUrl, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointNotSet, EndpointSet, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RefreshToken, Scope, StandardRevocableToken, StandardTokenIntrospectionResponse,
    TokenResponse, TokenUrl,
};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::time::Duration;

pub struct PresetFlow {
    pub preset: Preset,
    client_id: String,
    client_secret: String,
    auth_url: String,
    token_url: String,
    userinfo_url: String,
}

type PresetClient = Client<
    BasicErrorResponse,
    LenientTokenResponse,
    StandardTokenIntrospectionResponse<EmptyExtraTokenFields, BasicTokenType>,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

impl PresetFlow {
    pub fn new(
        preset: Preset,
        client_id: String,
        client_secret: String,
        auth_url: String,
        token_url: String,
        userinfo_url: String,
    ) -> Self {
        Self {
            preset,
            client_id,
            client_secret,
            auth_url,
            token_url,
            userinfo_url,
        }
    }

    fn client(&self, redirect_uri: &str) -> Result<PresetClient, Failure> {
        Ok(Client::new(ClientId::new(self.client_id.clone()))
            .set_client_secret(ClientSecret::new(self.client_secret.clone()))
            .set_auth_uri(AuthUrl::new(self.auth_url.clone()).map_err(Failure::config)?)
            .set_token_uri(TokenUrl::new(self.token_url.clone()).map_err(Failure::config)?)
            .set_redirect_uri(RedirectUrl::new(redirect_uri.to_owned()).map_err(Failure::config)?)
            // Every preset takes the secret in the form body (Kakao and
            // Naver only that way).
            .set_auth_type(AuthType::RequestBody))
    }

    pub fn start(&self, redirect_uri: &str) -> Result<Started, Failure> {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = self
            .client(redirect_uri)?
            .authorize_url(CsrfToken::new_random)
            .add_scopes(
                self.preset
                    .scopes()
                    .iter()
                    .map(|s| Scope::new((*s).to_owned())),
            )
            .set_pkce_challenge(challenge)
            .url();
        Ok(Started {
            authorize_url: url.to_string(),
            state: state.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            nonce: None,
        })
    }

    pub async fn finish(
        &self,
        http: &ProviderHttp,
        redirect_uri: &str,
        code: String,
        pkce_verifier: String,
    ) -> Result<Profile, Failure> {
        let tokens = self
            .client(redirect_uri)?
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(http)
            .await
            .map_err(Failure::provider("token exchange"))?;
        let token = tokens.access_token().secret();
        let info = self.get(http, &self.userinfo_url, token).await?;
        let emails = match self.preset.emails_url(&self.userinfo_url) {
            // Without the e-mail list the account is still theirs; it
            // just starts without an address.
            Some(url) => self.get(http, &url, token).await.ok(),
            None => None,
        };
        self.preset
            .profile(&info, emails.as_ref())
            .ok_or(Failure::Rejected("the user-info answer names no one"))
    }

    async fn get(&self, http: &ProviderHttp, url: &str, token: &str) -> Result<Value, Failure> {
        let (status, body) = http
            .get_json(url, token)
            .await
            .map_err(Failure::provider("user info"))?;
        if !status.is_success() {
            return Err(Failure::Rejected("user info answered an error status"));
        }
        serde_json::from_slice(&body).map_err(Failure::provider("user info JSON"))
    }
}

/// RFC 6749's token answer, with `expires_in` as a number or a string.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LenientTokenResponse {
    access_token: AccessToken,
    #[serde(deserialize_with = "token_type_or_bearer", default = "bearer")]
    token_type: BasicTokenType,
    #[serde(default, deserialize_with = "seconds_number_or_string")]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
    #[serde(skip)]
    scopes: Option<Vec<Scope>>,
}

fn bearer() -> BasicTokenType {
    BasicTokenType::Bearer
}

/// `bearer` in any case (GitHub and Naver send lower case); an absent or
/// other type is read as bearer, which is how the token is used.
fn token_type_or_bearer<'de, D: Deserializer<'de>>(d: D) -> Result<BasicTokenType, D::Error> {
    let raw = Option::<String>::deserialize(d)?;
    Ok(
        match raw.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("mac") => BasicTokenType::Mac,
            _ => BasicTokenType::Bearer,
        },
    )
}

fn seconds_number_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

impl TokenResponse for LenientTokenResponse {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }
    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }
    fn expires_in(&self) -> Option<Duration> {
        self.expires_in.map(Duration::from_secs)
    }
    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }
    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.scopes.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naver_style_string_lifetimes_are_read() {
        let t: LenientTokenResponse = serde_json::from_str(
            r#"{"access_token":"a","refresh_token":"r","token_type":"bearer","expires_in":"3600"}"#,
        )
        .expect("parses");
        assert_eq!(t.expires_in(), Some(Duration::from_secs(3600)));
        let t: LenientTokenResponse =
            serde_json::from_str(r#"{"access_token":"a","token_type":"Bearer","expires_in":60}"#)
                .expect("parses");
        assert_eq!(t.expires_in(), Some(Duration::from_secs(60)));
    }

    #[test]
    fn an_error_sent_with_200_is_not_a_token() {
        assert!(
            serde_json::from_str::<LenientTokenResponse>(
                r#"{"error":"bad_verification_code","error_description":"The code is incorrect"}"#
            )
            .is_err()
        );
    }
}
