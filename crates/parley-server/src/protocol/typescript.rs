//! The web client's protocol types, generated from this module's Rust types
//! with ts-rs into `web/src/api/generated.ts`: every JSON shape, request
//! body, ack, error code, and the `ServerEvents` / `ClientEvents` maps that
//! type the client's socket. The test fails when the checked-in file is
//! stale; `PARLEY_UPDATE_GENERATED=1 cargo test -p parley-server --lib
//! typescript` rewrites it.

use crate::protocol::acks::{Ack, Done, SendAck, SyncAck, WatchAck};
use crate::protocol::errors::ErrorDetail;
use crate::protocol::events::{
    ConsultationEvent, ConversationEvent, MessageDeletedEvent, MessageEvent, NotificationEvent,
    PostDeletedEvent, PostEvent, Presence, ReadEvent, ServerEvent, TypingEvent,
};
use crate::protocol::requests::{
    InConversation, MarkRead, SendMessage, SetTyping, SyncMessages, WatchPresence,
};
use crate::protocol::views::{
    Agent, AuthProvider, Comment, Consultation, Conversation, Domain, Faq, FaqExchange, Identity,
    Me, Media, Member, Message, NewSecret, Notification, OAuthRedirect, OpenToken, OrgSummary,
    Organization, Page, Post, Reaction, Session, SessionInfo, SessionsEnded, SignedInSession,
    TagCount, User, UserSummary,
};
use crate::protocol::views::{
    AuditEntry, ModeratedUser, QueuedReport, Report, ReportReason, ReportStatus, ReportTargetKind,
    Role,
};
use crate::protocol::views::{MessageHit, PostHit, TextRange};
use parley_core::{
    AgentRole, CommentId, ConsultationId, ConsultationStatus, ConversationId, ConversationKind,
    DomainId, DomainTier, ErrorCode, FaqId, MediaId, MediaStatus, MessageId, MessageKind,
    NotificationId, NotificationKind, OrgId, OrgVisibility, PostId, Timestamp, UserId,
};
use parley_core::{AuditId, ReportId};
use ts_rs::{Config, TS};

const GENERATED: &str = "web/src/api/generated.ts";

/// Every client-to-server event: its wire name, payload type and ack type.
const CLIENT_EVENTS: &[(&str, &str, &str)] = &[
    (
        "message:send",
        "InConversation<SendMessage>",
        "Ack<SendAck>",
    ),
    ("read", "InConversation<MarkRead>", "Ack<Done>"),
    ("sync", "InConversation<SyncMessages>", "Ack<SyncAck>"),
    ("typing", "InConversation<SetTyping>", "Ack<Done>"),
    ("presence:watch", "WatchPresence", "Ack<WatchAck>"),
];

fn declarations(cfg: &Config) -> Vec<String> {
    macro_rules! decls {
        ($($t:ty),+ $(,)?) => { vec![$(<$t as TS>::decl(cfg)),+] };
    }
    decls![
        UserId,
        PostId,
        CommentId,
        ConversationId,
        MessageId,
        MediaId,
        NotificationId,
        OrgId,
        FaqId,
        ConsultationId,
        DomainId,
        Timestamp,
        ConversationKind,
        NotificationKind,
        MediaStatus,
        OrgVisibility,
        AgentRole,
        ConsultationStatus,
        MessageKind,
        DomainTier,
        ErrorCode,
        ErrorDetail,
        UserSummary,
        User,
        Me,
        Session,
        SessionInfo,
        Page<()>,
        Media,
        Post,
        Comment,
        Notification,
        TagCount,
        TextRange,
        PostHit,
        MessageHit,
        Message,
        Member,
        Conversation,
        Organization,
        Agent,
        Faq,
        OrgSummary,
        Consultation,
        FaqExchange,
        Domain,
        NewSecret,
        OpenToken,
        AuthProvider,
        Identity,
        OAuthRedirect,
        SignedInSession,
        SessionsEnded,
        Reaction,
        Role,
        ReportTargetKind,
        ReportReason,
        ReportStatus,
        Report,
        ModeratedUser,
        QueuedReport,
        AuditEntry,
        ReportId,
        AuditId,
        SendMessage,
        MarkRead,
        SetTyping,
        SyncMessages,
        WatchPresence,
        InConversation<()>,
        Ack<()>,
        Done,
        SendAck,
        SyncAck,
        WatchAck,
        MessageEvent,
        MessageDeletedEvent,
        TypingEvent,
        ReadEvent,
        Presence,
        PostEvent,
        PostDeletedEvent,
        NotificationEvent,
        ConversationEvent,
        ConsultationEvent,
    ]
}

/// The whole generated file.
fn render() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the server's protocol types (crates/parley-server/src/protocol)\n\
         // by `PARLEY_UPDATE_GENERATED=1 cargo test -p parley-server --lib typescript`.\n\
         // Do not edit: CI fails when this file is stale.\n\n",
    );
    for decl in declarations(&cfg) {
        out.push_str("export ");
        out.push_str(decl.trim());
        out.push_str("\n\n");
    }
    out.push_str("/** Server-to-client Socket.IO events: wire name → listener. */\nexport interface ServerEvents {\n");
    for (name, payload) in ServerEvent::typescript_map(&cfg) {
        out.push_str(&format!("  \"{name}\": (payload: {payload}) => void;\n"));
    }
    out.push_str("}\n\n/** Client-to-server Socket.IO events: wire name → emit signature with its ack. */\nexport interface ClientEvents {\n");
    for (name, payload, ack) in CLIENT_EVENTS {
        out.push_str(&format!(
            "  \"{name}\": (payload: {payload}, ack: (reply: {ack}) => void) => void;\n"
        ));
    }
    out.push_str("}\n");
    out
}

#[test]
fn generated_typescript_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(GENERATED);
    let fresh = render();
    if std::env::var_os("PARLEY_UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &fresh).unwrap_or_else(|e| panic!("writing {GENERATED}: {e}"));
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "{GENERATED} is stale: the protocol types changed. Regenerate it with \
         `PARLEY_UPDATE_GENERATED=1 cargo test -p parley-server --lib typescript` and commit it."
    );
}
