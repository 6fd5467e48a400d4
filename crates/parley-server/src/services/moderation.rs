//! Reports and moderation (issue 15): anyone signed in reports a post, a
//! comment, a message of a conversation they are in, or an account; admins
//! work the queue (dismiss, remove the content, suspend the account),
//! suspend and unsuspend accounts directly, and read the audit log.
//!
//! Rules kept here: a report's target must exist and be visible to the
//! reporter (a message outside their conversations does not exist for
//! them), nobody reports themselves or their own content, and a second
//! report of the same target while the first is open returns the first.
//! Admins are never suspended (nor suspend themselves). Each action writes
//! its audit row in the transaction of its change (`Store::moderate`);
//! removing content goes through the content's own delete path first (its
//! counters, media and `post:deleted` / `message:deleted`), then closes the
//! reports with the audit row, so a failure in between leaves the reports
//! open to be resolved again, never an unrecorded resolution.

use crate::delivery::{Effect, Outcome, Room};
use crate::protocol::views::{
    AuditEntry, ModeratedUser, QueuedReport, Report, ReportReason, ReportStatus, ReportTargetKind,
    Role, UserSummary,
};
use crate::services::limits::{self, Action};
use crate::services::{chat, messages, posts};
use crate::state::AppState;
use parley_core::page::{Cursor, Page};
use parley_core::{
    AuditId, CommentId, Error, ErrorCode, MessageId, PostId, ReportId, Result, Timestamp, UserId,
};
use parley_store::moderation::{
    AccountChange, AuditRecord, CloseReports, Moderation, NewReport, ReportRecord,
};
use parley_store::{Store, UserRecord};
use uuid::Uuid;

/// The longest report comment or resolution note, in characters.
pub const MAX_COMMENT: usize = 1000;

/// What `POST /api/v1/reports` asks.
#[derive(Debug)]
pub struct ReportInput {
    pub target_kind: ReportTargetKind,
    pub target_id: Uuid,
    pub reason: ReportReason,
    pub comment: Option<String>,
}

/// How an admin resolves a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Nothing wrong: close the report(s).
    Dismiss,
    /// Delete the post, comment or message (not for an account report).
    RemoveContent,
    /// Suspend the reported account (the author of reported content).
    SuspendAccount,
}

impl Resolution {
    fn action(self) -> &'static str {
        match self {
            Self::Dismiss => "report.dismiss",
            Self::RemoveContent => "report.remove_content",
            Self::SuspendAccount => "report.suspend_account",
        }
    }
}

fn kind_word(kind: ReportTargetKind) -> &'static str {
    match kind {
        ReportTargetKind::Post => "post",
        ReportTargetKind::Comment => "comment",
        ReportTargetKind::Message => "message",
        ReportTargetKind::User => "user",
    }
}

fn kind_of(word: &str) -> ReportTargetKind {
    match word {
        "post" => ReportTargetKind::Post,
        "comment" => ReportTargetKind::Comment,
        "message" => ReportTargetKind::Message,
        _ => ReportTargetKind::User,
    }
}

fn reason_word(reason: ReportReason) -> &'static str {
    match reason {
        ReportReason::Spam => "spam",
        ReportReason::Abuse => "abuse",
        ReportReason::Illegal => "illegal",
        ReportReason::Other => "other",
    }
}

fn reason_of(word: &str) -> ReportReason {
    match word {
        "spam" => ReportReason::Spam,
        "abuse" => ReportReason::Abuse,
        "illegal" => ReportReason::Illegal,
        _ => ReportReason::Other,
    }
}

pub fn status_word(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Open => "open",
        ReportStatus::Resolved => "resolved",
        ReportStatus::Dismissed => "dismissed",
    }
}

fn status_of(word: &str) -> ReportStatus {
    match word {
        "resolved" => ReportStatus::Resolved,
        "dismissed" => ReportStatus::Dismissed,
        _ => ReportStatus::Open,
    }
}

