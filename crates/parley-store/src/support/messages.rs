//! Messages the support desk writes itself, and the bookkeeping every
//! message of a support conversation does on its consultation.
//!
//! Notes (`system`: "assigned to …", "closed by …") and automatic answers
//! (`auto`: an FAQ entry's answer) have no sender. They take the next `seq`
//! through `messages::next_seq`, exactly as a chat send does, so a
//! conversation's numbering stays gap-free whoever writes, and the
//! conversation row is always locked before the consultation row.

use crate::messages::{MessageRecord, next_seq};
use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{ConversationId, ErrorCode, MessageId, MessageKind, Timestamp, UserId};
use uuid::Uuid;

/// Moves the consultation of a support conversation to `at` (never back) if
/// it is not closed, inside `tx`; false when it is closed (or missing), and
/// then the caller must store nothing.
pub(crate) async fn touch_open_consultation<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    conversation: ConversationId,
    at: Timestamp,
) -> Result<bool, sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB> + Default,
    Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    (Uuid,): for<'r> sqlx::FromRow<'r, DB::Row>,
{
    let touched = sqlx::query_as::<DB, (Uuid,)>(
        "UPDATE consultations SET last_activity_at = \
         CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END \
         WHERE conversation_id = $1 AND status <> 'closed' RETURNING id",
    )
    .bind(conversation.0)
    .bind(at.as_millis())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(touched.is_some())
}

/// Appends a message of `kind` (a `sender` only for `text`) inside `tx`,
/// numbered by `next_seq`. `None` if the conversation does not exist.
pub(crate) async fn insert_message<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    conversation: ConversationId,
    kind: MessageKind,
    sender: Option<UserId>,
    text: &str,
    at: Timestamp,
) -> Result<Option<(MessageId, i64)>, sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB> + Default,
    Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<Uuid>: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    (i64, String): for<'r> sqlx::FromRow<'r, DB::Row>,
{
    let Some(allocated) = next_seq(tx, conversation, at).await? else {
        return Ok(None);
    };
    let id = MessageId::new();
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, seq, sender_id, text, created_at, kind) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.0)
    .bind(conversation.0)
    .bind(allocated.seq)
    .bind(sender.map(|u| u.0))
    .bind(text)
    .bind(at.as_millis())
    .bind(kind.as_str())
    .execute(&mut **tx)
    .await?;
    crate::search::reindex_in(tx, crate::search::Doc::Message(id), text, false).await?;
    Ok(Some((id, allocated.seq)))
}

impl Store {
    /// The customer picked an FAQ entry: their `question` (a `text` message
    /// from them, which they have read) and its `answer` (`auto`, no sender)
    /// are appended together, in one transaction. `None` if there is no such
    /// conversation; [`StoreError::Conflict`] `consultation_closed` (nothing
    /// stored) if its consultation is closed.
    pub async fn add_faq_exchange(
        &self,
        conversation: ConversationId,
        customer: UserId,
        question: &str,
        answer: &str,
        at: Timestamp,
    ) -> Result<Option<[MessageRecord; 2]>, StoreError> {
        let stored = with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let asked = insert_message(
                    &mut tx,
                    conversation,
                    MessageKind::Text,
                    Some(customer),
                    question,
                    at,
                )
                .await?;
                let Some((question_id, question_seq)) = asked else {
                    return Ok::<_, sqlx::Error>(None);
                };
                if !touch_open_consultation(&mut tx, conversation, at).await? {
                    tx.rollback().await?;
                    return Ok(Some(Err(())));
                }
                let answered =
                    insert_message(&mut tx, conversation, MessageKind::Auto, None, answer, at)
                        .await?;
                let (answer_id, _) = answered.ok_or(sqlx::Error::RowNotFound)?;
                sqlx::query(
                    "UPDATE conversation_members SET last_read_seq = $3 \
                     WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $3",
                )
                .bind(conversation.0)
                .bind(customer.0)
                .bind(question_seq)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Some(Ok((question_id, answer_id))))
            }
            .await
        })?;
        let (question_id, answer_id) = match stored {
            None => return Ok(None),
            Some(Err(())) => return Err(StoreError::Conflict(ErrorCode::ConsultationClosed)),
            Some(Ok(ids)) => ids,
        };
        let vanished = || StoreError::Invariant("FAQ exchange vanished after insert");
        let question = self
            .message_by_id(question_id)
            .await?
            .ok_or_else(vanished)?;
        let answer = self.message_by_id(answer_id).await?.ok_or_else(vanished)?;
        Ok(Some([question, answer]))
    }
}
