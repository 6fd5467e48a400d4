//! Reports and moderation: users' reports of posts, comments, messages and
//! accounts (one open report per reporter and target, by a partial unique
//! index), the admins' queue of them with who reported whom and whether the
//! content is still there, and [`Store::moderate`], the one transaction of
//! every moderation action: its change (suspension, role), the reports it
//! closes and its audit-log row commit together or not at all.

use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{AuditId, ReportId, SessionId, Timestamp, UserId};
use uuid::Uuid;

/// What a new report stores. Values arrive validated by the service.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub id: ReportId,
    pub reporter: UserId,
    pub target_kind: &'a str,
    pub target_id: Uuid,
    pub target_user: Option<UserId>,
    pub reason: &'a str,
    pub comment: &'a str,
    /// The reported text as it was (kept for the queue after a removal).
    pub snapshot: &'a str,
    pub at: Timestamp,
}

/// A report as the queue shows it: with the reporter, the reported account,
/// who resolved it, and whether its target still exists.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRecord {
    pub id: Uuid,
    pub reporter_id: Option<Uuid>,
    pub reporter_username: Option<String>,
    pub reporter_display_name: Option<String>,
    pub reporter_avatar_key: Option<String>,
    pub target_kind: String,
    pub target_id: Uuid,
    pub target_user_id: Option<Uuid>,
    pub target_username: Option<String>,
    pub target_display_name: Option<String>,
    pub target_avatar_key: Option<String>,
    pub target_suspended_at: Option<i64>,
    pub target_present: bool,
    pub reason: String,
    pub comment: String,
    pub snapshot: String,
    pub status: String,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<Uuid>,
    pub resolved_by_username: Option<String>,
    pub resolution_note: String,
}

/// One audit-log entry, with the names of its actor and target account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub actor_username: Option<String>,
    pub actor_display_name: Option<String>,
    pub actor_avatar_key: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub target_id: Uuid,
    pub target_user_id: Option<Uuid>,
    pub target_username: Option<String>,
    pub target_display_name: Option<String>,
    pub target_avatar_key: Option<String>,
    pub detail: String,
    pub created_at: i64,
}

/// A change to an account that a moderation action makes.
#[derive(Debug, Clone, Copy)]
pub enum AccountChange<'a> {
    /// Suspend (never an admin) and end every session.
    Suspend(UserId),
    Unsuspend(UserId),
    /// Set the role (`user` or `admin`).
    Role(UserId, &'a str),
}

/// Closing every open report on one target.
#[derive(Debug, Clone, Copy)]
pub struct CloseReports<'a> {
    pub target_kind: &'a str,
    pub target_id: Uuid,
    /// `resolved` or `dismissed`.
    pub status: &'a str,
    pub note: &'a str,
}

/// One moderation action and its audit entry.
#[derive(Debug, Clone, Copy)]
pub struct Moderation<'a> {
    /// `None`: the command line.
    pub actor: Option<UserId>,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: Uuid,
    pub target_user: Option<UserId>,
    pub detail: &'a str,
    pub change: Option<AccountChange<'a>>,
    pub close: Option<CloseReports<'a>>,
    pub at: Timestamp,
}

/// What [`Store::moderate`] did.
#[derive(Debug, Clone, Default)]
pub struct Moderated {
    /// Whether the account change applied (false: it was so already).
    pub changed: bool,
    /// The sessions a suspension ended (their sockets are to be disconnected).
    pub ended_sessions: Vec<SessionId>,
    /// How many open reports were closed.
    pub closed_reports: u64,
}

/// `SELECT <report columns> FROM reports r ... <tail>`.
macro_rules! select_reports {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.reporter_id, ru.username AS reporter_username, ",
            "ru.display_name AS reporter_display_name, ru.avatar_key AS reporter_avatar_key, ",
            "r.target_kind, r.target_id, r.target_user_id, tu.username AS target_username, ",
            "tu.display_name AS target_display_name, tu.avatar_key AS target_avatar_key, ",
            "tu.suspended_at AS target_suspended_at, ",
            "CASE r.target_kind ",
            "WHEN 'post' THEN EXISTS (SELECT 1 FROM posts x WHERE x.id = r.target_id) ",
            "WHEN 'comment' THEN EXISTS (SELECT 1 FROM comments x WHERE x.id = r.target_id) ",
            "WHEN 'message' THEN EXISTS (SELECT 1 FROM messages x WHERE x.id = r.target_id AND x.deleted_at IS NULL) ",
            "ELSE EXISTS (SELECT 1 FROM users x WHERE x.id = r.target_id) END AS target_present, ",
            "r.reason, r.comment, r.snapshot, r.status, r.created_at, r.resolved_at, r.resolved_by, ",
            "bu.username AS resolved_by_username, r.resolution_note ",
            "FROM reports r LEFT JOIN users ru ON ru.id = r.reporter_id ",
            "LEFT JOIN users tu ON tu.id = r.target_user_id ",
            "LEFT JOIN users bu ON bu.id = r.resolved_by ",
            $tail
        )
    };
}

