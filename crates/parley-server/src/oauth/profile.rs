//! The person a provider vouched for, whatever the provider, and the
//! username a first sign-in gives them.

use rand::Rng;

/// What a provider says about the person who just signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The provider's stable id of the person.
    pub subject: String,
    /// A display name (`name`, nickname).
    pub name: Option<String>,
    /// A handle the person chose there (`preferred_username`, GitHub's `login`).
    pub username_hint: Option<String>,
    pub email: Option<String>,
    /// Whether the provider says it checked the e-mail. Only ever used to
    /// copy the address into a new account, never to link one.
    pub email_verified: bool,
}

impl Profile {
    /// Usernames to try for a new account, best first: the handle, the name,
    /// the e-mail's local part, then the provider's name; each reduced to
    /// `[a-z0-9_]`, then with random numbers when taken.
    pub fn username_candidates(&self, provider: &str) -> Vec<String> {
        let local = self.email.as_deref().and_then(|e| e.split('@').next());
        let base = [self.username_hint.as_deref(), self.name.as_deref(), local]
            .into_iter()
            .flatten()
            .map(reduce)
            .find(|b| b.len() >= 3)
            .unwrap_or_else(|| format!("{}_user", reduce(provider)));
        let mut rng = rand::rng();
        let stem: String = base.chars().take(24).collect();
        let mut candidates = vec![base];
        candidates.extend((0..8).map(|_| format!("{stem}_{}", rng.random_range(100..100_000))));
        candidates
    }

    /// The display name of a new account (1-50 characters).
    pub fn display_name(&self, username: &str) -> String {
        self.name
            .as_deref()
            .map(|n| n.chars().take(50).collect::<String>())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| username.to_owned())
    }
}

/// Lower-case ASCII letters, digits and `_` (others become `_`, runs
/// collapse), at most 30 characters, no `_` at either end.
fn reduce(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '_'
        };
        if !(c == '_' && (out.is_empty() || out.ends_with('_'))) {
            out.push(c);
        }
        if out.len() == 30 {
            break;
        }
    }
    out.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(hint: Option<&str>, name: Option<&str>, email: Option<&str>) -> Profile {
        Profile {
            subject: "s".into(),
            name: name.map(str::to_owned),
            username_hint: hint.map(str::to_owned),
            email: email.map(str::to_owned),
            email_verified: false,
        }
    }

    #[test]
    fn the_handle_comes_first_then_the_name_then_the_mail() {
        let c = profile(Some("Octo-Cat"), Some("The Octocat"), None).username_candidates("github");
        assert_eq!(c[0], "octo_cat");
        let c = profile(None, Some("Jane Q. Doe"), None).username_candidates("corp");
        assert_eq!(c[0], "jane_q_doe");
        let c =
            profile(None, Some("김철수"), Some("chulsoo.kim@x.test")).username_candidates("kakao");
        assert_eq!(c[0], "chulsoo_kim", "a Hangul name reduces to nothing");
    }

    #[test]
    fn with_nothing_usable_the_provider_names_the_account() {
        let c = profile(None, Some("라이언"), None).username_candidates("kakao");
        assert_eq!(c[0], "kakao_user");
    }

    #[test]
    fn every_candidate_is_a_valid_username() {
        let long = "a".repeat(80);
        for p in [
            profile(Some(&long), None, None),
            profile(Some("__x__y__"), None, None),
            profile(None, None, None),
        ] {
            for c in p.username_candidates("github") {
                assert!(
                    parley_core::account::Username::parse(&c).is_ok(),
                    "{c:?} is not a valid username"
                );
            }
        }
    }
}
