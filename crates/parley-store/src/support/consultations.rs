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
use crate::messages::MessageRecord;
use crate::pool::with_pool;
use crate::support::messages::insert_message;
use crate::{Store, StoreError};
use parley_core::page::Cursor;
use parley_core::{
    ConsultationId, ConsultationStatus, ConversationId, MessageId, MessageKind, OrgId, Timestamp,
    UserId,
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
    /// How far the agents have read (shared by all of them).
    pub agent_read_seq: i64,
    /// Messages the customer has not read (from anyone but them).
    pub customer_unread: i64,
    /// The customer's messages after the agents' read marker.
    pub agent_unread: i64,
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
    /// `active`, with the note as message seq 2. The caller has checked
    /// they are an agent of `org`.
    pub assign_to: Option<Assignment>,
}

/// Who a consultation goes to, and the `system` note that records it.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub agent: UserId,
    pub note: String,
}

/// A consultation after a status change, and the `system` note that
/// records it (`None`: the change did not apply, nothing was written). Reads
/// as the consultation itself.
#[derive(Debug, Clone)]
pub struct Transitioned {
    pub consultation: ConsultationRecord,
    pub note: Option<MessageRecord>,
}

impl std::ops::Deref for Transitioned {
    type Target = ConsultationRecord;
    fn deref(&self) -> &ConsultationRecord {
        &self.consultation
    }
}

/// A change of a consultation's status, recorded by a `system` note.
#[derive(Debug, Clone, Copy)]
enum Transition {
    /// To `active` with this assignee (from any status but `closed`).
    Assign(UserId),
    /// To `closed` (from any other status).
    Close,
    /// From `closed` to `active` with its assignee, else `waiting`.
    Reopen,
}

