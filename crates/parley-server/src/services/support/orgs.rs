//! Organizations and their agents: creation (the creator becomes the
//! owner), the directory, details with the viewer's role, changes by an
//! owner, and the agent list, additions and removals.

use super::{consultations, org_by_slug, parse_text, require_agent, require_owner};
use crate::delivery::{Effect, Outcome, Room};
use crate::protocol::views::{Agent, Organization};
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::{
    AgentRole, Error, ErrorCode, FieldErrors, OrgId, OrgVisibility, Result, Timestamp, UserId,
};
use parley_store::support::{NewOrg, OrgChanges, OrgRecord, RemoveAgent};
use std::collections::HashMap;

pub const NAME_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 1000;
/// The longest directory query.
pub const QUERY_MAX: usize = 100;

/// A slug: 3–30 of `[a-z0-9-]` (surrounding spaces are trimmed; capitals
/// are refused, not folded, so the slug shown is the slug typed).
pub fn parse_slug(raw: &str) -> std::result::Result<String, String> {
    let slug = raw.trim();
    let len = slug.chars().count();
    if !(3..=30).contains(&len) {
        return Err("must be 3–30 characters".to_owned());
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err("may only contain a-z, 0-9 and '-'".to_owned());
    }
    Ok(slug.to_owned())
}

pub fn parse_name(raw: &str) -> std::result::Result<String, String> {
    parse_text(raw, 1, NAME_MAX, false)
}

pub fn parse_description(raw: &str) -> std::result::Result<String, String> {
    parse_text(raw, 0, DESCRIPTION_MAX, true)
}

/// What `POST /orgs` asks for, unchecked.
#[derive(Debug, Clone)]
pub struct OrgDraft {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub visibility: Option<OrgVisibility>,
}

/// What `PATCH /orgs/{slug}` asks for, unchecked; `None` leaves a field.
#[derive(Debug, Clone, Default)]
pub struct OrgEdit {
    pub name: Option<String>,
    pub description: Option<String>,
    pub visibility: Option<OrgVisibility>,
    pub auto_assign: Option<bool>,
    /// `Some(None)` removes the limit.
    pub agent_capacity: Option<Option<i64>>,
}

/// Creates an organization owned by `me`; all fields are checked first and
/// every problem reported at once. A taken slug is 409 `slug_taken`.
pub async fn create(
    state: &AppState,
    me: UserId,
    draft: OrgDraft,
) -> Result<Outcome<Organization>> {
    let mut errors = FieldErrors::new();
    let slug = errors.check("slug", parse_slug(&draft.slug));
    let name = errors.check("name", parse_name(&draft.name));
    let description = errors.check(
        "description",
        parse_description(draft.description.as_deref().unwrap_or("")),
    );
    errors.finish()?;
    let (Some(slug), Some(name), Some(description)) = (slug, name, description) else {
        return Err(Error::internal("checked fields missing"));
    };
    let record = state
        .store
        .create_org(&NewOrg {
            id: OrgId::new(),
            slug,
            name,
            description,
            visibility: draft.visibility.unwrap_or(OrgVisibility::Public),
            owner: me,
            created_at: Timestamp::now(),
        })
        .await?;
    // The owner's sockets hear the new organization's queue from now on.
    let join = Effect::Join {
        users: vec![me],
        room: Room::OrgAgents(record.id),
    };
    Ok(Outcome::new(
        Organization::from_record(&record, Some(AgentRole::Owner)),
        vec![join],
    ))
}

/// The organization `slug`, if `me` owns it (403 `not_org_owner`), before
/// an upload is read.
pub async fn owned(state: &AppState, slug: &str, me: UserId) -> Result<OrgRecord> {
    let org = org_by_slug(state, slug).await?;
    require_owner(state, &org, me).await?;
    Ok(org)
}

/// Replaces the avatar of `org` (which `me` owns, see [`owned`]) with a
/// square crop of `data`.
pub async fn set_avatar(
    state: &AppState,
    org: &OrgRecord,
    me: UserId,
    data: Vec<u8>,
) -> Result<Organization> {
    if !crate::services::media::set_org_avatar(state, org.id, me, data).await? {
        return Err(Error::NotFound);
    }
    get(state, &org.slug, Some(me)).await
}

/// Removes the organization's avatar; owners only.
pub async fn clear_avatar(state: &AppState, slug: &str, me: UserId) -> Result<Organization> {
    let org = owned(state, slug, me).await?;
    state.store.clear_org_avatar(org.id).await?;
    state.media.sweep_soon();
    get(state, &org.slug, Some(me)).await
}

/// The organization by slug (hidden ones too), with the viewer's role.
pub async fn get(state: &AppState, slug: &str, viewer: Option<UserId>) -> Result<Organization> {
    let org = org_by_slug(state, slug).await?;
    let role = match viewer {
        Some(me) => state.store.role_of(org.id, me).await?,
        None => None,
    };
    Ok(Organization::from_record(&org, role))
}

