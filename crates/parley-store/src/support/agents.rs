//! An organization's agents (owners included). The one rule kept here is
//! that an organization always has an owner: removals are decided inside a
//! transaction that first locks the organization's row, so two concurrent
//! removals of the last two owners cannot both pass.

use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{AgentRole, ConsultationId, OrgId, Timestamp, UserId};
use uuid::Uuid;

/// An agent as listed: the user's summary, their role, and how many
/// consultations of this organization they have `active`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgentRecord {
    #[sqlx(try_from = "Uuid")]
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub avatar_key: Option<String>,
    #[sqlx(try_from = "String")]
    pub role: AgentRole,
    pub active_count: i64,
    pub created_at: i64,
}

/// What [`Store::remove_agent`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoveAgent {
    /// Removed; their open consultations (these) went back to the queue.
    Removed(Vec<ConsultationId>),
    /// Refused: they are the organization's only owner.
    LastOwner,
    /// They were not an agent of this organization.
    NotAgent,
}

impl Store {
    /// The user's role in the organization, `None` if they are not an agent.
    pub async fn role_of(&self, org: OrgId, user: UserId) -> Result<Option<AgentRole>, StoreError> {
        let role = with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, String>(
                "SELECT role FROM org_agents WHERE org_id = $1 AND user_id = $2",
            )
            .bind(org.0)
            .bind(user.0)
            .fetch_optional(pool)
            .await
        })?;
        role.map(|r| {
            r.parse()
                .map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
        })
        .transpose()
    }

    /// Every agent with their active count, owners first, then by username:
    /// one query.
    pub async fn agents_of(&self, org: OrgId) -> Result<Vec<AgentRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, AgentRecord>(
                "SELECT a.user_id, u.username, u.display_name, u.avatar_key, a.role, \
                 COUNT(c.id) AS active_count, a.created_at \
                 FROM org_agents a JOIN users u ON u.id = a.user_id \
                 LEFT JOIN consultations c ON c.org_id = a.org_id AND c.assignee_id = a.user_id \
                 AND c.status = 'active' \
                 WHERE a.org_id = $1 \
                 GROUP BY a.user_id, u.username, u.display_name, u.avatar_key, a.role, a.created_at \
                 ORDER BY CASE WHEN a.role = 'owner' THEN 0 ELSE 1 END, u.username",
            )
            .bind(org.0)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Makes the user an agent with `role`; false if they already are one
    /// (their role is left as it was).
    pub async fn add_agent(
        &self,
        org: OrgId,
        user: UserId,
        role: AgentRole,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO org_agents (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (org_id, user_id) DO NOTHING",
            )
            .bind(org.0)
            .bind(user.0)
            .bind(role.as_str())
            .bind(at.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Removes an agent unless they are the last owner. Their consultations
    /// of this organization that are not closed lose their assignee and go
    /// back to `waiting`, in the same transaction, so none is left with
    /// someone who can no longer see it.
    pub async fn remove_agent(&self, org: OrgId, user: UserId) -> Result<RemoveAgent, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                // A no-op write that takes the organization's row lock on
                // PostgreSQL (SQLite has one writer already): concurrent
                // removals in one organization run one after the other, and
                // each counts the owners the previous one left.
                sqlx::query("UPDATE organizations SET auto_assign = auto_assign WHERE id = $1")
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?;
                let role = sqlx::query_scalar::<_, String>(
                    "SELECT role FROM org_agents WHERE org_id = $1 AND user_id = $2",
                )
                .bind(org.0)
                .bind(user.0)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(role) = role else {
                    return Ok::<_, sqlx::Error>(RemoveAgent::NotAgent);
                };
                if role == AgentRole::Owner.as_str() {
                    let owners = sqlx::query_scalar::<_, i64>(
                        "SELECT COUNT(*) FROM org_agents WHERE org_id = $1 AND role = 'owner'",
                    )
                    .bind(org.0)
                    .fetch_one(&mut *tx)
                    .await?;
                    if owners <= 1 {
                        return Ok(RemoveAgent::LastOwner);
                    }
                }
                sqlx::query("DELETE FROM org_agents WHERE org_id = $1 AND user_id = $2")
                    .bind(org.0)
                    .bind(user.0)
                    .execute(&mut *tx)
                    .await?;
                let requeued = sqlx::query_scalar::<_, Uuid>(
                    "SELECT id FROM consultations WHERE org_id = $1 AND assignee_id = $2 AND status <> 'closed' \
                     ORDER BY id",
                )
                .bind(org.0)
                .bind(user.0)
                .fetch_all(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE consultations SET assignee_id = NULL, status = 'waiting' \
                     WHERE org_id = $1 AND assignee_id = $2 AND status <> 'closed'",
                )
                .bind(org.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
                // Closed ones forget them too, so a reopen goes to the queue.
                sqlx::query(
                    "UPDATE consultations SET assignee_id = NULL WHERE org_id = $1 AND assignee_id = $2",
                )
                .bind(org.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(RemoveAgent::Removed(
                    requeued.into_iter().map(ConsultationId).collect(),
                ))
            }
            .await
        })?)
    }

    /// The organizations the user is an agent of (for joining the agents'
    /// socket rooms).
    pub async fn orgs_of_agent(&self, user: UserId) -> Result<Vec<(OrgId, AgentRole)>, StoreError> {
        let rows = with_pool!(self, read, |pool| {
            sqlx::query_as::<_, (Uuid, String)>(
                "SELECT org_id, role FROM org_agents WHERE user_id = $1 ORDER BY org_id",
            )
            .bind(user.0)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(id, role)| {
                role.parse()
                    .map(|r| (OrgId(id), r))
                    .map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
            })
            .collect()
    }

    /// The agent to assign a new consultation to: the one with the fewest
    /// `active` consultations of this organization (owners count too),
    /// below `capacity` when it is set; ties go to whoever was assigned one
    /// longest ago (never first), then by user id. `None` when every agent
    /// is at capacity.
    ///
    /// A read: two consultations opened at the same moment may get the same
    /// agent, one over capacity at worst, which round robin tolerates.
    pub async fn pick_round_robin_agent(
        &self,
        org: OrgId,
        capacity: Option<i64>,
    ) -> Result<Option<UserId>, StoreError> {
        let id = with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, Uuid>(
                "SELECT a.user_id FROM org_agents a \
                 LEFT JOIN consultations c ON c.org_id = a.org_id AND c.assignee_id = a.user_id \
                 AND c.status = 'active' \
                 WHERE a.org_id = $1 \
                 GROUP BY a.user_id, a.last_assigned_at \
                 HAVING $2 IS NULL OR COUNT(c.id) < $2 \
                 ORDER BY COUNT(c.id), COALESCE(a.last_assigned_at, -1), a.user_id LIMIT 1",
            )
            .bind(org.0)
            .bind(capacity)
            .fetch_optional(pool)
            .await
        })?;
        Ok(id.map(UserId))
    }
}