/// A free-text field of at most [`MAX_COMMENT`] characters, trimmed.
fn parse_note(field: &str, raw: Option<&str>) -> Result<String> {
    let text = raw.unwrap_or("").trim();
    if text.chars().count() > MAX_COMMENT {
        return Err(Error::validation(
            field,
            format!("must be at most {MAX_COMMENT} characters"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(text.to_owned())
}

/// The signed-in user, if an admin; `not_admin` otherwise.
pub async fn require_admin(state: &AppState, user: UserId) -> Result<UserRecord> {
    let me = state
        .store
        .user_by_id(user)
        .await?
        .ok_or(Error::Refused(ErrorCode::Unauthorized))?;
    if Role::of(&me.role) == Role::Admin {
        Ok(me)
    } else {
        Err(Error::Refused(ErrorCode::NotAdmin))
    }
}

/// Files a report; `(report, false)` when the reporter's open report of
/// this target is returned instead of a new one.
pub async fn report(
    state: &AppState,
    reporter: UserId,
    input: ReportInput,
) -> Result<(Report, bool)> {
    let comment = parse_note("comment", input.comment.as_deref())?;
    let (target_user, snapshot) = match input.target_kind {
        ReportTargetKind::Post => {
            let post = state
                .store
                .post_by_id(PostId(input.target_id))
                .await?
                .ok_or(Error::NotFound)?;
            (Some(post.author_id), post.text)
        }
        ReportTargetKind::Comment => {
            let comment = state
                .store
                .comment_by_id(CommentId(input.target_id))
                .await?
                .ok_or(Error::NotFound)?;
            (Some(comment.author_id), comment.text)
        }
        ReportTargetKind::Message => {
            let message = state
                .store
                .message_by_id(MessageId(input.target_id))
                .await?
                .ok_or(Error::NotFound)?;
            // Not in the conversation: the message does not exist for them.
            chat::member_conversation(state, reporter, message.conversation_id).await?;
            if message.deleted_at.is_some() {
                return Err(Error::NotFound);
            }
            (message.sender_id, message.text)
        }
        ReportTargetKind::User => {
            let user = state
                .store
                .user_by_id(UserId(input.target_id))
                .await?
                .ok_or(Error::NotFound)?;
            (
                Some(user.id),
                format!("@{} ({})\n{}", user.username, user.display_name, user.bio),
            )
        }
    };
    if target_user == Some(reporter) {
        return Err(Error::validation(
            "target_id",
            "you cannot report yourself or your own content",
        ));
    }
    limits::charge(state, Action::Report, reporter).await?;
    let (row, created) = state
        .store
        .create_report(&NewReport {
            id: ReportId::new(),
            reporter,
            target_kind: kind_word(input.target_kind),
            target_id: input.target_id,
            target_user,
            reason: reason_word(input.reason),
            comment: &comment,
            snapshot: &snapshot,
            at: Timestamp::now(),
        })
        .await?;
    if created {
        tracing::info!(report_id = %row.id, kind = %row.target_kind, "report filed");
    }
    Ok((report_view(&row), created))
}

fn report_view(r: &ReportRecord) -> Report {
    Report {
        id: ReportId(r.id),
        target_kind: kind_of(&r.target_kind),
        target_id: r.target_id.to_string(),
        reason: reason_of(&r.reason),
        comment: r.comment.clone(),
        status: status_of(&r.status),
        created_at: Timestamp(r.created_at),
    }
}

fn summary(
    id: Option<Uuid>,
    username: Option<&str>,
    display_name: Option<&str>,
    avatar_key: Option<&str>,
) -> Option<UserSummary> {
    match (id, username) {
        (Some(id), Some(username)) => Some(UserSummary::new(
            UserId(id),
            username,
            display_name.unwrap_or(username),
            avatar_key,
        )),
        _ => None,
    }
}

/// The queue's view of a report, with what the target-user row says of
/// their role (looked up only for the accounts on the page).
fn queued(r: &ReportRecord, admins: &[Uuid]) -> QueuedReport {
    QueuedReport {
        report: report_view(r),
        reporter: summary(
            r.reporter_id,
            r.reporter_username.as_deref(),
            r.reporter_display_name.as_deref(),
            r.reporter_avatar_key.as_deref(),
        ),
        target_user: summary(
            r.target_user_id,
            r.target_username.as_deref(),
            r.target_display_name.as_deref(),
            r.target_avatar_key.as_deref(),
        )
        .map(|user| ModeratedUser {
            role: if admins.contains(&user.id.0) {
                Role::Admin
            } else {
                Role::User
            },
            user,
            suspended_at: r.target_suspended_at.map(Timestamp),
        }),
        preview: r.snapshot.clone(),
        removed: !r.target_present,
        resolved_at: r.resolved_at.map(Timestamp),
        resolved_by: summary(r.resolved_by, r.resolved_by_username.as_deref(), None, None),
        resolution_note: r.resolution_note.clone(),
    }
}

/// The admins among the target accounts of `rows` (one lookup per distinct account).
async fn admins_among(state: &AppState, rows: &[ReportRecord]) -> Result<Vec<Uuid>> {
    let mut ids: Vec<Uuid> = rows.iter().filter_map(|r| r.target_user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut admins = Vec::new();
    for id in ids {
        if let Some(user) = state.store.user_by_id(UserId(id)).await?
            && Role::of(&user.role) == Role::Admin
        {
            admins.push(id);
        }
    }
    Ok(admins)
}

/// The reports of `status`, newest first.
pub async fn queue(
    state: &AppState,
    admin: UserId,
    status: ReportStatus,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<QueuedReport>> {
    require_admin(state, admin).await?;
    let rows = state
        .store
        .reports_page(status_word(status), cursor.map(|c| c.id), limit + 1)
        .await?;
    let admins = admins_among(state, &rows).await?;
    Ok(Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id)).map(|r| queued(&r, &admins)))
}

/// One report of the queue.
pub async fn queued_report(state: &AppState, id: ReportId) -> Result<QueuedReport> {
    let row = state.store.report_by_id(id).await?.ok_or(Error::NotFound)?;
    let admins = admins_among(state, std::slice::from_ref(&row)).await?;
    Ok(queued(&row, &admins))
}

/// Resolves a report (and every other open report of its target) with
/// `resolution`; returns the report as it now is.
pub async fn resolve(
    state: &AppState,
    admin: UserId,
    id: ReportId,
    resolution: Resolution,
    note: Option<&str>,
) -> Result<Outcome<QueuedReport>> {
    require_admin(state, admin).await?;
    let note = parse_note("note", note)?;
    let report = state.store.report_by_id(id).await?.ok_or(Error::NotFound)?;
    if report.status != "open" {
        return Err(Error::validation("id", "this report is closed already"));
    }
    let kind = kind_of(&report.target_kind);
    let target_user = report.target_user_id.map(UserId);
    let mut effects = Vec::new();
    let mut change = None;
    let (audit_kind, audit_target) = match resolution {
        Resolution::Dismiss => (report.target_kind.as_str(), report.target_id),
        Resolution::RemoveContent => {
            effects = remove_content(state, kind, report.target_id).await?;
            (report.target_kind.as_str(), report.target_id)
        }
        Resolution::SuspendAccount => {
            let user = target_user.ok_or(Error::validation(
                "action",
                "the reported account no longer exists",
            ))?;
            check_suspendable(state, admin, user).await?;
            change = Some(AccountChange::Suspend(user));
            ("user", user.0)
        }
    };
    let detail = if note.is_empty() {
        format!("report {id}")
    } else {
        format!("report {id}: {note}")
    };
    let done = state
        .store
        .moderate(&Moderation {
            actor: Some(admin),
            action: resolution.action(),
            target_kind: audit_kind,
            target_id: audit_target,
            target_user,
            detail: &detail,
            change,
            close: Some(CloseReports {
                target_kind: &report.target_kind,
                target_id: report.target_id,
                status: if resolution == Resolution::Dismiss {
                    "dismissed"
                } else {
                    "resolved"
                },
                note: &note,
            }),
            at: Timestamp::now(),
        })
        .await?;
    tracing::info!(report_id = %id, action = resolution.action(), closed = done.closed_reports, "report resolved");
    if !done.ended_sessions.is_empty() {
        effects.push(Effect::Disconnect(
            done.ended_sessions.into_iter().map(Room::Session).collect(),
        ));
    }
    let after = queued_report(state, id).await?;
    Ok(Outcome::new(after, effects))
}

/// Deletes reported content through its own delete path; content already
/// gone is fine (the report closes all the same).
async fn remove_content(
    state: &AppState,
    kind: ReportTargetKind,
    target: Uuid,
) -> Result<Vec<Effect>> {
    match kind {
        ReportTargetKind::Post => {
            let Some(post) = state.store.post_by_id(PostId(target)).await? else {
                return Ok(Vec::new());
            };
            match posts::remove(state, post.id, post.author_id).await {
                Ok(outcome) => Ok(outcome.effects),
                Err(Error::NotFound) => Ok(Vec::new()),
                Err(e) => Err(e),
            }
        }
        ReportTargetKind::Comment => {
            state.store.delete_comment(CommentId(target)).await?;
            Ok(Vec::new())
        }
        ReportTargetKind::Message => {
            let Some(message) = state.store.message_by_id(MessageId(target)).await? else {
                return Ok(Vec::new());
            };
            let Some(conversation) = state.store.conversation(message.conversation_id).await?
            else {
                return Ok(Vec::new());
            };
            let support =
                crate::services::support::consultations::of_conversation(state, &conversation)
                    .await?;
            Ok(messages::remove(state, &message, support.as_ref())
                .await?
                .effects)
        }
        ReportTargetKind::User => Err(Error::validation(
            "action",
            "an account report has no content to remove; suspend the account instead",
        )),
    }
}

/// Refuses suspending oneself or an admin.
async fn check_suspendable(state: &AppState, admin: UserId, user: UserId) -> Result<UserRecord> {
    if user == admin {
        return Err(Error::validation("username", "you cannot suspend yourself"));
    }
    let record = state.store.user_by_id(user).await?.ok_or(Error::NotFound)?;
    if Role::of(&record.role) == Role::Admin {
        return Err(Error::validation(
            "username",
            "an admin cannot be suspended; revoke the role first",
        ));
    }
    Ok(record)
}

fn moderated(user: &UserRecord) -> ModeratedUser {
    ModeratedUser {
        user: UserSummary::new(
            user.id,
            &user.username,
            &user.display_name,
            user.avatar_key.as_deref(),
        ),
        role: Role::of(&user.role),
        suspended_at: user.suspended_at.map(Timestamp),
    }
}

/// Suspends `username` (idempotent): every session ends and its sockets
/// are disconnected on every node; signing in is refused until unsuspended.
pub async fn suspend(
    state: &AppState,
    admin: UserId,
    username: &str,
    note: Option<&str>,
) -> Result<Outcome<ModeratedUser>> {
    require_admin(state, admin).await?;
    let note = parse_note("note", note)?;
    let target = crate::services::profiles::by_username(state, username).await?;
    check_suspendable(state, admin, target.id).await?;
    if target.suspended_at.is_some() {
        return Ok(Outcome::quiet(moderated(&target)));
    }
    let done = state
        .store
        .moderate(&Moderation {
            actor: Some(admin),
            action: "user.suspend",
            target_kind: "user",
            target_id: target.id.0,
            target_user: Some(target.id),
            detail: &note,
            change: Some(AccountChange::Suspend(target.id)),
            close: None,
            at: Timestamp::now(),
        })
        .await?;
    tracing::info!(user_id = %target.id, sessions = done.ended_sessions.len(), "account suspended");
    let after = refreshed(state, target.id).await?;
    Ok(Outcome::quiet(moderated(&after)).with(Effect::Disconnect(
        done.ended_sessions.into_iter().map(Room::Session).collect(),
    )))
}

/// Lifts a suspension (idempotent).
pub async fn unsuspend(state: &AppState, admin: UserId, username: &str) -> Result<ModeratedUser> {
    require_admin(state, admin).await?;
    let target = crate::services::profiles::by_username(state, username).await?;
    if target.suspended_at.is_none() {
        return Ok(moderated(&target));
    }
    state
        .store
        .moderate(&Moderation {
            actor: Some(admin),
            action: "user.unsuspend",
            target_kind: "user",
            target_id: target.id.0,
            target_user: Some(target.id),
            detail: "",
            change: Some(AccountChange::Unsuspend(target.id)),
            close: None,
            at: Timestamp::now(),
        })
        .await?;
    tracing::info!(user_id = %target.id, "account unsuspended");
    Ok(moderated(&refreshed(state, target.id).await?))
}

async fn refreshed(state: &AppState, user: UserId) -> Result<UserRecord> {
    state.store.user_by_id(user).await?.ok_or(Error::NotFound)
}

/// The audit log, newest first.
pub async fn audit(
    state: &AppState,
    admin: UserId,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<AuditEntry>> {
    require_admin(state, admin).await?;
    let rows = state
        .store
        .audit_page(cursor.map(|c| c.id), limit + 1)
        .await?;
    Ok(Page::from_overfetch(rows, limit, |r| Cursor::after_id(r.id)).map(|r| audit_view(&r)))
}

fn audit_view(r: &AuditRecord) -> AuditEntry {
    AuditEntry {
        id: AuditId(r.id),
        actor: summary(
            r.actor_id,
            r.actor_username.as_deref(),
            r.actor_display_name.as_deref(),
            r.actor_avatar_key.as_deref(),
        ),
        action: r.action.clone(),
        target_kind: r.target_kind.clone(),
        target_id: r.target_id.to_string(),
        target_user: summary(
            r.target_user_id,
            r.target_username.as_deref(),
            r.target_display_name.as_deref(),
            r.target_avatar_key.as_deref(),
        ),
        detail: r.detail.clone(),
        created_at: Timestamp(r.created_at),
    }
}

/// `parley admin grant|revoke USERNAME`: sets the account's role, recorded
/// in the audit log with no actor (the command line). `Ok(false)` when the
/// account had that role already; `NotFound` for an unknown username.
pub async fn set_role_from_cli(store: &Store, username: &str, admin: bool) -> Result<bool> {
    let username = username.trim().to_lowercase();
    let user = store
        .user_by_username(&username)
        .await?
        .ok_or(Error::NotFound)?;
    let (role, action) = if admin {
        ("admin", "role.grant")
    } else {
        ("user", "role.revoke")
    };
    if user.role == role {
        return Ok(false);
    }
    let done = store
        .moderate(&Moderation {
            actor: None,
            action,
            target_kind: "user",
            target_id: user.id.0,
            target_user: Some(user.id),
            detail: "parley admin (command line)",
            change: Some(AccountChange::Role(user.id, role)),
            close: None,
            at: Timestamp::now(),
        })
        .await?;
    Ok(done.changed)
}
