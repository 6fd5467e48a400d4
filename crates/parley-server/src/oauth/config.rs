//! Which sign-in providers are configured: `PARLEY_OAUTH_PROVIDERS=a,b` and,
//! per provider, `PARLEY_OAUTH_<NAME>_CLIENT_ID`, `_CLIENT_SECRET`,
//! `_DISPLAY_NAME`, and either `_ISSUER` (any OpenID Connect provider) or a
//! preset name (`kakao`, `naver`, `google`, `github`) whose endpoints
//! `_AUTH_URL`, `_TOKEN_URL` and `_USERINFO_URL` may override.

use super::presets::Preset;
use anyhow::{Context, bail};

/// One configured provider, resolved at start.
#[derive(Clone)]
pub struct ProviderConfig {
    /// The name in URLs and identities (`github`, `corp`, ...).
    pub name: String,
    /// The text on its sign-in button.
    pub display_name: String,
    pub client_id: String,
    pub client_secret: String,
    pub kind: ProviderKind,
}

impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("name", &self.name)
            .field("display_name", &self.display_name)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("kind", &self.kind)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub enum ProviderKind {
    /// OpenID Connect: endpoints from the issuer's discovery document, an
    /// ID token verified against its keys.
    Oidc { issuer: String },
    /// A provider with its own user-info API (and quirks).
    Preset {
        preset: Preset,
        auth_url: String,
        token_url: String,
        userinfo_url: String,
    },
}

/// The providers named by `PARLEY_OAUTH_PROVIDERS`, read through `var`
/// (the process environment in production, a map in tests).
pub fn from_env(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Vec<ProviderConfig>> {
    let Some(list) = var("PARLEY_OAUTH_PROVIDERS") else {
        return Ok(Vec::new());
    };
    let mut providers: Vec<ProviderConfig> = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let name = name.to_ascii_lowercase();
        if !valid_name(&name) {
            bail!("PARLEY_OAUTH_PROVIDERS: {name:?} must be 1-32 of [a-z0-9_-]");
        }
        if providers.iter().any(|p| p.name == name) {
            bail!("PARLEY_OAUTH_PROVIDERS names {name:?} twice");
        }
        providers.push(one(&name, &var)?);
    }
    Ok(providers)
}

