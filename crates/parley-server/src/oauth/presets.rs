//! The built-in providers and what each really does: its public endpoints,
//! scopes, and the shape of its user-info answer (Kakao nests the account,
//! Naver wraps it in `response`, GitHub's e-mail needs a second call).

use super::profile::Profile;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Kakao,
    Naver,
    Google,
    GitHub,
}

/// A preset's public endpoints.
pub struct Endpoints {
    pub auth: &'static str,
    pub token: &'static str,
    pub userinfo: &'static str,
}

impl Preset {
    /// The preset a provider name means, if any.
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "kakao" => Some(Self::Kakao),
            "naver" => Some(Self::Naver),
            "google" => Some(Self::Google),
            "github" => Some(Self::GitHub),
            _ => None,
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Self::Kakao => "Kakao",
            Self::Naver => "Naver",
            Self::Google => "Google",
            Self::GitHub => "GitHub",
        }
    }

    pub fn endpoints(self) -> Endpoints {
        match self {
            Self::Kakao => Endpoints {
                auth: "https://kauth.kakao.com/oauth/authorize",
                token: "https://kauth.kakao.com/oauth/token",
                userinfo: "https://kapi.kakao.com/v2/user/me",
            },
            Self::Naver => Endpoints {
                auth: "https://nid.naver.com/oauth2.0/authorize",
                token: "https://nid.naver.com/oauth2.0/token",
                userinfo: "https://openapi.naver.com/v1/nid/me",
            },
            Self::Google => Endpoints {
                auth: "https://accounts.google.com/o/oauth2/v2/auth",
                token: "https://oauth2.googleapis.com/token",
                userinfo: "https://openidconnect.googleapis.com/v1/userinfo",
            },
            Self::GitHub => Endpoints {
                auth: "https://github.com/login/oauth/authorize",
                token: "https://github.com/login/oauth/access_token",
                userinfo: "https://api.github.com/user",
            },
        }
    }

    /// The scopes that give a stable id, a name and an e-mail.
    pub fn scopes(self) -> &'static [&'static str] {
        match self {
            Self::Kakao => &["profile_nickname", "account_email"],
            // Naver grants what the application registered; it takes no scope.
            Self::Naver => &[],
            Self::Google => &["openid", "email", "profile"],
            Self::GitHub => &["read:user", "user:email"],
        }
    }

    /// Where GitHub lists the user's addresses (with `verified`): beside
    /// the user endpoint, so one override moves both.
    pub fn emails_url(self, userinfo_url: &str) -> Option<String> {
        (self == Self::GitHub).then(|| format!("{userinfo_url}/emails"))
    }

    /// The person in a user-info answer (and, for GitHub, its e-mail list).
    pub fn profile(self, info: &Value, emails: Option<&Value>) -> Option<Profile> {
        match self {
            Self::Kakao => {
                let account = info.get("kakao_account");
                let nickname = account
                    .and_then(|a| a.pointer("/profile/nickname"))
                    .or_else(|| info.pointer("/properties/nickname"));
                let verified = account
                    .map(|a| flag(a, "is_email_verified") && flag(a, "is_email_valid"))
                    .unwrap_or(false);
                Some(Profile {
                    subject: id_text(info.get("id")?)?,
                    name: text(nickname),
                    username_hint: None,
                    email: text(account.and_then(|a| a.get("email"))),
                    email_verified: verified,
                })
            }
            Self::Naver => {
                if info.get("resultcode").and_then(Value::as_str) != Some("00") {
                    return None;
                }
                let person = info.get("response")?;
                Some(Profile {
                    subject: id_text(person.get("id")?)?,
                    name: text(person.get("nickname")).or_else(|| text(person.get("name"))),
                    username_hint: None,
                    // Naver says nothing of verification: not trusted.
                    email: text(person.get("email")),
                    email_verified: false,
                })
            }
            Self::Google => Some(Profile {
                subject: id_text(info.get("sub")?)?,
                name: text(info.get("name")),
                username_hint: text(info.get("preferred_username")),
                email: text(info.get("email")),
                email_verified: flag(info, "email_verified"),
            }),
            Self::GitHub => {
                let primary = emails
                    .and_then(Value::as_array)
                    .and_then(|list| list.iter().find(|e| flag(e, "primary")));
                Some(Profile {
                    subject: id_text(info.get("id")?)?,
                    name: text(info.get("name")),
                    username_hint: text(info.get("login")),
                    email: primary.and_then(|e| text(e.get("email"))),
                    email_verified: primary.is_some_and(|e| flag(e, "verified")),
                })
            }
        }
    }
}

/// A non-empty string field.
fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// An id given as a string or a number (Kakao and GitHub use numbers).
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() && s.len() <= 255 => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A boolean field that is true (a string "true" counts, as some send it).
fn flag(v: &Value, key: &str) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kakao_nests_the_account_and_uses_numeric_ids() {
        let info = json!({"id": 1234567890u64, "kakao_account": {
            "profile": {"nickname": "라이언"}, "email": "r@kakao.test",
            "is_email_valid": true, "is_email_verified": true}});
        let p = Preset::Kakao.profile(&info, None).expect("profile");
        assert_eq!(
            (p.subject.as_str(), p.name.as_deref()),
            ("1234567890", Some("라이언"))
        );
        assert!(p.email_verified);
    }

    #[test]
    fn naver_wraps_the_person_and_its_failures_are_none() {
        let ok = json!({"resultcode": "00", "message": "success",
            "response": {"id": "abc", "nickname": "네이버", "email": "n@naver.test"}});
        let p = Preset::Naver.profile(&ok, None).expect("profile");
        assert_eq!(p.subject, "abc");
        assert!(
            !p.email_verified,
            "naver's e-mail is never trusted as verified"
        );
        let failed = json!({"resultcode": "024", "message": "Authentication failed"});
        assert!(Preset::Naver.profile(&failed, None).is_none());
    }

    #[test]
    fn github_takes_the_primary_address_from_the_second_call() {
        let info = json!({"id": 42, "login": "octocat", "name": null, "email": null});
        let emails = json!([{"email": "o@other.test", "primary": false, "verified": true},
            {"email": "o@gh.test", "primary": true, "verified": true}]);
        let p = Preset::GitHub
            .profile(&info, Some(&emails))
            .expect("profile");
        assert_eq!(p.subject, "42");
        assert_eq!(p.username_hint.as_deref(), Some("octocat"));
        assert_eq!(p.email.as_deref(), Some("o@gh.test"));
        assert!(p.email_verified);
        assert_eq!(
            Preset::GitHub
                .emails_url("https://api.github.com/user")
                .as_deref(),
            Some("https://api.github.com/user/emails")
        );
    }

    #[test]
    fn an_answer_without_an_id_is_no_one() {
        assert!(
            Preset::Google
                .profile(&json!({"email": "x@y.z"}), None)
                .is_none()
        );
        assert!(Preset::GitHub.profile(&json!({"id": []}), None).is_none());
    }
}
