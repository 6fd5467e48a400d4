//! Organizations: creation (with the owner as their first agent, in one
//! transaction), lookups, changes, avatars, the directory search and
//! deletion.
//!
//! The directory pages by id (UUIDv7, so oldest first): a cursor must be a
//! timestamp and an id, and a name is neither.

use crate::error::unique_violation;
use crate::media::NewMedia;
use crate::pool::with_pool;
use crate::support::{contains_pattern, search_key};
use crate::{Store, StoreError};
use parley_core::page::Cursor;
use parley_core::{ErrorCode, OrgId, OrgVisibility, Timestamp, UserId};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub description: String,
    #[sqlx(try_from = "String")]
    pub visibility: OrgVisibility,
    pub avatar_key: Option<String>,
    pub auto_assign: bool,
    pub agent_capacity: Option<i64>,
    pub created_at: i64,
}

/// What creating an organization stores; values arrive validated.
#[derive(Debug, Clone)]
pub struct NewOrg {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub visibility: OrgVisibility,
    /// Becomes the organization's first agent, with the `owner` role.
    pub owner: UserId,
    pub created_at: Timestamp,
}

/// A partial update: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct OrgChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub visibility: Option<OrgVisibility>,
    pub auto_assign: Option<bool>,
    /// `Some(None)` removes the limit.
    pub agent_capacity: Option<Option<i64>>,
}

macro_rules! select_org {
    ($tail:literal) => {
        concat!(
            "SELECT id, slug, name, description, visibility, avatar_key, auto_assign, ",
            "agent_capacity, created_at FROM organizations ",
            $tail
        )
    };
}