impl Store {
    /// Stores a report; `false` with the existing one when the reporter has
    /// an open report on this target already (decided by the unique index).
    pub async fn create_report(
        &self,
        new: &NewReport<'_>,
    ) -> Result<(ReportRecord, bool), StoreError> {
        let inserted = with_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO reports (id, reporter_id, target_kind, target_id, target_user_id, reason, \
                 comment, snapshot, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(new.id.0)
            .bind(new.reporter.0)
            .bind(new.target_kind)
            .bind(new.target_id)
            .bind(new.target_user.map(|u| u.0))
            .bind(new.reason)
            .bind(new.comment)
            .bind(new.snapshot)
            .bind(new.at.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })? == 1;
        let sql = select_reports!(
            "WHERE r.reporter_id = $1 AND r.target_kind = $2 AND r.target_id = $3 AND r.status = 'open'"
        );
        let row = with_pool!(self, write, |pool| {
            sqlx::query_as::<_, ReportRecord>(sql)
                .bind(new.reporter.0)
                .bind(new.target_kind)
                .bind(new.target_id)
                .fetch_optional(pool)
                .await
        })?
        .ok_or(StoreError::Invariant("report vanished right after insert"))?;
        Ok((row, inserted))
    }

    pub async fn report_by_id(&self, id: ReportId) -> Result<Option<ReportRecord>, StoreError> {
        let sql = select_reports!("WHERE r.id = $1");
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, ReportRecord>(sql)
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Up to `limit` reports of `status` older than `before`, newest first.
    pub async fn reports_page(
        &self,
        status: &str,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<ReportRecord>, StoreError> {
        let sql = select_reports!("WHERE r.status = $1 AND r.id < $2 ORDER BY r.id DESC LIMIT $3");
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, ReportRecord>(sql)
                .bind(status)
                .bind(before.unwrap_or(Uuid::max()))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
        })?)
    }

    /// Up to `limit` audit entries older than `before`, newest first.
    pub async fn audit_page(
        &self,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, AuditRecord>(
                "SELECT a.id, a.actor_id, au.username AS actor_username, au.display_name AS actor_display_name, \
                 au.avatar_key AS actor_avatar_key, a.action, a.target_kind, a.target_id, a.target_user_id, \
                 tu.username AS target_username, tu.display_name AS target_display_name, \
                 tu.avatar_key AS target_avatar_key, a.detail, a.created_at FROM audit_log a \
                 LEFT JOIN users au ON au.id = a.actor_id LEFT JOIN users tu ON tu.id = a.target_user_id \
                 WHERE a.id < $1 ORDER BY a.id DESC LIMIT $2",
            )
            .bind(before.unwrap_or(Uuid::max()))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
        })?)
    }

    /// Runs one moderation action in one transaction: the account change
    /// (a suspension also ends every session of the account), the reports
    /// it closes, and its audit row.
    pub async fn moderate(&self, m: &Moderation<'_>) -> Result<Moderated, StoreError> {
        let at = m.at.as_millis();
        Ok(with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let mut done = Moderated::default();
                match m.change {
                    Some(AccountChange::Suspend(user)) => {
                        done.changed = sqlx::query(
                            "UPDATE users SET suspended_at = $2 \
                             WHERE id = $1 AND suspended_at IS NULL AND role <> 'admin'",
                        )
                        .bind(user.0)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                            == 1;
                        let ended = sqlx::query_scalar::<_, Uuid>(
                            "UPDATE sessions SET revoked_at = $2 \
                             WHERE user_id = $1 AND revoked_at IS NULL RETURNING id",
                        )
                        .bind(user.0)
                        .bind(at)
                        .fetch_all(&mut *tx)
                        .await?;
                        done.ended_sessions = ended.into_iter().map(SessionId).collect();
                    }
                    Some(AccountChange::Unsuspend(user)) => {
                        done.changed = sqlx::query(
                            "UPDATE users SET suspended_at = NULL WHERE id = $1 AND suspended_at IS NOT NULL",
                        )
                        .bind(user.0)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                            == 1;
                    }
                    Some(AccountChange::Role(user, role)) => {
                        done.changed =
                            sqlx::query("UPDATE users SET role = $2 WHERE id = $1 AND role <> $2")
                                .bind(user.0)
                                .bind(role)
                                .execute(&mut *tx)
                                .await?
                                .rows_affected()
                                == 1;
                    }
                    None => {}
                }
                if let Some(close) = m.close {
                    done.closed_reports = sqlx::query(
                        "UPDATE reports SET status = $3, resolved_at = $4, resolved_by = $5, resolution_note = $6 \
                         WHERE target_kind = $1 AND target_id = $2 AND status = 'open'",
                    )
                    .bind(close.target_kind)
                    .bind(close.target_id)
                    .bind(close.status)
                    .bind(at)
                    .bind(m.actor.map(|a| a.0))
                    .bind(close.note)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                }
                sqlx::query(
                    "INSERT INTO audit_log (id, actor_id, action, target_kind, target_id, target_user_id, \
                     detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(AuditId::new().0)
                .bind(m.actor.map(|a| a.0))
                .bind(m.action)
                .bind(m.target_kind)
                .bind(m.target_id)
                .bind(m.target_user.map(|u| u.0))
                .bind(m.detail)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(done)
            }
            .await
        })?)
    }
}
