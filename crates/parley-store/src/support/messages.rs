//! Messages the support desk writes itself: automatic answers (`auto`) and
//! notes about the consultation (`system`), both without a sender. They take
//! the next `seq` exactly as `Store::send_message` does (the conversation
//! row's `last_seq + 1 ... RETURNING` and the insert in one transaction), so
//! a conversation's numbering stays gap-free whoever writes.
//!
//! `MessageRecord` predates message kinds and keeps its shape;
//! [`Store::message_kinds`] gives the kinds of a page in one query.

use crate::messages::MessageRecord;
use crate::pool::{push_id_list, with_pool};
use crate::{Store, StoreError};
use parley_core::{ConversationId, MessageId, MessageKind, Timestamp};
use uuid::Uuid;

impl Store {
    /// Appends a sender-less message of `kind` to the conversation and
    /// moves its consultation's activity time, in one transaction. `None`
    /// if there is no such conversation.
    pub async fn add_support_message(
        &self,
        conversation: ConversationId,
        kind: MessageKind,
        text: &str,
        at: Timestamp,
    ) -> Result<Option<MessageRecord>, StoreError> {
        let id = MessageId::new();
        let stored = with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let seq = crate::messages::next_seq(&mut tx, conversation, at).await?;
                let Some(seq) = seq else {
                    return Ok::<_, sqlx::Error>(false);
                };
                sqlx::query(
                    "INSERT INTO messages (id, conversation_id, seq, sender_id, text, created_at, kind) \
                     VALUES ($1, $2, $3, NULL, $4, $5, $6)",
                )
                .bind(id.0)
                .bind(conversation.0)
                .bind(seq)
                .bind(text)
                .bind(at.as_millis())
                .bind(kind.as_str())
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE consultations SET last_activity_at = $2 \
                     WHERE conversation_id = $1 AND last_activity_at < $2",
                )
                .bind(conversation.0)
                .bind(at.as_millis())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }
            .await
        })?;
        if !stored {
            return Ok(None);
        }
        self.message_by_id(id)
            .await?
            .ok_or(StoreError::Invariant(
                "support message vanished after insert",
            ))
            .map(Some)
    }

    /// The kind of each existing message among `ids`: one query.
    pub async fn message_kinds(
        &self,
        ids: &[MessageId],
    ) -> Result<Vec<(MessageId, MessageKind)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new("SELECT id, kind FROM messages WHERE id IN ");
            push_id_list(&mut q, ids);
            q.build_query_as::<(Uuid, String)>().fetch_all(pool).await
        })?;
        rows.into_iter()
            .map(|(id, kind)| {
                kind.parse()
                    .map(|k| (MessageId(id), k))
                    .map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
            })
            .collect()
    }
}
