//! Configuration: command-line flags, `PARLEY_*` environment variables (a
//! `.env` file is loaded into the environment first), then an optional
//! `parley.toml`, then built-in defaults — in that order of precedence.
//! Everything is resolved once at start into a typed [`Config`].

use crate::client_ip::TrustedProxies;
use crate::http::web_client::{EmbeddedClient, WebClient};
use crate::media::config::{MediaConfig, MediaStore};
use crate::ratelimit::Limit;
use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The fully resolved configuration of one server process.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`.
    pub database_url: String,
    /// PostgreSQL schema to use (tests isolate themselves this way); `None` = default.
    pub database_schema: Option<String>,
    pub redis_url: Option<String>,
    /// Prefix of every Redis key and channel Parley uses.
    pub redis_prefix: String,
    /// The origin browsers use, e.g. `https://parley.example`. Decides the
    /// cookies' `Secure` flag, HSTS, the JWT issuer, and is always an allowed origin.
    pub public_url: String,
    /// Browser origins allowed to call the API with credentials (public URL included).
    pub allowed_origins: Vec<String>,
    pub trusted_proxies: TrustedProxies,
    pub rate_limits: RateLimits,
    /// Base64 secrets shared by every node; generated into `data_dir/keys` when absent.
    pub jwt_secret: Option<String>,
    pub cookie_secret: Option<String>,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub remember_token_ttl: Duration,
    /// Largest JSON request body accepted (bytes).
    pub max_json_body: usize,
    /// Largest Socket.IO message a client may send (bytes): one websocket
    /// message or frame, or one polling request body. Bigger ones close the
    /// connection.
    pub max_socket_message: usize,
    /// How often the realtime gateway checks that connected sockets' sessions
    /// are still live (expired or revoked ones are disconnected).
    pub realtime_sweep_interval: Duration,
    /// Uploads: storage, size and decoding limits, thumbnail workers.
    pub media: MediaConfig,
    /// The web client served at `/`: the one built into the binary unless
    /// `PARLEY_WEB_DIR` names a folder; `None` serves none (API-only, as in
    /// the API tests).
    pub web_client: WebClient,
    /// Sign-in providers (`PARLEY_OAUTH_*`, from the environment only:
    /// they carry secrets).
    pub oauth_providers: Vec<crate::oauth::config::ProviderConfig>,
    /// Account mail: an SMTP server (`smtp://` / `smtps://`), or `None` to
    /// write mail to the log.
    pub smtp_url: Option<String>,
    /// The sender of account mail.
    pub mail_from: String,
}

/// Every rate limit of docs/api.md, by name.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub enabled: bool,
    pub global: Limit,
    pub signin: Limit,
    pub signup: Limit,
    pub upload: Limit,
    pub message: Limit,
    pub report: Limit,
    pub open_api_free: Limit,
    pub open_api_premium: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        let l = |count, secs| Limit {
            count,
            window: Duration::from_secs(secs),
        };
        Self {
            enabled: true,
            global: l(600, 60),
            signin: l(10, 300),
            signup: l(10, 3600),
            upload: l(30, 1800),
            message: l(20, 10),
            report: l(10, 3600),
            open_api_free: l(60, 60),
            open_api_premium: l(1200, 60),
        }
    }
}

impl RateLimits {
    /// Overrides from `PARLEY_RATE_LIMIT_<NAME>`-style pairs (NAME lower- or upper-case).
    fn apply(&mut self, name: &str, value: &str) -> anyhow::Result<()> {
        let limit: Limit = value
            .parse()
            .map_err(|e| anyhow::anyhow!("rate limit {name}={value:?}: {e}"))?;
        let slot = match name.to_ascii_lowercase().as_str() {
            "global" => &mut self.global,
            "signin" => &mut self.signin,
            "signup" => &mut self.signup,
            "upload" => &mut self.upload,
            "message" => &mut self.message,
            "report" => &mut self.report,
            "open_api_free" => &mut self.open_api_free,
            "open_api_premium" => &mut self.open_api_premium,
            other => bail!("unknown rate limit name {other:?}"),
        };
        *slot = limit;
        Ok(())
    }
}

