//! The support desk's store: organizations and their agents, FAQs, and
//! consultations (a customer's case, whose messages live in a `support`
//! conversation so every chat path — send, history, sync, read — serves it).
//!
//! Access to a support conversation is by role, not by membership rows: the
//! customer is its only `conversation_members` row (so their read marker and
//! unread count work like any chat), and agents are let in through
//! [`Store::is_support_participant`](crate::Store::is_support_participant),
//! so adding or removing an agent never has to touch every conversation.
//!
//! Searches (directory, FAQ) match a case-insensitive substring in any
//! script: the text and the query are both lower-cased in Rust (SQLite's
//! `lower()` folds only ASCII, PostgreSQL's depends on the collation, so
//! folding in SQL would make the dialects disagree) and compared with
//! `LIKE '%query%' ESCAPE '\'`, the query's `%`, `_` and `\` escaped so they
//! match literally. A substring cannot use a B-tree index; the lists are an
//! organization's FAQ or a directory page, small enough for a scan.

mod agents;
mod consultations;
mod faqs;
mod messages;
mod orgs;

pub use agents::{AgentRecord, RemoveAgent};
pub use consultations::{Assignment, ConsultationRecord, NewConsultation, Transitioned};
pub use faqs::{FaqChanges, FaqRecord, NewFaq};
pub(crate) use messages::touch_open_consultation;
pub use orgs::{NewOrg, OrgChanges, OrgRecord};

/// The lower-cased search key stored next to a searchable text.
pub(crate) fn search_key(text: &str) -> String {
    text.to_lowercase()
}

/// `%<query>%` for `LIKE ... ESCAPE '\'`: lower-cased like the stored keys,
/// with the wildcards of the query itself escaped.
pub(crate) fn contains_pattern(query: &str) -> String {
    let mut pattern = String::with_capacity(query.len() + 2);
    pattern.push('%');
    for c in search_key(query).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn patterns_escape_wildcards_and_fold_case() {
        assert_eq!(contains_pattern("Abc"), "%abc%");
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(contains_pattern("고객"), "%고객%");
    }
}
