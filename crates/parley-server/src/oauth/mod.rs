//! Sign-in through OAuth 2 / OpenID Connect providers: the configured
//! providers, starting a flow (the URL to send the browser to, and the state
//! to seal into the flow cookie) and finishing it (the code exchanged, the
//! person the provider vouches for). Accounts are `services::identities`'
//! business; the routes are `http::oauth`'s.

pub mod config;
pub mod flow;
mod http_client;
mod oidc;
mod preset_flow;
pub mod presets;
pub mod profile;

use config::{ProviderConfig, ProviderKind};
use http_client::ProviderHttp;
use oidc::Oidc;
use preset_flow::PresetFlow;
use profile::Profile;
use std::sync::Arc;

/// What starting a flow gives: where to send the browser, and what the
/// callback will need (sealed into the flow cookie meanwhile).
#[derive(Debug)]
pub struct Started {
    pub authorize_url: String,
    pub state: String,
    pub pkce_verifier: String,
    pub nonce: Option<String>,
}

/// Why a flow failed. Only logged: the browser is just told `oauth_failed`.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("flow: {0}")]
    Flow(&'static str),
    #[error("the provider refused or sent something unacceptable: {0}")]
    Rejected(&'static str),
    #[error("{what} failed")]
    Provider {
        what: &'static str,
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("provider configuration")]
    Config(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Failure {
    fn provider<E: std::error::Error + Send + Sync + 'static>(
        what: &'static str,
    ) -> impl FnOnce(E) -> Self {
        move |e| Self::Provider {
            what,
            cause: Box::new(e),
        }
    }

    fn config<E: std::error::Error + Send + Sync + 'static>(e: E) -> Self {
        Self::Config(Box::new(e))
    }
}

/// One configured provider.
pub struct Provider {
    pub name: String,
    pub display_name: String,
    flow: ProviderFlow,
}

enum ProviderFlow {
    // Boxed: its cached discovery document is large.
    Oidc(Box<Oidc>),
    Preset(PresetFlow),
}

/// Every configured provider, in configuration order, and the one HTTP
/// client they share.
#[derive(Clone)]
pub struct Providers {
    list: Arc<Vec<Provider>>,
    http: ProviderHttp,
    /// `{public_url}/api/v1/auth/oauth`: each callback is `{base}/{name}/callback`.
    callback_base: String,
}

impl std::fmt::Debug for Providers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.list.iter().map(|p| &p.name))
            .finish()
    }
}

impl Providers {
    pub fn new(configs: &[ProviderConfig], public_url: &str) -> anyhow::Result<Self> {
        let list = configs
            .iter()
            .map(|c| Provider {
                name: c.name.clone(),
                display_name: c.display_name.clone(),
                flow: match &c.kind {
                    ProviderKind::Oidc { issuer } => ProviderFlow::Oidc(Box::new(Oidc::new(
                        issuer.clone(),
                        c.client_id.clone(),
                        c.client_secret.clone(),
                    ))),
                    ProviderKind::Preset {
                        preset,
                        auth_url,
                        token_url,
                        userinfo_url,
                    } => ProviderFlow::Preset(PresetFlow::new(
                        *preset,
                        c.client_id.clone(),
                        c.client_secret.clone(),
                        auth_url.clone(),
                        token_url.clone(),
                        userinfo_url.clone(),
                    )),
                },
            })
            .collect();
        Ok(Self {
            list: Arc::new(list),
            http: ProviderHttp::new()?,
            callback_base: format!("{public_url}/api/v1/auth/oauth"),
        })
    }

    pub fn all(&self) -> &[Provider] {
        &self.list
    }

    pub fn get(&self, name: &str) -> Option<&Provider> {
        self.list.iter().find(|p| p.name == name)
    }

    fn callback(&self, provider: &Provider) -> String {
        format!("{}/{}/callback", self.callback_base, provider.name)
    }

    /// A new flow at `provider`.
    pub async fn start(&self, provider: &Provider) -> Result<Started, Failure> {
        let redirect = self.callback(provider);
        match &provider.flow {
            ProviderFlow::Oidc(oidc) => oidc.start(&self.http, &redirect).await,
            ProviderFlow::Preset(preset) => preset.start(&redirect),
        }
    }

    /// The person behind `code`, checked as the provider's kind requires.
    pub async fn finish(
        &self,
        provider: &Provider,
        code: String,
        pkce_verifier: String,
        nonce: Option<&str>,
    ) -> Result<Profile, Failure> {
        let redirect = self.callback(provider);
        match &provider.flow {
            ProviderFlow::Oidc(oidc) => {
                oidc.finish(&self.http, &redirect, code, pkce_verifier, nonce)
                    .await
            }
            ProviderFlow::Preset(preset) => {
                preset
                    .finish(&self.http, &redirect, code, pkce_verifier)
                    .await
            }
        }
    }
}
