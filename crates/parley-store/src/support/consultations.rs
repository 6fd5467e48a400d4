//! Consultations: opening one (its `support` conversation, the customer's
//! first message as seq 1 and the consultation itself, in one transaction),
//! lookups, the organization's queue, a customer's list, the status
//! transitions and the activity time the lists sort by.
//!
//! Records carry the organization's, customer's and assignee's summaries
//! (joined in the same query), so a page of consultations costs one query.
//! Queue order: `waiting` oldest first by `(created_at, id)`; any other
//! filter (including none) most recently active first by
//! `(last_activity_at, id)`. Cursors carry that time and the id.

use crate::ids::NullableId;
use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::page::Cursor;
use parley_core::{
    ConsultationId, ConsultationStatus, ConversationId, MessageId, OrgId, Timestamp, UserId,
};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsultationRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: ConsultationId,
    #[sqlx(try_from = "Uuid")]
    pub org_id: OrgId,
    pub org_slug: String,
    pub org_name: String,
    pub org_avatar_key: Option<String>,
    #[sqlx(try_from = "Uuid")]
    pub customer_id: UserId,
    pub customer_username: String,
    pub customer_display_name: String,
    pub customer_avatar_key: Option<String>,
    pub subject: String,
    #[sqlx(try_from = "String")]
    pub status: ConsultationStatus,
    #[sqlx(try_from = "NullableId")]
    pub assignee_id: Option<UserId>,
    pub assignee_username: Option<String>,
    pub assignee_display_name: Option<String>,
    pub assignee_avatar_key: Option<String>,
    #[sqlx(try_from = "Uuid")]
    pub conversation_id: ConversationId,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub last_activity_at: i64,
}

impl ConsultationRecord {
    /// This consultation's place in a queue (or customer list) filtered by
    /// `status`, for the next page's cursor.
    pub fn cursor(&self, status: Option<ConsultationStatus>) -> Cursor {
        let at = if status == Some(ConsultationStatus::Waiting) {
            self.created_at
        } else {
            self.last_activity_at
        };
        Cursor { at, id: self.id.0 }
    }
}

#[derive(Debug, Clone)]
pub struct NewConsultation {
    pub id: ConsultationId,
    pub org: OrgId,
    pub customer: UserId,
    pub subject: String,
    /// The customer's first message (seq 1).
    pub first_text: String,
    pub conversation_id: ConversationId,
    pub message_id: MessageId,
    pub at: Timestamp,
    /// An agent to assign at once (auto-assign): the consultation starts
    /// `active`. The caller has checked they are an agent of `org`.
    pub assign_to: Option<UserId>,
}

macro_rules! select_consultation {
    ($tail:literal) => {
        concat!(
            "SELECT c.id, c.org_id, o.slug AS org_slug, o.name AS org_name, o.avatar_key AS org_avatar_key, ",
            "c.customer_id, cu.username AS customer_username, cu.display_name AS customer_display_name, ",
            "cu.avatar_key AS customer_avatar_key, c.subject, c.status, c.assignee_id, ",
            "au.username AS assignee_username, au.display_name AS assignee_display_name, ",
            "au.avatar_key AS assignee_avatar_key, c.conversation_id, c.created_at, c.closed_at, ",
            "c.last_activity_at FROM consultations c JOIN organizations o ON o.id = c.org_id ",
            "JOIN users cu ON cu.id = c.customer_id LEFT JOIN users au ON au.id = c.assignee_id ",
            $tail
        )
    };
}

/// Appends the keyset condition and order for `status` (see the module docs).
fn push_page<DB: sqlx::Database>(
    q: &mut sqlx::QueryBuilder<DB>,
    status: Option<ConsultationStatus>,
    cursor: Option<Cursor>,
    limit: u32,
) where
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let oldest_first = status == Some(ConsultationStatus::Waiting);
    let (column, cmp, order) = if oldest_first {
        ("c.created_at", " > ", " ASC")
    } else {
        ("c.last_activity_at", " < ", " DESC")
    };
    let (at, id) = match cursor {
        Some(c) => (c.at, c.id),
        None if oldest_first => (i64::MIN, Uuid::nil()),
        None => (i64::MAX, Uuid::max()),
    };
    q.push(format_args!(" AND ({column}{cmp}"));
    q.push_bind(at);
    q.push(format_args!(" OR ({column} = "));
    q.push_bind(at);
    q.push(format_args!(" AND c.id{cmp}"));
    q.push_bind(id);
    q.push(format_args!(
        ")) ORDER BY {column}{order}, c.id{order} LIMIT "
    ));
    q.push_bind(i64::from(limit) + 1);
}

