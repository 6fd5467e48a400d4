//! Chat messages. A send allocates the next `seq` of its conversation and
//! inserts the message in one transaction, so an acknowledged message is
//! committed, numbered without gaps or duplicates, and — thanks to the unique
//! `(conversation, sender, client_id)` key — stored at most once per
//! `client_id`, however often the client retries.

use crate::error::unique_violation;
use crate::ids::NullableId;
use crate::media::{Attachment, attach_in};
use crate::pool::with_pool;
use crate::search::{Doc, reindex_in};
use crate::{Store, StoreError};
use parley_core::{ConversationId, ErrorCode, MediaId, MessageId, MessageKind, Timestamp, UserId};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: MessageId,
    #[sqlx(try_from = "Uuid")]
    pub conversation_id: ConversationId,
    pub seq: i64,
    #[sqlx(try_from = "NullableId")]
    pub sender_id: Option<UserId>,
    pub sender_username: Option<String>,
    pub sender_display_name: Option<String>,
    pub sender_avatar_key: Option<String>,
    pub text: String,
    pub client_id: Option<String>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    /// `text` from a sender; `auto` and `system` (support desk) have none.
    #[sqlx(try_from = "String")]
    pub kind: MessageKind,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub sender_id: UserId,
    pub text: String,
    pub client_id: Option<String>,
    /// The sender's uploads to attach, in display order.
    pub media: Vec<MediaId>,
    pub created_at: Timestamp,
}

/// What a send did.
#[derive(Debug, Clone)]
pub enum SendOutcome {
    /// Newly stored and committed.
    Stored(MessageRecord),
    /// The same `client_id` was sent before: this is that message.
    Duplicate(MessageRecord),
}

macro_rules! select_messages {
    ($tail:literal) => {
        concat!(
            "SELECT m.id, m.conversation_id, m.seq, m.sender_id, u.username AS sender_username, ",
            "u.display_name AS sender_display_name, u.avatar_key AS sender_avatar_key, m.text, ",
            "m.client_id, m.created_at, m.edited_at, m.deleted_at, m.kind ",
            "FROM messages m LEFT JOIN users u ON u.id = m.sender_id ",
            $tail
        )
    };
}

/// A `seq` just allocated, and whether its conversation is a support one
/// (whose consultation the message must also respect).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Allocated {
    pub seq: i64,
    pub support: bool,
}

/// Allocates the next `seq` of `conversation` inside `tx` (and records the
/// activity): the conversation row's lock orders concurrent senders, and a
/// rollback gives the number back. `None` if the conversation does not exist.
/// Every message, whoever sends it, is numbered here, and every transaction
/// that writes to a support conversation takes this lock before touching its
/// consultation, so the two rows are always locked in the same order.
pub(crate) async fn next_seq<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    conversation: ConversationId,
    at: Timestamp,
) -> Result<Option<Allocated>, sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB> + Default,
    Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    (i64, String): for<'r> sqlx::FromRow<'r, DB::Row>,
{
    let row = sqlx::query_as::<DB, (i64, String)>(
        "UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = $2 \
         WHERE id = $1 RETURNING last_seq, kind",
    )
    .bind(conversation.0)
    .bind(at.as_millis())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(seq, kind)| Allocated {
        seq,
        support: kind == "support",
    }))
}

/// Why a send stored nothing (its transaction rolled back).
enum Refusal {
    MediaTaken,
    ConsultationClosed,
}