/// Settings given on the command line or through `PARLEY_*` variables
/// (clap reads both); `None` means "not given here".
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Overrides {
    /// Listen address.
    #[arg(long, env = "PARLEY_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Folder for the SQLite database, media and generated keys.
    #[arg(long, env = "PARLEY_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// `sqlite://...` (default: DATA_DIR/parley.db) or `postgres://...`.
    #[arg(long, env = "PARLEY_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Redis for shared rate limits and fan-out across nodes; unset = single node.
    #[arg(long, env = "PARLEY_REDIS_URL")]
    pub redis_url: Option<String>,
    /// Prefix of every Redis key and channel (default `parley`): several
    /// deployments can share one Redis; every node of one must use the same.
    #[arg(long, env = "PARLEY_REDIS_PREFIX")]
    pub redis_prefix: Option<String>,
    /// The origin browsers use (default: http://ADDR).
    #[arg(long, env = "PARLEY_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Extra allowed browser origins, comma-separated.
    #[arg(long, env = "PARLEY_ALLOWED_ORIGINS")]
    pub allowed_origins: Option<String>,
    /// Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed.
    #[arg(long, env = "PARLEY_TRUSTED_PROXIES")]
    pub trusted_proxies: Option<String>,
    /// `off` disables every rate limit (load tests).
    #[arg(long, env = "PARLEY_RATE_LIMITS")]
    pub rate_limits: Option<String>,
    /// Base64 JWT signing secret shared by all nodes (default: generated in DATA_DIR/keys).
    #[arg(long, env = "PARLEY_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Base64 cookie/CSRF secret shared by all nodes (default: generated in DATA_DIR/keys).
    #[arg(long, env = "PARLEY_COOKIE_SECRET", hide_env_values = true)]
    pub cookie_secret: Option<String>,
    /// Where media files go: `file://PATH` (default: DATA_DIR/media) or
    /// `s3://bucket/prefix` (credentials and endpoint from the AWS_* variables).
    #[arg(long, env = "PARLEY_MEDIA_URL")]
    pub media_url: Option<String>,
    /// Largest accepted upload in bytes (default 5 MiB).
    #[arg(long, env = "PARLEY_MAX_UPLOAD_BYTES")]
    pub max_upload_bytes: Option<u64>,
    /// Thumbnail jobs run at once on this node (default: cores - 1; 0 = none).
    #[arg(long, env = "PARLEY_MEDIA_WORKERS")]
    pub media_workers: Option<usize>,
    /// A built web client folder (`index.html` + `assets/`) to serve at `/`
    /// instead of the one built into the binary (for development).
    #[arg(long, env = "PARLEY_WEB_DIR")]
    pub web_dir: Option<PathBuf>,
    /// SMTP server for account mail (`smtp://user:pass@host:587`, `smtps://…`);
    /// unset: mail is written to the log.
    #[arg(long, env = "PARLEY_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of account mail (default `Parley <no-reply@HOST>` of the public URL).
    #[arg(long, env = "PARLEY_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Optional TOML file (keys as above in lower case, plus a `[rate_limits]` table).
    #[arg(long, env = "PARLEY_CONFIG", default_value = "parley.toml")]
    pub config: PathBuf,
}

/// Redis keys and channels start with this unless configured.
pub const DEFAULT_REDIS_PREFIX: &str = "parley";

/// The shape of `parley.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    redis_url: Option<String>,
    redis_prefix: Option<String>,
    public_url: Option<String>,
    allowed_origins: Option<Vec<String>>,
    trusted_proxies: Option<Vec<String>>,
    rate_limits_enabled: Option<bool>,
    #[serde(default)]
    rate_limits: HashMap<String, String>,
    jwt_secret: Option<String>,
    cookie_secret: Option<String>,
    media_url: Option<String>,
    max_upload_bytes: Option<u64>,
    media_workers: Option<usize>,
    web_dir: Option<PathBuf>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
}

