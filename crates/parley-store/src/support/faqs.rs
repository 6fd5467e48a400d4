//! An organization's FAQ: entries in `position` order (a 1-based sort key;
//! equal positions keep their creation order, the UUIDv7 id), searched in
//! question and answer (see the module docs of `support` for how), paged by
//! a `(position, id)` cursor.

use crate::pool::with_pool;
use crate::support::{contains_pattern, search_key};
use crate::{Store, StoreError};
use parley_core::page::Cursor;
use parley_core::{FaqId, OrgId, Timestamp};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FaqRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: FaqId,
    #[sqlx(try_from = "Uuid")]
    pub org_id: OrgId,
    pub question: String,
    pub answer: String,
    pub position: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FaqRecord {
    /// This entry's place in the list, for the next page's cursor.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            at: self.position,
            id: self.id.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewFaq {
    pub id: FaqId,
    pub org: OrgId,
    pub question: String,
    pub answer: String,
    /// `None` puts it after the last entry.
    pub position: Option<i64>,
    pub at: Timestamp,
}

/// A partial update: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct FaqChanges {
    pub question: Option<String>,
    pub answer: Option<String>,
    pub position: Option<i64>,
}

macro_rules! select_faq {
    ($tail:literal) => {
        concat!(
            "SELECT id, org_id, question, answer, position, created_at, updated_at FROM faqs ",
            $tail
        )
    };
}

impl Store {
    /// Stores an entry. Without a position it goes after the last one,
    /// computed inside the INSERT; two concurrent appends may get the same
    /// position, and then still list in the order they were created.
    pub async fn create_faq(&self, new: &NewFaq) -> Result<FaqRecord, StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO faqs (id, org_id, question, answer, question_key, answer_key, position, created_at, updated_at) \
                 SELECT $1, $2, $3, $4, $5, $6, \
                 COALESCE($7, (SELECT COALESCE(MAX(position), 0) + 1 FROM faqs WHERE org_id = $2)), $8, $8",
            )
            .bind(new.id.0)
            .bind(new.org.0)
            .bind(&new.question)
            .bind(&new.answer)
            .bind(search_key(&new.question))
            .bind(search_key(&new.answer))
            .bind(new.position)
            .bind(new.at.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.faq_by_id(new.org, new.id)
            .await?
            .ok_or(StoreError::Invariant("FAQ entry vanished after insert"))
    }

    /// The entry, if it belongs to `org`.
    pub async fn faq_by_id(&self, org: OrgId, id: FaqId) -> Result<Option<FaqRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, FaqRecord>(select_faq!("WHERE id = $1 AND org_id = $2"))
                .bind(id.0)
                .bind(org.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Applies `changes` to an entry of `org`; `None` if there is none.
    pub async fn update_faq(
        &self,
        org: OrgId,
        id: FaqId,
        changes: &FaqChanges,
        at: Timestamp,
    ) -> Result<Option<FaqRecord>, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE faqs SET question = COALESCE($3, question), question_key = COALESCE($4, question_key), \
                 answer = COALESCE($5, answer), answer_key = COALESCE($6, answer_key), \
                 position = COALESCE($7, position), updated_at = $8 WHERE id = $1 AND org_id = $2",
            )
            .bind(id.0)
            .bind(org.0)
            .bind(changes.question.as_deref())
            .bind(changes.question.as_deref().map(search_key))
            .bind(changes.answer.as_deref())
            .bind(changes.answer.as_deref().map(search_key))
            .bind(changes.position)
            .bind(at.as_millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Ok(None);
        }
        self.faq_by_id(org, id).await
    }

    /// Deletes an entry of `org`; false if there was none.
    pub async fn delete_faq(&self, org: OrgId, id: FaqId) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM faqs WHERE id = $1 AND org_id = $2")
                .bind(id.0)
                .bind(org.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// The entries of `org` in `(position, id)` order after `cursor` (see
    /// [`FaqRecord::cursor`]), those whose question or answer contains
    /// `query` when it is given and not blank; fetches `limit + 1`.
    pub async fn faqs_of(
        &self,
        org: OrgId,
        query: Option<&str>,
        cursor: Option<Cursor>,
        limit: u32,
    ) -> Result<Vec<FaqRecord>, StoreError> {
        let pattern = query
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(contains_pattern);
        let (position, id) = cursor.map_or((i64::MIN, Uuid::nil()), |c| (c.at, c.id));
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, FaqRecord>(select_faq!(
                "WHERE org_id = $1 \
                 AND ($2 IS NULL OR question_key LIKE $2 ESCAPE '\\' OR answer_key LIKE $2 ESCAPE '\\') \
                 AND (position > $3 OR (position = $3 AND id > $4)) \
                 ORDER BY position, id LIMIT $5"
            ))
            .bind(org.0)
            .bind(pattern.as_deref())
            .bind(position)
            .bind(id)
            .bind(i64::from(limit) + 1)
            .fetch_all(pool)
            .await
        })?)
    }
}