impl Store {
    /// Opens a consultation: its `support` conversation (title = subject)
    /// with the customer as its only member row, the customer's first
    /// message as seq 1 (read by them), and the consultation — `waiting`,
    /// or `active` with `assign_to` — all or nothing.
    pub async fn open_consultation(
        &self,
        new: &NewConsultation,
    ) -> Result<ConsultationRecord, StoreError> {
        let at = new.at.as_millis();
        let status = if new.assign_to.is_some() {
            ConsultationStatus::Active
        } else {
            ConsultationStatus::Waiting
        };
        with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                // A new row nobody else can see yet: its first seq is
                // written directly instead of allocated.
                sqlx::query(
                    "INSERT INTO conversations (id, kind, title, created_by, created_at, last_seq, last_activity_at) \
                     VALUES ($1, 'support', $2, $3, $4, 1, $4)",
                )
                .bind(new.conversation_id.0)
                .bind(&new.subject)
                .bind(new.customer.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO conversation_members (conversation_id, user_id, joined_at, last_read_seq) \
                     VALUES ($1, $2, $3, 1)",
                )
                .bind(new.conversation_id.0)
                .bind(new.customer.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO messages (id, conversation_id, seq, sender_id, text, created_at, kind) \
                     VALUES ($1, $2, 1, $3, $4, $5, 'text')",
                )
                .bind(new.message_id.0)
                .bind(new.conversation_id.0)
                .bind(new.customer.0)
                .bind(&new.first_text)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO consultations (id, org_id, customer_id, subject, status, assignee_id, \
                     conversation_id, created_at, last_activity_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                )
                .bind(new.id.0)
                .bind(new.org.0)
                .bind(new.customer.0)
                .bind(&new.subject)
                .bind(status.as_str())
                .bind(new.assign_to.map(|u| u.0))
                .bind(new.conversation_id.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                if let Some(agent) = new.assign_to {
                    mark_assigned(&mut tx, new.org, agent, at).await?;
                }
                tx.commit().await
            }
            .await
        })?;
        self.consultation_by_id(new.id)
            .await?
            .ok_or(StoreError::Invariant("consultation vanished after insert"))
    }

    pub async fn consultation_by_id(
        &self,
        id: ConsultationId,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, ConsultationRecord>(select_consultation!("WHERE c.id = $1"))
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// The consultation a `support` conversation belongs to.
    pub async fn consultation_by_conversation(
        &self,
        conversation: ConversationId,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, ConsultationRecord>(select_consultation!(
                "WHERE c.conversation_id = $1"
            ))
            .bind(conversation.0)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// The organization's queue, filtered by status and assignee, in the
    /// order of the module docs, after `cursor` (see
    /// [`ConsultationRecord::cursor`]); fetches `limit + 1`.
    pub async fn queue(
        &self,
        org: OrgId,
        status: Option<ConsultationStatus>,
        assignee: Option<UserId>,
        cursor: Option<Cursor>,
        limit: u32,
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(select_consultation!("WHERE c.org_id = "));
            q.push_bind(org.0);
            if let Some(status) = status {
                q.push(" AND c.status = ");
                q.push_bind(status.as_str());
            }
            if let Some(assignee) = assignee {
                q.push(" AND c.assignee_id = ");
                q.push_bind(assignee.0);
            }
            push_page(&mut q, status, cursor, limit);
            q.build_query_as::<ConsultationRecord>()
                .fetch_all(pool)
                .await
        })?)
    }

    /// The customer's consultations (every organization), in the same order
    /// as [`Store::queue`]; fetches `limit + 1`.
    pub async fn consultations_of_customer(
        &self,
        customer: UserId,
        status: Option<ConsultationStatus>,
        cursor: Option<Cursor>,
        limit: u32,
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(select_consultation!("WHERE c.customer_id = "));
            q.push_bind(customer.0);
            if let Some(status) = status {
                q.push(" AND c.status = ");
                q.push_bind(status.as_str());
            }
            push_page(&mut q, status, cursor, limit);
            q.build_query_as::<ConsultationRecord>()
                .fetch_all(pool)
                .await
        })?)
    }

    /// Assigns (or reassigns) a consultation that is not closed to `agent`
    /// and makes it `active`. `None` if there is no such consultation; a
    /// closed one comes back unchanged (still `closed`), so the caller can
    /// refuse. The caller has checked that `agent` is one of its agents.
    pub async fn assign_consultation(
        &self,
        id: ConsultationId,
        agent: UserId,
        at: Timestamp,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let org = sqlx::query_scalar::<_, Uuid>(
                    "UPDATE consultations SET assignee_id = $2, status = 'active', last_activity_at = $3 \
                     WHERE id = $1 AND status <> 'closed' RETURNING org_id",
                )
                .bind(id.0)
                .bind(agent.0)
                .bind(at.as_millis())
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(org) = org {
                    mark_assigned(&mut tx, OrgId(org), agent, at.as_millis()).await?;
                }
                tx.commit().await
            }
            .await
        })?;
        self.consultation_by_id(id).await
    }

    /// Closes a consultation. `None` if there is none; an already closed
    /// one comes back unchanged (its first `closed_at` kept).
    pub async fn close_consultation(
        &self,
        id: ConsultationId,
        at: Timestamp,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE consultations SET status = 'closed', closed_at = $2, last_activity_at = $2 \
                 WHERE id = $1 AND status <> 'closed'",
            )
            .bind(id.0)
            .bind(at.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.consultation_by_id(id).await
    }

    /// Reopens a closed consultation: `active` again if it still has its
    /// assignee, else `waiting`. `None` if there is none; one that is not
    /// closed comes back unchanged.
    pub async fn reopen_consultation(
        &self,
        id: ConsultationId,
        at: Timestamp,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE consultations SET \
                 status = CASE WHEN assignee_id IS NULL THEN 'waiting' ELSE 'active' END, \
                 closed_at = NULL, last_activity_at = $2 WHERE id = $1 AND status = 'closed'",
            )
            .bind(id.0)
            .bind(at.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.consultation_by_id(id).await
    }

    /// Moves the consultation's activity time forward to `at` (never back),
    /// e.g. after a chat message in its conversation; false if nothing moved.
    pub async fn touch_consultation(
        &self,
        id: ConsultationId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE consultations SET last_activity_at = $2 WHERE id = $1 AND last_activity_at < $2",
            )
            .bind(id.0)
            .bind(at.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Whether `user` may read and write the support conversation: its
    /// consultation's customer, or any agent of its organization. One query;
    /// false for a conversation that is not a consultation's.
    pub async fn is_support_participant(
        &self,
        conversation: ConversationId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let found = with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, Uuid>(
                "SELECT c.id FROM consultations c WHERE c.conversation_id = $1 AND (c.customer_id = $2 \
                 OR EXISTS (SELECT 1 FROM org_agents a WHERE a.org_id = c.org_id AND a.user_id = $2))",
            )
            .bind(conversation.0)
            .bind(user.0)
            .fetch_optional(pool)
            .await
        })?;
        Ok(found.is_some())
    }
}

/// Records that `agent` was just given a consultation (the round-robin
/// tie-break), inside the assigning transaction.
async fn mark_assigned<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    org: OrgId,
    agent: UserId,
    at: i64,
) -> Result<(), sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB> + Default,
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    sqlx::query("UPDATE org_agents SET last_assigned_at = $3 WHERE org_id = $1 AND user_id = $2")
        .bind(org.0)
        .bind(agent.0)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