impl Config {
    /// Resolves flags/environment over `parley.toml` over defaults.
    pub fn resolve(cli: Overrides) -> anyhow::Result<Self> {
        let file = read_file_config(&cli.config)?;
        let addr = cli
            .addr
            .or(file.addr)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let data_dir = cli
            .data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database_url = cli
            .database_url
            .or(file.database_url)
            .unwrap_or_else(|| default_sqlite_url(&data_dir));
        let public_url = normalize_origin(
            &cli.public_url
                .or(file.public_url)
                .unwrap_or_else(|| format!("http://{addr}")),
        )?;
        let mut extra_origins = file.allowed_origins.unwrap_or_default();
        if let Some(list) = &cli.allowed_origins {
            extra_origins = split_list(list);
        }
        let trusted = match (&cli.trusted_proxies, file.trusted_proxies) {
            (Some(list), _) => list.parse().map_err(anyhow::Error::msg)?,
            (None, Some(list)) => list.join(",").parse().map_err(anyhow::Error::msg)?,
            (None, None) => TrustedProxies::none(),
        };
        let mut rate_limits = RateLimits::default();
        for (name, value) in &file.rate_limits {
            rate_limits.apply(name, value)?;
        }
        for (key, value) in std::env::vars() {
            if let Some(name) = key.strip_prefix("PARLEY_RATE_LIMIT_") {
                rate_limits.apply(name, &value)?;
            }
        }
        rate_limits.enabled = match cli.rate_limits.as_deref().map(str::to_ascii_lowercase) {
            Some(v) if v == "off" || v == "false" || v == "0" => false,
            Some(v) if v == "on" || v == "true" || v == "1" => true,
            Some(v) => bail!("PARLEY_RATE_LIMITS must be on or off, not {v:?}"),
            None => file.rate_limits_enabled.unwrap_or(true),
        };
        let mut media = MediaConfig::defaults(&data_dir);
        if let Some(url) = cli.media_url.or(file.media_url) {
            media.store = MediaStore::parse(&url)?;
        }
        if let Some(max) = cli.max_upload_bytes.or(file.max_upload_bytes) {
            media.max_upload_bytes = max;
        }
        if let Some(workers) = cli.media_workers.or(file.media_workers) {
            media.workers = workers;
        }
        let mail_from = cli
            .mail_from
            .or(file.mail_from)
            .unwrap_or_else(|| default_mail_from(&public_url));
        let mut config = Self {
            addr,
            data_dir,
            media,
            database_url,
            database_schema: None,
            redis_url: cli.redis_url.or(file.redis_url),
            redis_prefix: cli
                .redis_prefix
                .or(file.redis_prefix)
                .unwrap_or_else(|| DEFAULT_REDIS_PREFIX.to_owned()),
            allowed_origins: Vec::new(),
            public_url,
            trusted_proxies: trusted,
            rate_limits,
            jwt_secret: cli.jwt_secret.or(file.jwt_secret),
            cookie_secret: cli.cookie_secret.or(file.cookie_secret),
            // A folder on disk only when asked for: the binary carries its
            // own client, so it does not depend on the working directory.
            web_client: match cli.web_dir.or(file.web_dir) {
                Some(dir) => WebClient::Dir(dir),
                None => WebClient::Embedded(EmbeddedClient::built()),
            },
            oauth_providers: crate::oauth::config::from_env(|k| std::env::var(k).ok())?,
            smtp_url: cli.smtp_url.or(file.smtp_url),
            mail_from,
            ..Self::defaults()
        };
        config.set_allowed_origins(&extra_origins)?;
        Ok(config)
    }

    /// A configuration for an isolated test server: a random port on
    /// 127.0.0.1, everything under `data_dir`, public URL `http://parley.test`.
    pub fn for_tests(data_dir: &Path) -> Self {
        let mut config = Self {
            data_dir: data_dir.to_owned(),
            database_url: default_sqlite_url(data_dir),
            media: MediaConfig::defaults(data_dir),
            ..Self::defaults()
        };
        config.public_url = "http://parley.test".into();
        config.allowed_origins = vec![config.public_url.clone()];
        config
    }

    fn defaults() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            database_schema: None,
            redis_url: None,
            redis_prefix: DEFAULT_REDIS_PREFIX.to_owned(),
            public_url: String::new(),
            allowed_origins: Vec::new(),
            trusted_proxies: TrustedProxies::none(),
            rate_limits: RateLimits::default(),
            jwt_secret: None,
            cookie_secret: None,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(24 * 3600),
            remember_token_ttl: Duration::from_secs(30 * 24 * 3600),
            max_json_body: 64 * 1024,
            max_socket_message: 64 * 1024,
            realtime_sweep_interval: Duration::from_secs(30),
            media: MediaConfig::defaults(Path::new("data")),
            web_client: WebClient::None,
            oauth_providers: Vec::new(),
            smtp_url: None,
            mail_from: "Parley <no-reply@localhost>".to_owned(),
        }
    }

    /// Allowed origins = the public URL + `extra`; a loopback public URL also
    /// allows its `localhost` / `127.0.0.1` twin, which browsers treat as distinct.
    fn set_allowed_origins(&mut self, extra: &[String]) -> anyhow::Result<()> {
        let mut origins = vec![self.public_url.clone()];
        for twin in [("127.0.0.1", "localhost"), ("localhost", "127.0.0.1")] {
            let (from, to) = twin;
            if let Some(rest) = self.public_url.strip_prefix(&format!("http://{from}")) {
                origins.push(format!("http://{to}{rest}"));
            }
        }
        for origin in extra {
            origins.push(normalize_origin(origin)?);
        }
        origins.dedup();
        self.allowed_origins = origins;
        Ok(())
    }

    /// Whether the public URL is https (Secure cookies, HSTS).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// `Parley <no-reply@HOST>` for the public URL's host (without its port).