impl Store {
    /// Creates the organization and makes `owner` its owner, both or neither.
    /// A taken slug is `Conflict(SlugTaken)`, decided by the unique
    /// constraint (no check-then-insert race), and stores nothing.
    pub async fn create_org(&self, new: &NewOrg) -> Result<OrgRecord, StoreError> {
        let at = new.created_at.as_millis();
        let inserted: Result<(), sqlx::Error> = with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                sqlx::query(
                    "INSERT INTO organizations (id, slug, name, name_key, description, visibility, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(new.id.0)
                .bind(&new.slug)
                .bind(&new.name)
                .bind(search_key(&new.name))
                .bind(&new.description)
                .bind(new.visibility.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO org_agents (org_id, user_id, role, created_at) VALUES ($1, $2, 'owner', $3)",
                )
                .bind(new.id.0)
                .bind(new.owner.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await
            }
            .await
        });
        if let Err(e) = inserted {
            return Err(match unique_violation(&e) {
                Some(which) if which.contains("slug") => StoreError::Conflict(ErrorCode::SlugTaken),
                _ => e.into(),
            });
        }
        self.org_by_id(new.id)
            .await?
            .ok_or(StoreError::Invariant("organization vanished after insert"))
    }

    pub async fn org_by_id(&self, id: OrgId) -> Result<Option<OrgRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, OrgRecord>(select_org!("WHERE id = $1"))
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Hidden organizations are found here too: they are only left out of
    /// the directory search.
    pub async fn org_by_slug(&self, slug: &str) -> Result<Option<OrgRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, OrgRecord>(select_org!("WHERE slug = $1"))
                .bind(slug)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Applies the fields present in `changes`; `None` if there is no such
    /// organization.
    pub async fn update_org(
        &self,
        id: OrgId,
        changes: &OrgChanges,
    ) -> Result<Option<OrgRecord>, StoreError> {
        let (set_capacity, capacity) = match changes.agent_capacity {
            Some(c) => (true, c),
            None => (false, None),
        };
        with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE organizations SET name = COALESCE($2, name), name_key = COALESCE($3, name_key), \
                 description = COALESCE($4, description), visibility = COALESCE($5, visibility), \
                 auto_assign = COALESCE($6, auto_assign), \
                 agent_capacity = CASE WHEN $7 THEN $8 ELSE agent_capacity END WHERE id = $1",
            )
            .bind(id.0)
            .bind(changes.name.as_deref())
            .bind(changes.name.as_deref().map(search_key))
            .bind(changes.description.as_deref())
            .bind(changes.visibility.map(|v| v.as_str()))
            .bind(changes.auto_assign)
            .bind(set_capacity)
            .bind(capacity)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.org_by_id(id).await
    }

    /// Makes `avatar` (a processed upload by one of its owners) the
    /// organization's avatar, in one transaction: the media row is recorded
    /// as its avatar, the previous one becomes garbage, and `avatar_key`
    /// points at the new file. False (nothing stored) if there is no such
    /// organization.
    pub async fn set_org_avatar(&self, org: OrgId, avatar: &NewMedia) -> Result<bool, StoreError> {
        let at = avatar.created_at.as_millis();
        Ok(with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let found = sqlx::query("UPDATE organizations SET avatar_key = $2 WHERE id = $1")
                    .bind(org.0)
                    .bind(&avatar.original_key)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if found == 0 {
                    tx.rollback().await?;
                    return Ok::<_, sqlx::Error>(false);
                }
                sqlx::query("UPDATE media SET org_avatar_of = NULL WHERE org_avatar_of = $1")
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO media (id, owner_id, content_type, original_key, thumbnail_key, \
                     width, height, size_bytes, status, org_avatar_of, attached_at, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ready', $9, $10, $10)",
                )
                .bind(avatar.id.0)
                .bind(avatar.owner_id.0)
                .bind(&avatar.content_type)
                .bind(&avatar.original_key)
                .bind(&avatar.thumbnail_key)
                .bind(i64::from(avatar.width))
                .bind(i64::from(avatar.height))
                .bind(i64::try_from(avatar.size_bytes).unwrap_or(i64::MAX))
                .bind(org.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }
            .await
        })?)
    }

    /// Removes the organization's avatar (its files become garbage); false
    /// if there is no such organization.
    pub async fn clear_org_avatar(&self, org: OrgId) -> Result<bool, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let found = sqlx::query("UPDATE organizations SET avatar_key = NULL WHERE id = $1")
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                sqlx::query("UPDATE media SET org_avatar_of = NULL WHERE org_avatar_of = $1")
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(found == 1)
            }
            .await
        })?)
    }

    /// Public organizations whose name or slug contains `query` (any case,
    /// any script; see the module docs), oldest first, after `cursor` (an
    /// id cursor); fetches `limit + 1`. An empty query lists them all.
    pub async fn search_orgs(
        &self,
        query: &str,
        cursor: Option<Cursor>,
        limit: u32,
    ) -> Result<Vec<OrgRecord>, StoreError> {
        let pattern = contains_pattern(query.trim());
        let after = cursor.map_or(Uuid::nil(), |c| c.id);
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, OrgRecord>(select_org!(
                "WHERE visibility = 'public' AND (name_key LIKE $1 ESCAPE '\\' OR slug LIKE $1 ESCAPE '\\') \
                 AND id > $2 ORDER BY id LIMIT $3"
            ))
            .bind(&pattern)
            .bind(after)
            .bind(i64::from(limit) + 1)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Deletes the organization with its agents, FAQ and consultations, and
    /// the consultations' conversations (their messages with them), in one
    /// transaction. False if there was no such organization.
    pub async fn delete_org(&self, id: OrgId) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                // The conversations first: deleting one cascades to its
                // consultation, and nothing would cascade the other way.
                sqlx::query(
                    "DELETE FROM conversations WHERE id IN \
                     (SELECT conversation_id FROM consultations WHERE org_id = $1)",
                )
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
                let n = sqlx::query("DELETE FROM organizations WHERE id = $1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok::<_, sqlx::Error>(n)
            }
            .await
        })?;
        Ok(n == 1)
    }
}