fn one(name: &str, var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<ProviderConfig> {
    let prefix = format!(
        "PARLEY_OAUTH_{}_",
        name.to_ascii_uppercase().replace('-', "_")
    );
    let get = |key: &str| var(&format!("{prefix}{key}")).filter(|v| !v.trim().is_empty());
    let require =
        |key: &str| get(key).with_context(|| format!("provider {name:?} needs {prefix}{key}"));
    let client_id = require("CLIENT_ID")?;
    let client_secret = require("CLIENT_SECRET")?;
    let preset = Preset::named(name);
    let kind = match (get("ISSUER"), preset) {
        (Some(issuer), _) => ProviderKind::Oidc {
            issuer: absolute_url(&issuer, &format!("{prefix}ISSUER"))?,
        },
        (None, Some(preset)) => {
            let endpoint = |key: &str, default: &str| match get(key) {
                Some(url) => absolute_url(&url, &format!("{prefix}{key}")),
                None => Ok(default.to_owned()),
            };
            let defaults = preset.endpoints();
            ProviderKind::Preset {
                preset,
                auth_url: endpoint("AUTH_URL", defaults.auth)?,
                token_url: endpoint("TOKEN_URL", defaults.token)?,
                userinfo_url: endpoint("USERINFO_URL", defaults.userinfo)?,
            }
        }
        (None, None) => bail!(
            "provider {name:?} is not a preset (kakao, naver, google, github): set {prefix}ISSUER to its OpenID Connect issuer"
        ),
    };
    let display_name = get("DISPLAY_NAME").unwrap_or_else(|| match preset {
        Some(preset) => preset.display_name().to_owned(),
        None => capitalised(name),
    });
    Ok(ProviderConfig {
        name: name.to_owned(),
        display_name,
        client_id,
        client_secret,
        kind,
    })
}

fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// An `http(s)://` URL with a host, without a trailing slash.
fn absolute_url(raw: &str, key: &str) -> anyhow::Result<String> {
    let url = openidconnect::url::Url::parse(raw.trim())
        .with_context(|| format!("{key} must be an absolute URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        bail!("{key} must be an http(s) URL with a host");
    }
    Ok(raw.trim().trim_end_matches('/').to_owned())
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn nothing_configured_is_no_provider() {
        assert!(from_env(env(&[])).expect("parses").is_empty());
    }

    #[test]
    fn presets_need_only_their_credentials_and_take_overrides() {
        let providers = from_env(env(&[
            ("PARLEY_OAUTH_PROVIDERS", "GitHub, kakao"),
            ("PARLEY_OAUTH_GITHUB_CLIENT_ID", "id"),
            ("PARLEY_OAUTH_GITHUB_CLIENT_SECRET", "secret"),
            ("PARLEY_OAUTH_KAKAO_CLIENT_ID", "kid"),
            ("PARLEY_OAUTH_KAKAO_CLIENT_SECRET", "ks"),
            ("PARLEY_OAUTH_KAKAO_TOKEN_URL", "http://127.0.0.1:9/token/"),
        ]))
        .expect("parses");
        assert_eq!(providers[0].name, "github");
        assert_eq!(providers[0].display_name, "GitHub");
        let ProviderKind::Preset { token_url, .. } = &providers[1].kind else {
            panic!("kakao is a preset");
        };
        assert_eq!(token_url, "http://127.0.0.1:9/token");
        assert!(!format!("{:?}", providers[0]).contains("secret\""));
    }

    #[test]
    fn any_other_name_is_openid_connect_by_issuer() {
        let providers = from_env(env(&[
            ("PARLEY_OAUTH_PROVIDERS", "corp-sso"),
            ("PARLEY_OAUTH_CORP_SSO_CLIENT_ID", "id"),
            ("PARLEY_OAUTH_CORP_SSO_CLIENT_SECRET", "s"),
            ("PARLEY_OAUTH_CORP_SSO_ISSUER", "https://sso.example.com"),
            ("PARLEY_OAUTH_CORP_SSO_DISPLAY_NAME", "Corp SSO"),
        ]))
        .expect("parses");
        assert_eq!(providers[0].display_name, "Corp SSO");
        assert!(
            matches!(&providers[0].kind, ProviderKind::Oidc { issuer } if issuer == "https://sso.example.com")
        );
    }

    #[test]
    fn mistakes_are_errors_at_start() {
        for pairs in [
            vec![("PARLEY_OAUTH_PROVIDERS", "corp")],
            vec![
                ("PARLEY_OAUTH_PROVIDERS", "corp"),
                ("PARLEY_OAUTH_CORP_CLIENT_ID", "id"),
                ("PARLEY_OAUTH_CORP_CLIENT_SECRET", "s"),
            ],
            vec![
                ("PARLEY_OAUTH_PROVIDERS", "github,github"),
                ("PARLEY_OAUTH_GITHUB_CLIENT_ID", "id"),
                ("PARLEY_OAUTH_GITHUB_CLIENT_SECRET", "s"),
            ],
            vec![("PARLEY_OAUTH_PROVIDERS", "bad/name")],
            vec![
                ("PARLEY_OAUTH_PROVIDERS", "corp"),
                ("PARLEY_OAUTH_CORP_CLIENT_ID", "id"),
                ("PARLEY_OAUTH_CORP_CLIENT_SECRET", "s"),
                ("PARLEY_OAUTH_CORP_ISSUER", "ftp://x"),
            ],
        ] {
            assert!(from_env(env(&pairs)).is_err(), "{pairs:?}");
        }
    }
}