fn default_mail_from(public_url: &str) -> String {
    let host = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest)
        .split(':')
        .next()
        .unwrap_or("localhost");
    format!("Parley <no-reply@{host}>")
}

fn default_sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("parley.db").display())
}

fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `scheme://host[:port]` with no path or trailing slash, lower-cased: the
/// exact form browsers send in `Origin`.
fn normalize_origin(raw: &str) -> anyhow::Result<String> {
    let url = raw.trim().trim_end_matches('/').to_ascii_lowercase();
    let Some((scheme, rest)) = url.split_once("://") else {
        bail!("origin {raw:?} must look like https://host[:port]");
    };
    if !(scheme == "http" || scheme == "https") || rest.is_empty() || rest.contains('/') {
        bail!("origin {raw:?} must look like https://host[:port] (no path)");
    }
    Ok(url)
}

fn read_file_config(path: &Path) -> anyhow::Result<FileConfig> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).with_context(|| format!("reading {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            normalize_origin("HTTPS://Example.com/").ok(),
            Some("https://example.com".into())
        );
        assert!(normalize_origin("example.com").is_err());
        assert!(normalize_origin("https://example.com/path").is_err());
        assert!(normalize_origin("ftp://example.com").is_err());
    }

    #[test]
    fn defaults_follow_the_issue() {
        let dir = PathBuf::from("/tmp/p");
        let cli = Overrides {
            config: dir.join("missing.toml"),
            data_dir: Some(dir.clone()),
            ..Default::default()
        };
        let c = Config::resolve(cli).expect("resolves");
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite:///tmp/p/parley.db");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert!(
            c.allowed_origins
                .contains(&"http://localhost:8080".to_owned())
        );
        assert!(!c.is_https());
        assert!(
            matches!(c.web_client, WebClient::Embedded(_)),
            "{:?}",
            c.web_client
        );
    }

    #[test]
    fn web_dir_serves_a_folder_instead_of_the_built_in_client() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cli = Overrides {
            config: dir.path().join("missing.toml"),
            data_dir: Some(dir.path().to_owned()),
            web_dir: Some(PathBuf::from("/srv/parley-web")),
            ..Default::default()
        };
        let c = Config::resolve(cli).expect("resolves");
        assert!(
            matches!(&c.web_client, WebClient::Dir(d) if d == Path::new("/srv/parley-web")),
            "{:?}",
            c.web_client
        );
    }

    #[test]
    fn toml_file_is_read_and_flags_win() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("parley.toml");
        std::fs::write(
            &path,
            "addr = \"127.0.0.1:9000\"\npublic_url = \"https://chat.example\"\n[rate_limits]\nsignup = \"3/60s\"\n",
        )
        .expect("write");
        let cli = Overrides {
            config: path.clone(),
            ..Default::default()
        };
        let c = Config::resolve(cli).expect("resolves");
        assert_eq!(c.addr.port(), 9000);
        assert!(c.is_https());
        assert_eq!(c.rate_limits.signup.count, 3);
        let cli = Overrides {
            config: path,
            addr: Some("127.0.0.1:7000".parse().expect("addr")),
            ..Default::default()
        };
        assert_eq!(Config::resolve(cli).expect("resolves").addr.port(), 7000);
    }

    #[test]
    fn bad_toml_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("parley.toml");
        std::fs::write(&path, "no_such_key = 1\n").expect("write");
        assert!(
            Config::resolve(Overrides {
                config: path,
                ..Default::default()
            })
            .is_err()
        );
    }
}