macro_rules! select_consultation {
    ($tail:literal) => {
        concat!(
            "SELECT c.id, c.org_id, o.slug AS org_slug, o.name AS org_name, o.avatar_key AS org_avatar_key, ",
            "c.customer_id, cu.username AS customer_username, cu.display_name AS customer_display_name, ",
            "cu.avatar_key AS customer_avatar_key, c.subject, c.status, c.assignee_id, ",
            "au.username AS assignee_username, au.display_name AS assignee_display_name, ",
            "au.avatar_key AS assignee_avatar_key, c.conversation_id, c.created_at, c.closed_at, ",
            "c.last_activity_at, c.agent_read_seq, ",
            "(SELECT COUNT(*) FROM messages m JOIN conversation_members cm ON cm.conversation_id = m.conversation_id ",
            "AND cm.user_id = c.customer_id WHERE m.conversation_id = c.conversation_id AND m.seq > cm.last_read_seq ",
            "AND m.deleted_at IS NULL AND (m.sender_id IS NULL OR m.sender_id <> c.customer_id)) AS customer_unread, ",
            "(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.conversation_id ",
            "AND m.seq > c.agent_read_seq AND m.sender_id = c.customer_id AND m.deleted_at IS NULL) AS agent_unread ",
            "FROM consultations c JOIN organizations o ON o.id = c.org_id ",
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
                crate::search::reindex_in(
                    &mut tx,
                    crate::search::Doc::Message(new.message_id),
                    &new.first_text,
                    false,
                )
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
                .bind(new.assign_to.as_ref().map(|a| a.agent.0))
                .bind(new.conversation_id.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                if let Some(assignment) = &new.assign_to {
                    mark_assigned(&mut tx, new.org, assignment.agent, at).await?;
                    let conversation = new.conversation_id;
                    insert_message(&mut tx, conversation, MessageKind::System, None, &assignment.note, new.at)
                        .await?
                        .ok_or(sqlx::Error::RowNotFound)?;
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

    /// The consultations of any support conversations among `ids`: one query.
    pub async fn consultations_by_conversations(
        &self,
        ids: &[ConversationId],
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q =
                sqlx::QueryBuilder::new(select_consultation!("WHERE c.conversation_id IN "));
            crate::pool::push_id_list(&mut q, ids);
            q.build_query_as::<ConsultationRecord>()
                .fetch_all(pool)
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
    /// and makes it `active`, with `note` appended to its conversation, in
    /// one transaction. `None` if there is no such consultation; a closed
    /// one comes back unchanged (still `closed`, no note), so the caller can
    /// refuse. The caller has checked that `agent` is one of its agents.
    pub async fn assign_consultation(
        &self,
        id: ConsultationId,
        agent: UserId,
        note: &str,
        at: Timestamp,
    ) -> Result<Option<Transitioned>, StoreError> {
        self.transition(id, Transition::Assign(agent), note, at)
            .await
    }

    /// Closes a consultation, with `note`. `None` if there is none; an
    /// already closed one comes back unchanged (its first `closed_at` kept,
    /// no note).
    pub async fn close_consultation(
        &self,
        id: ConsultationId,
        note: &str,
        at: Timestamp,
    ) -> Result<Option<Transitioned>, StoreError> {
        self.transition(id, Transition::Close, note, at).await
    }

    /// Reopens a closed consultation, with `note`: `active` again if it
    /// still has its assignee, else `waiting`. `None` if there is none; one
    /// that is not closed comes back unchanged (no note).
    pub async fn reopen_consultation(
        &self,
        id: ConsultationId,
        note: &str,
        at: Timestamp,
    ) -> Result<Option<Transitioned>, StoreError> {
        self.transition(id, Transition::Reopen, note, at).await
    }

    /// One status change and its note, all or nothing. The note is numbered
    /// first (locking the conversation, as every send does, so a send that
    /// waited on the lock sees the new status); a change that does not apply
    /// rolls the note back.
    async fn transition(
        &self,
        id: ConsultationId,
        change: Transition,
        note: &str,
        at: Timestamp,
    ) -> Result<Option<Transitioned>, StoreError> {
        let Some(current) = self.consultation_by_id(id).await? else {
            return Ok(None);
        };
        let conversation = current.conversation_id;
        let at_ms = at.as_millis();
        let note_id = with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let (note_id, _) =
                    insert_message(&mut tx, conversation, MessageKind::System, None, note, at)
                        .await?
                        .ok_or(sqlx::Error::RowNotFound)?;
                let changed = match change {
                    Transition::Assign(agent) => {
                        sqlx::query(
                            "UPDATE consultations SET assignee_id = $2, status = 'active', last_activity_at = $3 \
                             WHERE id = $1 AND status <> 'closed'",
                        )
                        .bind(id.0)
                        .bind(agent.0)
                        .bind(at_ms)
                        .execute(&mut *tx)
                        .await?
                    }
                    Transition::Close => {
                        sqlx::query(
                            "UPDATE consultations SET status = 'closed', closed_at = $2, last_activity_at = $2 \
                             WHERE id = $1 AND status <> 'closed'",
                        )
                        .bind(id.0)
                        .bind(at_ms)
                        .execute(&mut *tx)
                        .await?
                    }
                    Transition::Reopen => {
                        sqlx::query(
                            "UPDATE consultations SET \
                             status = CASE WHEN assignee_id IS NULL THEN 'waiting' ELSE 'active' END, \
                             closed_at = NULL, last_activity_at = $2 WHERE id = $1 AND status = 'closed'",
                        )
                        .bind(id.0)
                        .bind(at_ms)
                        .execute(&mut *tx)
                        .await?
                    }
                }
                .rows_affected();
                if changed == 0 {
                    tx.rollback().await?;
                    return Ok::<_, sqlx::Error>(None);
                }
                if let Transition::Assign(agent) = change {
                    mark_assigned(&mut tx, current.org_id, agent, at_ms).await?;
                }
                tx.commit().await?;
                Ok(Some(note_id))
            }
            .await
        })?;
        let note = match note_id {
            Some(id) => Some(
                self.message_by_id(id)
                    .await?
                    .ok_or(StoreError::Invariant("note vanished after insert"))?,
            ),
            None => None,
        };
        Ok(self
            .consultation_by_id(id)
            .await?
            .map(|consultation| Transitioned { consultation, note }))
    }

    /// Moves the agents' shared read marker of a support conversation
    /// forward to `seq` (never back, never past its last message). Returns
    /// the new marker if it moved.
    pub async fn mark_read_by_agents(
        &self,
        conversation: ConversationId,
        seq: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            sqlx::query_scalar::<_, i64>(
                "UPDATE consultations SET agent_read_seq = \
                 (SELECT CASE WHEN $2 < v.last_seq THEN $2 ELSE v.last_seq END FROM conversations v WHERE v.id = $1) \
                 WHERE conversation_id = $1 AND agent_read_seq < $2 \
                 AND agent_read_seq < (SELECT last_seq FROM conversations WHERE id = $1) \
                 RETURNING agent_read_seq",
            )
            .bind(conversation.0)
            .bind(seq)
            .fetch_optional(pool)
            .await
        })?)
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
