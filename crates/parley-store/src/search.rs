//! Full-text search over our own inverted index (`post_terms`,
//! `message_terms`): the same tables and the same query text on SQLite and
//! PostgreSQL, with no FTS5 or PostgreSQL extension. `parley_core::search`
//! turns text into terms; here they are stored in the transaction that writes
//! the text ([`reindex_in`]), and looked up as prefixes: `term >= q AND term <
//! q || U+10FFFF` over byte-ordered keys (BINARY on SQLite, `COLLATE "C"` on
//! PostgreSQL), so a query never goes through `LIKE` and `%`/`_`/`\` in it
//! mean nothing. Every query term must match (one `IN` per term). Results
//! are newest first, paged by keyset on the UUIDv7 id like the feeds.

use crate::blocks::{not_blocked, not_muted};
use crate::messages::MessageRecord;
use crate::pool::with_pool;
use crate::posts::PostRecord;
use crate::{Store, StoreError};
use parley_core::search::index_terms;
use parley_core::{ConversationId, MessageId, PostId, Timestamp, UserId};
use uuid::Uuid;

/// Rows of terms per INSERT statement (two parameters each).
const TERMS_PER_STATEMENT: usize = 1000;
/// Documents per backfill transaction.
const BACKFILL_BATCH: i64 = 500;
/// The `store_jobs` row that says existing documents are indexed.
const BACKFILL_JOB: &str = "search_backfill";

/// Which index a document lives in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Doc {
    Post(PostId),
    Message(MessageId),
}

impl Doc {
    fn table(self) -> (&'static str, &'static str, Uuid) {
        match self {
            Self::Post(id) => ("post_terms", "post_id", id.0),
            Self::Message(id) => ("message_terms", "message_id", id.0),
        }
    }
}