impl Store {
    /// Stores a message (see the module docs for the guarantees) and attaches
    /// its media in the same transaction. The sender's read marker moves to
    /// their own message: you have read what you wrote. If one of the uploads
    /// is not the sender's or is already attached, nothing is stored, no
    /// `seq` is used up, and the result is [`StoreError::MediaUnavailable`].
    /// In a support conversation whose consultation is closed nothing is
    /// stored either: [`StoreError::Conflict`] with `consultation_closed`
    /// (checked under the conversation's lock, so a send never lands after
    /// the closing note). A retry of an already stored `client_id` returns
    /// that message and attaches nothing.
    pub async fn send_message(&self, new: &NewMessage) -> Result<SendOutcome, StoreError> {
        if let Some(existing) = self.message_by_client_id(new).await? {
            return Ok(SendOutcome::Duplicate(existing));
        }
        // The body is an async block so that its `?`s stop here, where a
        // unique violation can be told apart from other failures.
        let stored: Result<Result<(), Refusal>, sqlx::Error> = with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let allocated = next_seq(&mut tx, new.conversation_id, new.created_at)
                    .await?
                    .ok_or(sqlx::Error::RowNotFound)?;
                if allocated.support
                    && !crate::support::touch_open_consultation(&mut tx, new.conversation_id, new.created_at)
                        .await?
                {
                    tx.rollback().await?;
                    return Ok(Err(Refusal::ConsultationClosed));
                }
                sqlx::query(
                    "INSERT INTO messages (id, conversation_id, seq, sender_id, text, client_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(new.id.0)
                .bind(new.conversation_id.0)
                .bind(allocated.seq)
                .bind(new.sender_id.0)
                .bind(&new.text)
                .bind(new.client_id.as_deref())
                .bind(new.created_at.as_millis())
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE conversation_members SET last_read_seq = $3 \
                     WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $3",
                )
                .bind(new.conversation_id.0)
                .bind(new.sender_id.0)
                .bind(allocated.seq)
                .execute(&mut *tx)
                .await?;
                reindex_in(&mut tx, Doc::Message(new.id), &new.text, false).await?;
                let target = Attachment::Message(new.id);
                if !attach_in(&mut tx, &new.media, new.sender_id, target, new.created_at).await? {
                    // Rolling back also gives the seq back: the next send takes it.
                    tx.rollback().await?;
                    return Ok(Err(Refusal::MediaTaken));
                }
                tx.commit().await?;
                Ok(Ok(()))
            }
            .await
        });
        match stored {
            Ok(Ok(())) => {}
            Ok(Err(Refusal::MediaTaken)) => return Err(StoreError::MediaUnavailable),
            Ok(Err(Refusal::ConsultationClosed)) => {
                return Err(StoreError::Conflict(ErrorCode::ConsultationClosed));
            }
            // A concurrent retry with the same client_id won the race: return its message.
            Err(e) if unique_violation(&e).is_some_and(|c| c.contains("client_id")) => {
                if let Some(existing) = self.message_by_client_id(new).await? {
                    return Ok(SendOutcome::Duplicate(existing));
                }
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        }
        let message = self
            .message_by_id(new.id)
            .await?
            .ok_or_else(|| StoreError::Invariant("message vanished after insert"))?;
        Ok(SendOutcome::Stored(message))
    }

    async fn message_by_client_id(
        &self,
        new: &NewMessage,
    ) -> Result<Option<MessageRecord>, StoreError> {
        let Some(client_id) = new.client_id.as_deref() else {
            return Ok(None);
        };
        // Read through the writer on SQLite: a retry must see a send that just committed.
        Ok(with_pool!(self, write, |pool| {
            sqlx::query_as::<_, MessageRecord>(select_messages!(
                "WHERE m.conversation_id = $1 AND m.sender_id = $2 AND m.client_id = $3"
            ))
            .bind(new.conversation_id.0)
            .bind(new.sender_id.0)
            .bind(client_id)
            .fetch_optional(pool)
            .await
        })?)
    }

    pub async fn message_by_id(&self, id: MessageId) -> Result<Option<MessageRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, MessageRecord>(select_messages!("WHERE m.id = $1"))
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Messages with `seq > after`, in `seq` order; fetches `limit + 1`.
    pub async fn messages_after(
        &self,
        conversation: ConversationId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, MessageRecord>(select_messages!(
                "WHERE m.conversation_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"
            ))
            .bind(conversation.0)
            .bind(after)
            .bind(i64::from(limit) + 1)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Messages with `seq < before`, newest first; fetches `limit + 1`.
    pub async fn messages_before(
        &self,
        conversation: ConversationId,
        before: i64,
        limit: u32,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, MessageRecord>(select_messages!(
                "WHERE m.conversation_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3"
            ))
            .bind(conversation.0)
            .bind(before)
            .bind(i64::from(limit) + 1)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The last message of each conversation in `ids`: one query.
    pub async fn last_messages(
        &self,
        ids: &[ConversationId],
    ) -> Result<Vec<MessageRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(select_messages!(
                "JOIN conversations c ON c.id = m.conversation_id AND m.seq = c.last_seq WHERE m.conversation_id IN "
            ));
            crate::pool::push_id_list(&mut q, ids);
            q.build_query_as::<MessageRecord>().fetch_all(pool).await
        })?)
    }

    /// Replaces a live message's text. False if it is missing or deleted.
    pub async fn edit_message(
        &self,
        id: MessageId,
        text: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE messages SET text = $2, edited_at = $3 WHERE id = $1 AND deleted_at IS NULL")
                .bind(id.0)
                .bind(text)
                .bind(at.as_millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                reindex_in(&mut tx, Doc::Message(id), text, true).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n)
        })?;
        Ok(n == 1)
    }

    /// Deletes a message's content but keeps its place (`seq`) in the history,
    /// so catch-up never sees a hole. False if it was missing or already deleted.
    pub async fn delete_message(&self, id: MessageId, at: Timestamp) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE messages SET text = '', deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL")
                .bind(id.0)
                .bind(at.as_millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                reindex_in(&mut tx, Doc::Message(id), "", true).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n)
        })?;
        Ok(n == 1)
    }

    /// Erases the text of everything `user` wrote (before their account goes).
    pub async fn erase_messages_of(&self, user: UserId, at: Timestamp) -> Result<u64, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "DELETE FROM message_terms WHERE message_id IN \
                 (SELECT id FROM messages WHERE sender_id = $1 AND deleted_at IS NULL)",
            )
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
            let n = sqlx::query("UPDATE messages SET text = '', deleted_at = $2 WHERE sender_id = $1 AND deleted_at IS NULL")
                .bind(user.0)
                .bind(at.as_millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n)
        })?)
    }
}
