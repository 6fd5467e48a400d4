//! Server secrets: the JWT signing key and the cookie key (from which the
//! CSRF key is derived). Given through configuration when several nodes must
//! share them; otherwise generated on first start and kept in
//! `DATA_DIR/keys/` with mode 0600, so tokens survive a restart.

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// 512-bit secrets: twice HS256's block-size floor, and cheap.
const KEY_LEN: usize = 64;

#[derive(Clone)]
pub struct Keys {
    pub jwt: Vec<u8>,
    pub cookie: Vec<u8>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

impl Keys {
    pub fn load_or_generate(
        data_dir: &Path,
        jwt_secret: Option<&str>,
        cookie_secret: Option<&str>,
    ) -> anyhow::Result<Self> {
        let dir = data_dir.join("keys");
        Ok(Self {
            jwt: from_config_or_file(jwt_secret, &dir.join("jwt.key"), "PARLEY_JWT_SECRET")?,
            cookie: from_config_or_file(
                cookie_secret,
                &dir.join("cookie.key"),
                "PARLEY_COOKIE_SECRET",
            )?,
        })
    }
}

fn from_config_or_file(
    configured: Option<&str>,
    path: &Path,
    name: &str,
) -> anyhow::Result<Vec<u8>> {
    if let Some(b64) = configured {
        let key = STANDARD
            .decode(b64.trim())
            .with_context(|| format!("{name} must be base64"))?;
        if key.len() < 32 {
            bail!("{name} must decode to at least 32 bytes");
        }
        return Ok(key);
    }
    load_or_create(path)
}

/// Reads the key file, or creates it atomically (create_new: two processes
/// starting together cannot both write different keys) with mode 0600.
fn load_or_create(path: &Path) -> anyhow::Result<Vec<u8>> {
    match std::fs::read(path) {
        Ok(key) if key.len() >= 32 => {
            warn_if_readable_by_others(path);
            return Ok(key);
        }
        Ok(_) => bail!(
            "{} is too short to be a key; remove it to regenerate",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    let mut key = vec![0u8; KEY_LEN];
    rand::rng().fill_bytes(&mut key);
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path);
    match created {
        Ok(mut file) => {
            file.write_all(&key)?;
            file.sync_all()?;
            tracing::info!(path = %path.display(), "generated a new secret key");
            Ok(key)
        }
        // Another process won the race: use its key.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(std::fs::read(path)?),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

fn warn_if_readable_by_others(path: &Path) {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "secret key file is readable by other users; chmod 600 it");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_then_reused_with_mode_0600() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = Keys::load_or_generate(dir.path(), None, None).expect("generate");
        let b = Keys::load_or_generate(dir.path(), None, None).expect("reload");
        assert_eq!(a.jwt, b.jwt);
        assert_eq!(a.cookie, b.cookie);
        assert_ne!(a.jwt, a.cookie);
        let mode = std::fs::metadata(dir.path().join("keys/jwt.key"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn configured_secrets_win_and_are_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let secret = STANDARD.encode([7u8; 32]);
        let k =
            Keys::load_or_generate(dir.path(), Some(&secret), Some(&secret)).expect("configured");
        assert_eq!(k.jwt, vec![7u8; 32]);
        assert!(!dir.path().join("keys/jwt.key").exists());
        assert!(Keys::load_or_generate(dir.path(), Some("c2hvcnQ="), None).is_err());
        assert!(Keys::load_or_generate(dir.path(), Some("not base64!"), None).is_err());
    }
}
