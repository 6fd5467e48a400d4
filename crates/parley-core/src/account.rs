//! Account values and their rules: usernames, emails, passwords and profile
//! text. Each type can only be built through `parse`, so holding one proves the
//! value already passed its rules (parse, don't validate).

use std::collections::HashSet;
use std::sync::OnceLock;

/// 3–30 of `[a-z0-9_]`. Input is lower-cased first: usernames are unique
/// case-insensitively, and the stored form is the canonical one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim().to_lowercase();
        let len = name.chars().count();
        if !(3..=30).contains(&len) {
            return Err("must be 3 to 30 characters".into());
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err("may contain only letters a-z, digits and _".into());
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An email address, lower-cased. Deliberately permissive (RFC 5322 is not a
/// useful validator): one `@`, a non-empty local part, a dotted domain, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        let invalid = || Err("must be a valid email address".to_owned());
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return invalid();
        }
        let Some((local, domain)) = email.split_once('@') else {
            return invalid();
        };
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return invalid();
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A new password: 8–128 characters and not one of the well-known common ones.
/// Never logged, never stored: only its Argon2id hash is.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

impl NewPassword {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let len = raw.chars().count();
        if len < Self::MIN_CHARS {
            return Err(format!("must be at least {} characters", Self::MIN_CHARS));
        }
        if len > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters", Self::MAX_CHARS));
        }
        if is_common_password(raw) {
            return Err("is too common; choose a less guessable password".into());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Whether `password` (compared case-insensitively) is on the common-password
/// list shipped with Parley (see `common_passwords.NOTICE`).
pub fn is_common_password(password: &str) -> bool {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        include_str!("common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    });
    list.contains(password.to_lowercase().as_str())
}

/// Free profile text: trimmed, at most `max` characters, no control characters
/// (newlines allowed only where `multiline`).
fn profile_text(raw: &str, max: usize, multiline: bool) -> Result<String, String> {
    let text = raw.trim();
    if text.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !(multiline && c == '\n'))
    {
        return Err("must not contain control characters".into());
    }
    Ok(text.to_owned())
}

/// Display name: 1–50 characters once trimmed.
pub fn parse_display_name(raw: &str) -> Result<String, String> {
    let name = profile_text(raw, 50, false)?;
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    Ok(name)
}

/// Bio: up to 300 characters, may span lines.
pub fn parse_bio(raw: &str) -> Result<String, String> {
    profile_text(raw, 300, true)
}

/// Status message: up to 100 characters on one line.
pub fn parse_status_message(raw: &str) -> Result<String, String> {
    profile_text(raw, 100, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(
            Username::parse("Alice_1").map(|u| u.into_inner()),
            Ok("alice_1".into())
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse(&"a".repeat(31)).is_err());
        assert!(Username::parse(&"a".repeat(30)).is_ok());
        assert!(Username::parse("bad-name").is_err());
        assert!(Username::parse("안녕하세요").is_err());
        assert!(Username::parse("a b c").is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Alice@Example.COM ").map(|e| e.into_inner()),
            Ok("alice@example.com".into())
        );
        for bad in [
            "",
            "alice",
            "alice@",
            "@example.com",
            "a@b",
            "a b@c.d",
            "a@b@c.d",
            "a@.com",
            "a@b..c",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn passwords() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
        assert!(
            NewPassword::parse(&"한".repeat(8)).is_ok(),
            "length counts characters"
        );
        for common in ["password", "12345678", "Password", "PASSWORD1", "iloveyou"] {
            assert!(NewPassword::parse(common).is_err(), "{common} is common");
        }
        assert!(NewPassword::parse("correct horse battery staple").is_ok());
        assert_eq!(
            format!("{:?}", NewPassword::parse("correct horse battery staple")),
            "Ok(NewPassword(<redacted>))"
        );
    }

    #[test]
    fn profile_fields() {
        assert_eq!(parse_display_name("  Alice  "), Ok("Alice".into()));
        assert!(parse_display_name("   ").is_err());
        assert!(parse_display_name(&"가".repeat(51)).is_err());
        assert!(parse_display_name("a\u{0}b").is_err());
        assert!(parse_bio("line one\nline two").is_ok());
        assert!(parse_status_message("line one\nline two").is_err());
        assert!(parse_bio(&"x".repeat(301)).is_err());
        assert_eq!(parse_bio(""), Ok(String::new()));
    }
}
