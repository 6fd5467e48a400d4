//! The support desk's use-cases: organizations and their agents, their
//! FAQ, and consultations (`consultations`, with its own access rules).
//!
//! Who may do what: anyone (signed in or not) may see an organization by
//! its slug, search the directory and read an FAQ; its agents (owners
//! included) see the agent list and manage the FAQ; its owners change the
//! organization and its agents. An organization is never hidden from
//! someone without a role (it is open by slug to all), so a missing role is
//! 403 `not_agent` / `not_org_owner`, not 404.

pub mod consultations;
pub mod faqs;
pub mod orgs;

use crate::state::AppState;
use parley_core::{AgentRole, Error, ErrorCode, Result, UserId};
use parley_store::support::OrgRecord;

/// The organization named by a path's slug (slugs are lower case, so the
/// lookup folds case), or 404.
pub(crate) async fn org_by_slug(state: &AppState, slug: &str) -> Result<OrgRecord> {
    state
        .store
        .org_by_slug(&slug.trim().to_lowercase())
        .await?
        .ok_or(Error::NotFound)
}

/// The caller's role in `org`, or 403 `not_agent`.
pub(crate) async fn require_agent(
    state: &AppState,
    org: &OrgRecord,
    me: UserId,
) -> Result<AgentRole> {
    state
        .store
        .role_of(org.id, me)
        .await?
        .ok_or(Error::Refused(ErrorCode::NotAgent))
}

/// Succeeds when the caller owns `org`, else 403 `not_org_owner`.
pub(crate) async fn require_owner(state: &AppState, org: &OrgRecord, me: UserId) -> Result<()> {
    match state.store.role_of(org.id, me).await? {
        Some(AgentRole::Owner) => Ok(()),
        _ => Err(Error::Refused(ErrorCode::NotOrgOwner)),
    }
}

/// Trims `raw` and checks it is `min..=max` characters with no control
/// characters (a newline is allowed when `multiline`).
pub(crate) fn parse_text(
    raw: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> std::result::Result<String, String> {
    let text = raw.trim();
    let len = text.chars().count();
    if len < min {
        return Err(if min == 1 {
            "must not be empty".to_owned()
        } else {
            format!("must be at least {min} characters")
        });
    }
    if len > max {
        return Err(format!("must be at most {max} characters"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err("must not contain control characters".to_owned());
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::parse_text;

    #[test]
    fn texts_are_trimmed_and_bounded_in_characters() {
        assert_eq!(parse_text("  hi ", 1, 5, false).as_deref(), Ok("hi"));
        assert!(parse_text("   ", 1, 5, false).is_err());
        assert_eq!(
            parse_text("안녕하세요", 1, 5, false).as_deref(),
            Ok("안녕하세요")
        );
        assert!(parse_text("안녕하세요!", 1, 5, false).is_err());
        assert!(parse_text("a\nb", 1, 5, false).is_err());
        assert_eq!(parse_text("a\nb", 1, 5, true).as_deref(), Ok("a\nb"));
        assert!(parse_text("a\u{0}b", 1, 5, true).is_err());
    }
}