/// Replaces the terms of `doc` with those of `text` inside the caller's
/// transaction (`replace: false` for a new document, which has none yet).
/// An empty text (a deleted message) leaves no terms.
pub(crate) async fn reindex_in<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    doc: Doc,
    text: &str,
    replace: bool,
) -> Result<(), sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB> + Default,
    Uuid: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let (table, column, id) = doc.table();
    if replace {
        let mut q = sqlx::QueryBuilder::<DB>::new("DELETE FROM ");
        q.push(table).push(" WHERE ").push(column).push(" = ");
        q.push_bind(id);
        q.build().execute(&mut **tx).await?;
    }
    let terms = index_terms(text);
    for chunk in terms.chunks(TERMS_PER_STATEMENT) {
        let mut q = sqlx::QueryBuilder::<DB>::new("INSERT INTO ");
        q.push(table).push(" (term, ").push(column).push(") ");
        q.push_values(chunk, |mut row, term| {
            row.push_bind(term.clone()).push_bind(id);
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Appends `AND <id_column> IN (SELECT <doc_column> FROM <table> WHERE term
/// range)` for each term: every term must match, each as a prefix.
fn push_term_filters<DB>(
    q: &mut sqlx::QueryBuilder<DB>,
    id_column: &str,
    table: &str,
    doc_column: &str,
    terms: &[String],
) where
    DB: sqlx::Database,
    String: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for term in terms {
        q.push(" AND ").push(id_column).push(" IN (SELECT ");
        q.push(doc_column).push(" FROM ").push(table);
        q.push(" WHERE term >= ").push_bind(term.clone());
        q.push(" AND term < ")
            .push_bind(format!("{term}{}", char::MAX));
        q.push(")");
    }
}

/// Where a message search looks.
#[derive(Debug, Clone, Copy)]
pub enum MessageScope {
    /// Every conversation `user` is a member of.
    MemberOf(UserId),
    /// One conversation (the caller has checked the reader may see it).
    Conversation(ConversationId),
}

impl Store {
    /// Up to `limit` posts older than `before` (newest first) whose text has
    /// every one of `terms` as a word prefix, without those of authors
    /// `viewer` blocks, mutes or is blocked by. No terms: nothing.
    pub async fn search_posts(
        &self,
        terms: &[String],
        viewer: Option<UserId>,
        before: Option<PostId>,
        limit: u32,
    ) -> Result<Vec<PostRecord>, StoreError> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let before = before.map_or(Uuid::max(), |id| id.0);
        Ok(with_pool!(self, read, |pool| {
            // The columns of posts::select_posts!.
            let mut q = sqlx::QueryBuilder::new(
                "SELECT p.id, p.author_id, u.username AS author_username, \
                 u.display_name AS author_display_name, u.avatar_key AS author_avatar_key, \
                 p.text, p.like_count, p.comment_count, p.created_at, p.edited_at \
                 FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id < ",
            );
            q.push_bind(before);
            // The feeds' filters, with the viewer bound where they name `$v`.
            let viewer = viewer.map(|v| v.0);
            for filter in [
                not_blocked!("p.author_id", "$v"),
                not_muted!("p.author_id", "$v"),
            ] {
                let mut parts = filter.split("$v");
                q.push(" AND ").push(parts.next().unwrap_or_default());
                for part in parts {
                    q.push_bind(viewer).push(part);
                }
            }
            push_term_filters(&mut q, "p.id", "post_terms", "post_id", terms);
            q.push(" ORDER BY p.id DESC LIMIT ")
                .push_bind(i64::from(limit));
            q.build_query_as::<PostRecord>().fetch_all(pool).await
        })?)
    }

    /// Up to `limit` live (not deleted) messages of `scope` older than
    /// `before` (newest first) whose text has every one of `terms` as a word
    /// prefix. No terms: nothing.
    pub async fn search_messages(
        &self,
        scope: MessageScope,
        terms: &[String],
        before: Option<MessageId>,
        limit: u32,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let before = before.map_or(Uuid::max(), |id| id.0);
        Ok(with_pool!(self, read, |pool| {
            // The columns of messages::select_messages!.
            let mut q = sqlx::QueryBuilder::new(
                "SELECT m.id, m.conversation_id, m.seq, m.sender_id, u.username AS sender_username, \
                 u.display_name AS sender_display_name, u.avatar_key AS sender_avatar_key, m.text, \
                 m.client_id, m.created_at, m.edited_at, m.deleted_at, m.kind \
                 FROM messages m LEFT JOIN users u ON u.id = m.sender_id \
                 WHERE m.deleted_at IS NULL AND m.id < ",
            );
            q.push_bind(before);
            match scope {
                MessageScope::MemberOf(user) => {
                    q.push(
                        " AND m.conversation_id IN \
                         (SELECT conversation_id FROM conversation_members WHERE user_id = ",
                    );
                    q.push_bind(user.0).push(")");
                }
                MessageScope::Conversation(id) => {
                    q.push(" AND m.conversation_id = ").push_bind(id.0);
                }
            }
            push_term_filters(&mut q, "m.id", "message_terms", "message_id", terms);
            q.push(" ORDER BY m.id DESC LIMIT ")
                .push_bind(i64::from(limit));
            q.build_query_as::<MessageRecord>().fetch_all(pool).await
        })?)
    }

    /// The support conversations among `ids` (their messages carry an
    /// organization): one query.
    pub async fn support_conversations_among(
        &self,
        ids: &[ConversationId],
    ) -> Result<Vec<ConversationId>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<Uuid> = with_pool!(self, read, |pool| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT id FROM conversations WHERE kind = 'support' AND id IN ",
            );
            crate::pool::push_id_list(&mut q, ids);
            q.build_query_scalar::<Uuid>().fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(ConversationId).collect())
    }

    /// Indexes the posts and live messages stored before the index existed
    /// (or inserted around it, as `parley seed` does), once: a `store_jobs`
    /// row records that it ran, so later starts cost one query. Each batch
    /// takes its rows with `UPDATE ... SET text = text RETURNING`, which
    /// locks them on PostgreSQL, so an edit on another node cannot slip
    /// between reading a text and writing its terms. Returns how many
    /// documents it indexed.
    pub async fn search_backfill(&self) -> Result<u64, StoreError> {
        let done = with_pool!(self, write, |pool| {
            sqlx::query_scalar::<_, i64>("SELECT done_at FROM store_jobs WHERE name = $1")
                .bind(BACKFILL_JOB)
                .fetch_optional(pool)
                .await
        })?;
        if done.is_some() {
            return Ok(0);
        }
        let mut total = 0;
        for (table, doc_is_post) in [("posts", true), ("messages", false)] {
            let mut after = Uuid::nil();
            loop {
                let batch = self.backfill_batch(table, doc_is_post, after).await?;
                let Some(last) = batch.last_id else { break };
                total += batch.count;
                after = last;
            }
        }
        with_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO store_jobs (name, done_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(BACKFILL_JOB)
            .bind(Timestamp::now().as_millis())
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(total)
    }

    async fn backfill_batch(
        &self,
        table: &'static str,
        posts: bool,
        after: Uuid,
    ) -> Result<BackfillBatch, StoreError> {
        Ok(with_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let mut q = sqlx::QueryBuilder::new("SELECT id FROM ");
                q.push(table).push(" WHERE id > ").push_bind(after);
                if !posts {
                    q.push(" AND deleted_at IS NULL");
                }
                q.push(" ORDER BY id LIMIT ").push_bind(BACKFILL_BATCH);
                let ids: Vec<Uuid> = q.build_query_scalar().fetch_all(&mut *tx).await?;
                let Some(&last) = ids.last() else {
                    tx.commit().await?;
                    return Ok::<_, sqlx::Error>(BackfillBatch::default());
                };
                let mut q = sqlx::QueryBuilder::new("UPDATE ");
                q.push(table).push(" SET text = text WHERE id IN ");
                q.push("(");
                let mut list = q.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                q.push(") RETURNING id, text");
                let rows: Vec<(Uuid, String)> = q.build_query_as().fetch_all(&mut *tx).await?;
                for (id, text) in &rows {
                    let doc = if posts {
                        Doc::Post(PostId(*id))
                    } else {
                        Doc::Message(MessageId(*id))
                    };
                    reindex_in(&mut tx, doc, text, true).await?;
                }
                tx.commit().await?;
                Ok(BackfillBatch {
                    last_id: Some(last),
                    count: rows.len() as u64,
                })
            }
            .await
        })?)
    }

    /// Forgets that the backfill ran, so the next start indexes everything
    /// again (after rows were inserted without their terms).
    pub async fn reset_search_backfill(&self) -> Result<(), StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM store_jobs WHERE name = $1")
                .bind(BACKFILL_JOB)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }
}

#[derive(Debug, Default)]
struct BackfillBatch {
    last_id: Option<Uuid>,
    count: u64,
}
