//! Any OpenID Connect provider, by issuer: its discovery document (and key
//! set) fetched when first needed and cached for an hour, so a provider that
//! is down fails only its own sign-ins; the code exchanged with PKCE; the ID
//! token verified against the provider's keys with its `iss`, `aud`, `exp`
//! and our `nonce`.

use super::http_client::ProviderHttp;
use super::profile::Profile;
use super::{Failure, Started};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreProviderMetadata,
};
use openidconnect::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long discovery (endpoints and signing keys) is trusted before it is
/// fetched again, which is how rotated keys are picked up.
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

pub struct Oidc {
    issuer: String,
    client_id: String,
    client_secret: String,
    discovered: Mutex<Option<(CoreProviderMetadata, Instant)>>,
}

impl Oidc {
    pub fn new(issuer: String, client_id: String, client_secret: String) -> Self {
        Self {
            issuer,
            client_id,
            client_secret,
            discovered: Mutex::new(None),
        }
    }

    async fn metadata(&self, http: &ProviderHttp) -> Result<CoreProviderMetadata, Failure> {
        let mut cached = self.discovered.lock().await;
        if let Some((metadata, at)) = cached.as_ref()
            && at.elapsed() < DISCOVERY_TTL
        {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.issuer.clone()).map_err(Failure::config)?;
        let metadata = CoreProviderMetadata::discover_async(issuer, http)
            .await
            .map_err(Failure::provider("discovery"))?;
        *cached = Some((metadata.clone(), Instant::now()));
        Ok(metadata)
    }

    async fn client(
        &self,
        http: &ProviderHttp,
        redirect_uri: &str,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        Failure,
    > {
        let metadata = self.metadata(http).await?;
        // Basic authentication is the default; a provider that lists only
        // client_secret_post gets the secret in the body instead.
        let post_only = metadata
            .token_endpoint_auth_methods_supported()
            .is_some_and(|methods| {
                methods.contains(&CoreClientAuthMethod::ClientSecretPost)
                    && !methods.contains(&CoreClientAuthMethod::ClientSecretBasic)
            });
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.client_id.clone()),
            Some(ClientSecret::new(self.client_secret.clone())),
        )
        .set_redirect_uri(RedirectUrl::new(redirect_uri.to_owned()).map_err(Failure::config)?);
        Ok(if post_only {
            client.set_auth_type(AuthType::RequestBody)
        } else {
            client
        })
    }

    pub async fn start(&self, http: &ProviderHttp, redirect_uri: &str) -> Result<Started, Failure> {
        let client = self.client(http, redirect_uri).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Started {
            authorize_url: url.to_string(),
            state: state.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            nonce: Some(nonce.secret().clone()),
        })
    }

    pub async fn finish(
        &self,
        http: &ProviderHttp,
        redirect_uri: &str,
        code: String,
        pkce_verifier: String,
        nonce: Option<&str>,
    ) -> Result<Profile, Failure> {
        let nonce = Nonce::new(
            nonce
                .ok_or(Failure::Flow("no nonce in the flow"))?
                .to_owned(),
        );
        let client = self.client(http, redirect_uri).await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(Failure::config)?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(http)
            .await
            .map_err(Failure::provider("token exchange"))?;
        let id_token = tokens
            .id_token()
            .ok_or(Failure::Rejected("no ID token in the token answer"))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &nonce)
            .map_err(Failure::provider("ID token"))?;
        let mut profile = Profile {
            subject: claims.subject().as_str().to_owned(),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
            username_hint: claims.preferred_username().map(|u| u.as_str().to_owned()),
            email: claims.email().map(|e| e.as_str().to_owned()),
            email_verified: claims.email_verified().unwrap_or(false),
        };
        // Many providers put the e-mail in user-info only. Its subject must
        // be the ID token's; failing to get it costs only the e-mail.
        if profile.email.is_none()
            && let Ok(request) = client.user_info(
                tokens.access_token().clone(),
                Some(claims.subject().clone()),
            )
        {
            let info: Result<openidconnect::core::CoreUserInfoClaims, _> =
                request.request_async(http).await;
            if let Ok(info) = info {
                profile.email = info.email().map(|e| e.as_str().to_owned());
                profile.email_verified = info.email_verified().unwrap_or(false);
            }
        }
        Ok(profile)
    }
}
