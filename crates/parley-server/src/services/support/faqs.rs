//! An organization's FAQ: read by anyone, in `position` order and searched
//! in question and answer; written by its agents.

use super::{org_by_slug, parse_text, require_agent};
use crate::protocol::views::Faq;
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::{Error, FaqId, FieldErrors, Result, Timestamp, UserId};
use parley_store::support::{FaqChanges, NewFaq};

pub const QUESTION_MAX: usize = 500;
pub const ANSWER_MAX: usize = 4000;
/// The longest search query.
pub const QUERY_MAX: usize = 100;

pub fn parse_question(raw: &str) -> std::result::Result<String, String> {
    parse_text(raw, 1, QUESTION_MAX, true)
}

pub fn parse_answer(raw: &str) -> std::result::Result<String, String> {
    parse_text(raw, 1, ANSWER_MAX, true)
}

fn parse_position(raw: i64) -> std::result::Result<i64, String> {
    if raw >= 1 {
        Ok(raw)
    } else {
        Err("must be at least 1".to_owned())
    }
}

/// What `PATCH .../faqs/{id}` asks for, unchecked; `None` leaves a field.
#[derive(Debug, Clone, Default)]
pub struct FaqEdit {
    pub question: Option<String>,
    pub answer: Option<String>,
    pub position: Option<i64>,
}

/// The FAQ of the organization in `(position, creation)` order, those whose
/// question or answer contains `q` (any case, any script) when it is given.
pub async fn list(
    state: &AppState,
    slug: &str,
    q: Option<&str>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<Faq>> {
    let org = org_by_slug(state, slug).await?;
    if q.is_some_and(|q| q.trim().chars().count() > QUERY_MAX) {
        return Err(Error::validation(
            "q",
            format!("must be at most {QUERY_MAX} characters"),
        ));
    }
    let rows = state.store.faqs_of(org.id, q, cursor, limit).await?;
    Ok(Page::from_overfetch(rows, limit, |r| r.cursor()).map(|r| Faq::from_record(&r)))
}

/// Adds an entry; agents only. Without a position it goes last.
pub async fn create(
    state: &AppState,
    slug: &str,
    me: UserId,
    question: &str,
    answer: &str,
    position: Option<i64>,
) -> Result<Faq> {
    let org = org_by_slug(state, slug).await?;
    require_agent(state, &org, me).await?;
    let mut errors = FieldErrors::new();
    let question = errors.check("question", parse_question(question));
    let answer = errors.check("answer", parse_answer(answer));
    let position = match position {
        Some(p) => errors.check("position", parse_position(p)),
        None => None,
    };
    errors.finish()?;
    let (Some(question), Some(answer)) = (question, answer) else {
        return Err(Error::internal("checked fields missing"));
    };
    let record = state
        .store
        .create_faq(&NewFaq {
            id: FaqId::new(),
            org: org.id,
            question,
            answer,
            position,
            at: Timestamp::now(),
        })
        .await?;
    Ok(Faq::from_record(&record))
}

/// Changes an entry of this organization (another one's id is 404); agents only.
pub async fn update(
    state: &AppState,
    slug: &str,
    me: UserId,
    id: FaqId,
    edit: FaqEdit,
) -> Result<Faq> {
    let org = org_by_slug(state, slug).await?;
    require_agent(state, &org, me).await?;
    let mut errors = FieldErrors::new();
    let question = edit
        .question
        .as_deref()
        .and_then(|q| errors.check("question", parse_question(q)));
    let answer = edit
        .answer
        .as_deref()
        .and_then(|a| errors.check("answer", parse_answer(a)));
    let position = edit
        .position
        .and_then(|p| errors.check("position", parse_position(p)));
    errors.finish()?;
    let changes = FaqChanges {
        question,
        answer,
        position,
    };
    let record = state
        .store
        .update_faq(org.id, id, &changes, Timestamp::now())
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Faq::from_record(&record))
}

/// Deletes an entry of this organization (another one's id is 404); agents only.
pub async fn delete(state: &AppState, slug: &str, me: UserId, id: FaqId) -> Result<()> {
    let org = org_by_slug(state, slug).await?;
    require_agent(state, &org, me).await?;
    if state.store.delete_faq(org.id, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}