/// Public organizations whose name or slug contains `q` (case-insensitive,
/// any script), oldest first; an empty `q` lists them all.
pub async fn directory(
    state: &AppState,
    q: &str,
    viewer: Option<UserId>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Organization>> {
    let q = q.trim();
    if q.chars().count() > QUERY_MAX {
        return Err(Error::validation(
            "q",
            format!("must be at most {QUERY_MAX} characters"),
        ));
    }
    let rows = state.store.search_orgs(q, cursor, limit).await?;
    // The viewer's roles in one query, not one per organization.
    let roles: HashMap<OrgId, AgentRole> = match viewer {
        Some(me) => state.store.orgs_of_agent(me).await?.into_iter().collect(),
        None => HashMap::new(),
    };
    Ok(Page::from_overfetch(rows, limit, |r| Cursor {
        at: r.created_at,
        id: r.id.0,
    })
    .map(|r| Organization::from_record(&r, roles.get(&r.id).copied())))
}

/// Changes the organization; owners only. `agent_capacity` is ≥ 1 or null.
pub async fn update(
    state: &AppState,
    slug: &str,
    me: UserId,
    edit: OrgEdit,
) -> Result<Organization> {
    let org = org_by_slug(state, slug).await?;
    require_owner(state, &org, me).await?;
    let mut errors = FieldErrors::new();
    let name = edit
        .name
        .as_deref()
        .and_then(|n| errors.check("name", parse_name(n)));
    let description = edit
        .description
        .as_deref()
        .and_then(|d| errors.check("description", parse_description(d)));
    if let Some(Some(capacity)) = edit.agent_capacity
        && capacity < 1
    {
        errors.add(
            "agent_capacity",
            "must be at least 1 (or null for no limit)",
        );
    }
    errors.finish()?;
    let changes = OrgChanges {
        name,
        description,
        visibility: edit.visibility,
        auto_assign: edit.auto_assign,
        agent_capacity: edit.agent_capacity,
    };
    let record = state
        .store
        .update_org(org.id, &changes)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Organization::from_record(&record, Some(AgentRole::Owner)))
}

/// The agents, owners first, then by username; agents only.
pub async fn agents(state: &AppState, slug: &str, me: UserId) -> Result<Vec<Agent>> {
    let org = org_by_slug(state, slug).await?;
    require_agent(state, &org, me).await?;
    Ok(state
        .store
        .agents_of(org.id)
        .await?
        .iter()
        .map(Agent::from_record)
        .collect())
}

/// Makes `username` an agent with `role`; owners only. Someone who is an
/// agent already is 409 `already_agent` (their role is left as it is).
pub async fn add_agent(
    state: &AppState,
    slug: &str,
    me: UserId,
    username: &str,
    role: AgentRole,
) -> Result<Outcome<Agent>> {
    let org = org_by_slug(state, slug).await?;
    require_owner(state, &org, me).await?;
    let user = state
        .store
        .user_by_username(&username.trim().to_lowercase())
        .await?
        .ok_or_else(|| Error::validation("username", format!("no user named {username:?}")))?;
    if !state
        .store
        .add_agent(org.id, user.user_id(), role, Timestamp::now())
        .await?
    {
        return Err(Error::Refused(ErrorCode::AlreadyAgent));
    }
    let agent = state
        .store
        .agents_of(org.id)
        .await?
        .iter()
        .find(|a| a.user_id == user.user_id())
        .map(Agent::from_record)
        .ok_or(Error::internal("agent vanished after insert"))?;
    let join = Effect::Join {
        users: vec![user.user_id()],
        room: Room::OrgAgents(org.id),
    };
    Ok(Outcome::new(agent, vec![join]))
}

/// Removes `username` from the agents: an owner may remove anyone, an agent
/// only themselves (leaving). The last owner cannot go (409 `last_owner`);
/// someone who is not an agent is 404. Their sockets leave the agents'
/// room, and the consultations they had go back to the queue, announced.
pub async fn remove_agent(
    state: &AppState,
    slug: &str,
    me: UserId,
    username: &str,
) -> Result<Outcome<()>> {
    let org = org_by_slug(state, slug).await?;
    let my_role = require_agent(state, &org, me).await?;
    let user = state
        .store
        .user_by_username(&username.trim().to_lowercase())
        .await?
        .ok_or(Error::NotFound)?;
    if user.user_id() != me && my_role != AgentRole::Owner {
        return Err(Error::Refused(ErrorCode::NotOrgOwner));
    }
    let requeued = match state.store.remove_agent(org.id, user.user_id()).await? {
        RemoveAgent::Removed(requeued) => requeued,
        RemoveAgent::LastOwner => return Err(Error::Refused(ErrorCode::LastOwner)),
        RemoveAgent::NotAgent => return Err(Error::NotFound),
    };
    let mut effects = vec![Effect::Leave {
        users: vec![user.user_id()],
        room: Room::OrgAgents(org.id),
    }];
    for id in requeued {
        if let Some(consultation) = state.store.consultation_by_id(id).await? {
            effects.extend(consultations::announce(state, &consultation).await?);
        }
    }
    Ok(Outcome::new((), effects))
}

#[cfg(test)]
mod tests {
    use super::parse_slug;

    #[test]
    fn slugs_are_3_to_30_of_lowercase_digits_and_dashes() {
        assert_eq!(parse_slug(" acme-2 ").as_deref(), Ok("acme-2"));
        assert!(parse_slug("ab").is_err());
        assert!(parse_slug(&"a".repeat(30)).is_ok());
        assert!(parse_slug(&"a".repeat(31)).is_err());
        assert!(parse_slug("Acme").is_err());
        assert!(parse_slug("ac_me").is_err());
        assert!(parse_slug("고객센터").is_err());
    }
}
