//! The JSON shapes of docs/api.md (`User`, `Me`, `UserSummary`, `Session`,
//! `Post`, `Comment`, `Notification`, `Media`, `Message`, `Conversation`,
//! `Organization`, `Agent`, `Faq`, pages), built from store records. Field names here are the public
//! contract, for REST bodies and realtime payloads alike; the web client's
//! TypeScript types are generated from them (`protocol::typescript`).

use parley_core::Timestamp;
use parley_core::page::Cursor;
use parley_core::{
    AgentRole, CommentId, ConsultationId, ConsultationStatus, ConversationId, ConversationKind,
    DomainId, DomainTier, FaqId, MediaId, MediaStatus, MessageId, MessageKind, NotificationId,
    NotificationKind, OrgId, OrgVisibility, PostId, UserId,
};
use parley_core::{AuditId, ReportId};
use parley_store::UserRecord;
use serde::Serialize;
use ts_rs::TS;
use utoipa::ToSchema;

/// A user's public profile. Never carries the email.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct User {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub bio: String,
    pub status_message: String,
    pub avatar_url: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    pub followers_count: i64,
    pub following_count: i64,
    pub posts_count: i64,
    pub online: bool,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_seen_at: Option<Timestamp>,
    /// Present when the viewer is signed in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub followed_by_me: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub follows_me: Option<bool>,
    /// The signed-in viewer blocks this user (their posts, comments and
    /// notifications are hidden from the viewer, and the other way round).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub blocking: Option<bool>,
    /// The signed-in viewer mutes this user (their posts and notifications
    /// are hidden from the viewer).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub muting: Option<bool>,
}

/// The signed-in user's own profile: `User` plus the email and whether a
/// password is set (an account made by a provider has none until its owner
/// sets one; it may have no e-mail either).
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct Me {
    #[serde(flatten)]
    pub user: User,
    pub email: Option<String>,
    /// Whether `email` was proven (a mailed link was followed).
    pub email_verified: bool,
    pub has_password: bool,
    /// `admin` may moderate (the first account, or `parley admin grant`).
    pub role: Role,
}

/// A new or refreshed session. `refresh_token` is present only for native
/// clients; browsers get it as an HttpOnly cookie.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct Session {
    pub user: Me,
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub csrf_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub refresh_token: Option<String>,
}

/// The current session, for a page reload: no tokens.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct SessionInfo {
    pub user: Me,
    pub csrf_token: String,
}

impl User {
    pub fn from_record(r: &UserRecord) -> Self {
        Self {
            id: r.id,
            username: r.username.clone(),
            display_name: r.display_name.clone(),
            bio: r.bio.clone(),
            status_message: r.status_message.clone(),
            avatar_url: avatar_url(r.avatar_key.as_deref()),
            created_at: Timestamp(r.created_at),
            followers_count: r.followers_count,
            following_count: r.following_count,
            posts_count: r.posts_count,
            // Filled in from realtime presence by the services that know it.
            online: false,
            last_seen_at: r.last_seen_at.map(Timestamp),
            followed_by_me: None,
            follows_me: None,
            blocking: None,
            muting: None,
        }
    }
}

impl Me {
    pub fn from_record(r: &UserRecord) -> Self {
        Self {
            user: User::from_record(r),
            email: r.email.clone(),
            email_verified: r.email.is_some() && r.email_verified_at.is_some(),
            has_password: r.password_hash.is_some(),
            role: Role::of(&r.role),
        }
    }
}

/// Where an avatar is served, if the user has one.
fn avatar_url(key: Option<&str>) -> Option<String> {
    key.map(|k| format!("/media/{k}"))
}

/// A user as shown next to their content.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct UserSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub avatar_url: Option<String>,
}

impl UserSummary {
    pub fn new(
        id: impl Into<UserId>,
        username: &str,
        display_name: &str,
        avatar_key: Option<&str>,
    ) -> Self {
        Self {
            id: id.into(),
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            avatar_url: avatar_url(avatar_key),
        }
    }
}

/// One page of a list: `next_cursor` is null on the last page.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn from_page(page: parley_core::page::Page<T>) -> Self {
        Self {
            items: page.items,
            next_cursor: page.next_cursor.as_ref().map(Cursor::encode),
        }
    }
}

/// An uploaded image. URLs are relative to the server (`/media/...`).
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Media {
    #[schema(value_type = String, format = Uuid)]
    pub id: MediaId,
    /// The stored file's type, decided from its bytes: `image/jpeg`,
    /// `image/png`, `image/gif` or `image/webp`.
    pub content_type: String,
    /// Upright dimensions (EXIF orientation applied).
    pub width: i64,
    pub height: i64,
    /// Size of the stored (re-encoded) original.
    pub size_bytes: i64,
    /// `processing` until the thumbnail is made, then `ready` (or `failed`).
    #[schema(value_type = String)]
    pub status: MediaStatus,
    /// The original.
    pub url: String,
    /// The thumbnail (fits in 200×200), once `ready`.
    pub thumbnail_url: Option<String>,
    /// What to show in a feed: the thumbnail once ready, else the original.
    pub preview_url: String,
    /// Why the thumbnail could not be made, when `failed`.
    pub failure_reason: Option<String>,
    /// The uploader's description of the image for people who cannot see
    /// it ('' until written); shown as the image's `alt`.
    pub alt_text: String,
    /// A BlurHash of the image once `ready`: draw it while the image loads.
    pub blurhash: Option<String>,
}

impl Media {
    pub fn from_record(r: &parley_store::media::MediaRecord) -> Self {
        let url = crate::media::keys::url(&r.original_key);
        let status = r.status;
        let thumbnail_url = match (status, &r.thumbnail_key) {
            (MediaStatus::Ready, Some(key)) => Some(crate::media::keys::url(key)),
            _ => None,
        };
        Self {
            id: r.id,
            content_type: r.content_type.clone(),
            width: r.width,
            height: r.height,
            size_bytes: r.size_bytes,
            status,
            preview_url: thumbnail_url.clone().unwrap_or_else(|| url.clone()),
            thumbnail_url,
            url,
            failure_reason: r.failure_reason.clone(),
            alt_text: r.alt_text.clone(),
            blurhash: r.blurhash.clone().filter(|_| status == MediaStatus::Ready),
        }
    }
}

/// A post with everything a feed shows.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Post {
    #[schema(value_type = String, format = Uuid)]
    pub id: PostId,
    pub author: UserSummary,
    pub text: String,
    pub hashtags: Vec<String>,
    /// Attached images, in the order they were given.
    pub media: Vec<Media>,
    pub like_count: i64,
    pub comment_count: i64,
    pub liked_by_me: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub edited_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Comment {
    #[schema(value_type = String, format = Uuid)]
    pub id: CommentId,
    #[schema(value_type = String, format = Uuid)]
    pub post_id: PostId,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub parent_id: Option<CommentId>,
    pub author: UserSummary,
    pub text: String,
    pub reply_count: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl Comment {
    pub fn from_record(r: &parley_store::comments::CommentRecord) -> Self {
        Self {
            id: r.id,
            post_id: r.post_id,
            parent_id: r.parent_id,
            author: UserSummary::new(
                r.author_id,
                &r.author_username,
                &r.author_display_name,
                r.author_avatar_key.as_deref(),
            ),
            text: r.text.clone(),
            reply_count: r.reply_count,
            created_at: Timestamp(r.created_at),
        }
    }
}

/// Something that happened to the recipient.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Notification {
    #[schema(value_type = String, format = Uuid)]
    pub id: NotificationId,
    /// `follow`, `like`, `comment`, `reply` or `mention`.
    #[schema(value_type = String)]
    pub kind: NotificationKind,
    pub actor: UserSummary,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub post_id: Option<PostId>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub comment_id: Option<CommentId>,
    pub read: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl Notification {
    pub fn from_record(r: &parley_store::notifications::NotificationRecord) -> Self {
        Self {
            id: r.id,
            kind: r.kind,
            actor: UserSummary::new(
                r.actor_id,
                &r.actor_username,
                &r.actor_display_name,
                r.actor_avatar_key.as_deref(),
            ),
            post_id: r.post_id,
            comment_id: r.comment_id,
            read: r.read_at.is_some(),
            created_at: Timestamp(r.created_at),
        }
    }
}

/// A hashtag and how many posts carry it.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct TagCount {
    pub tag: String,
    pub posts: i64,
}

/// Who sent a message whose sender's account was deleted.
fn deleted_user() -> UserSummary {
    UserSummary {
        id: UserId(uuid::Uuid::nil()),
        username: "deleted".into(),
        display_name: "Deleted user".into(),
        avatar_url: None,
    }
}

/// A chat message. Deleted messages keep their place (`seq`) with empty text.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Message {
    #[schema(value_type = String, format = Uuid)]
    pub id: MessageId,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    /// 1, 2, 3… per conversation: no gaps, no duplicates.
    pub seq: i64,
    /// `text` (from its sender), or in a support conversation `auto` (an
    /// FAQ answer) or `system` (a note such as "assigned to bob").
    #[schema(value_type = String)]
    pub kind: MessageKind,
    /// Null for `auto` and `system` messages.
    pub sender: Option<UserSummary>,
    pub text: String,
    /// Attached images, in the order they were given (none once deleted).
    pub media: Vec<Media>,
    pub client_id: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub edited_at: Option<Timestamp>,
    pub deleted: bool,
    /// The organization of a support conversation's messages; null elsewhere.
    pub organization: Option<OrgSummary>,
    /// Reactions, one entry per emoji in the order they were first used
    /// (none once deleted).
    pub reactions: Vec<Reaction>,
}

/// One emoji's reactions on a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, TS)]
pub struct Reaction {
    pub emoji: String,
    pub count: usize,
    /// Who reacted with it, first first (the client marks its own).
    #[schema(value_type = Vec<String>)]
    pub user_ids: Vec<UserId>,
}

impl Message {
    pub fn from_record(r: &parley_store::messages::MessageRecord) -> Self {
        let sender = match (r.sender_id, &r.sender_username, &r.sender_display_name) {
            (Some(id), Some(username), Some(display_name)) => Some(UserSummary::new(
                id,
                username,
                display_name,
                r.sender_avatar_key.as_deref(),
            )),
            _ if r.kind == MessageKind::Text => Some(deleted_user()),
            _ => None,
        };
        Self {
            id: r.id,
            conversation_id: r.conversation_id,
            seq: r.seq,
            kind: r.kind,
            sender,
            text: r.text.clone(),
            media: Vec::new(),
            client_id: r.client_id.clone(),
            created_at: Timestamp(r.created_at),
            edited_at: r.edited_at.map(Timestamp),
            deleted: r.deleted_at.is_some(),
            organization: None,
            reactions: Vec::new(),
        }
    }
}

/// A conversation member and how far they have read.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Member {
    #[serde(flatten)]
    pub user: UserSummary,
    pub last_read_seq: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Conversation {
    #[schema(value_type = String, format = Uuid)]
    pub id: ConversationId,
    /// `direct`, `group` or `support`.
    #[schema(value_type = String)]
    pub kind: ConversationKind,
    pub title: Option<String>,
    pub members: Vec<Member>,
    pub last_message: Option<Message>,
    /// Messages from others after my read marker.
    pub unread_count: i64,
    /// The `seq` of the newest message (0 when empty).
    pub last_seq: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

/// A support-desk organization, with the viewer's role in it.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Organization {
    #[schema(value_type = String, format = Uuid)]
    pub id: OrgId,
    /// 3–30 of `[a-z0-9-]`, unique.
    pub slug: String,
    pub name: String,
    pub description: String,
    /// `public` (in the directory search) or `hidden` (open by slug only).
    #[schema(value_type = String)]
    pub visibility: OrgVisibility,
    pub avatar_url: Option<String>,
    /// New consultations are assigned at once, round robin over the agents.
    pub auto_assign: bool,
    /// At most this many `active` consultations per agent when assigning; null: no limit.
    pub agent_capacity: Option<i64>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// `owner` or `agent` when the viewer is one; null otherwise (and signed out).
    #[schema(value_type = Option<String>)]
    pub my_role: Option<AgentRole>,
}

impl Organization {
    pub fn from_record(r: &parley_store::support::OrgRecord, my_role: Option<AgentRole>) -> Self {
        Self {
            id: r.id,
            slug: r.slug.clone(),
            name: r.name.clone(),
            description: r.description.clone(),
            visibility: r.visibility,
            avatar_url: avatar_url(r.avatar_key.as_deref()),
            auto_assign: r.auto_assign,
            agent_capacity: r.agent_capacity,
            created_at: Timestamp(r.created_at),
            my_role,
        }
    }
}

/// An agent (or owner) of an organization.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Agent {
    #[serde(flatten)]
    pub user: UserSummary,
    /// `owner` or `agent`.
    #[schema(value_type = String)]
    pub role: AgentRole,
    /// Their `active` consultations of this organization.
    pub active_count: i64,
}

impl Agent {
    pub fn from_record(r: &parley_store::support::AgentRecord) -> Self {
        Self {
            user: UserSummary::new(
                r.user_id,
                &r.username,
                &r.display_name,
                r.avatar_key.as_deref(),
            ),
            role: r.role,
            active_count: r.active_count,
        }
    }
}

/// An entry of an organization's FAQ.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Faq {
    #[schema(value_type = String, format = Uuid)]
    pub id: FaqId,
    pub question: String,
    pub answer: String,
    /// 1-based sort key; equal positions keep their creation order.
    pub position: i64,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl Faq {
    pub fn from_record(r: &parley_store::support::FaqRecord) -> Self {
        Self {
            id: r.id,
            question: r.question.clone(),
            answer: r.answer.clone(),
            position: r.position,
            updated_at: Timestamp(r.updated_at),
        }
    }
}

/// An organization as shown on its consultations and messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, TS)]
pub struct OrgSummary {
    pub slug: String,
    pub name: String,
    pub avatar_url: Option<String>,
}

/// A customer's case with an organization; its messages live in the
/// `support` conversation `conversation_id`.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Consultation {
    #[schema(value_type = String, format = Uuid)]
    pub id: ConsultationId,
    pub organization: OrgSummary,
    pub customer: UserSummary,
    pub subject: String,
    /// `waiting`, `active` or `closed`.
    #[schema(value_type = String)]
    pub status: ConsultationStatus,
    pub assignee: Option<UserSummary>,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    /// For the customer: messages they have not read. For agents: the
    /// customer's messages after the agents' shared read marker.
    pub unread_count: i64,
    pub last_message: Option<Message>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
}

impl Consultation {
    /// The consultation as its customer (`for_customer`) or its agents see
    /// it (their unread counts differ), with its last message.
    pub fn from_record(
        r: &parley_store::support::ConsultationRecord,
        for_customer: bool,
        last_message: Option<Message>,
    ) -> Self {
        let user = |id, username: &str, display_name: &str, avatar: Option<&str>| {
            UserSummary::new(id, username, display_name, avatar)
        };
        let assignee = match (
            r.assignee_id,
            &r.assignee_username,
            &r.assignee_display_name,
        ) {
            (Some(id), Some(username), Some(display_name)) => Some(user(
                id,
                username,
                display_name,
                r.assignee_avatar_key.as_deref(),
            )),
            _ => None,
        };
        Self {
            id: r.id,
            organization: OrgSummary::of(r),
            customer: user(
                r.customer_id,
                &r.customer_username,
                &r.customer_display_name,
                r.customer_avatar_key.as_deref(),
            ),
            subject: r.subject.clone(),
            status: r.status,
            assignee,
            conversation_id: r.conversation_id,
            unread_count: if for_customer {
                r.customer_unread
            } else {
                r.agent_unread
            },
            last_message,
            created_at: Timestamp(r.created_at),
            closed_at: r.closed_at.map(Timestamp),
        }
    }
}

impl OrgSummary {
    pub fn of(r: &parley_store::support::ConsultationRecord) -> Self {
        Self {
            slug: r.org_slug.clone(),
            name: r.org_name.clone(),
            avatar_url: avatar_url(r.org_avatar_key.as_deref()),
        }
    }
}

/// What picking an FAQ entry inside a consultation added to it.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct FaqExchange {
    /// The entry's question, from the customer.
    pub question: Message,
    /// Its answer, `kind: "auto"`, from the organization.
    pub answer: Message,
}

/// A site registered for the Open API (developer portal). Never carries
/// its secret.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Domain {
    #[schema(value_type = String, format = Uuid)]
    pub id: DomainId,
    /// A host name with an optional port, lower case (`example.com`, `localhost:3000`).
    pub host: String,
    /// `free` or `premium`: which rate limit its calls get.
    #[schema(value_type = String)]
    pub tier: DomainTier,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// The last Open API call made for it (to the minute); null if never.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<Timestamp>,
}

impl Domain {
    pub fn from_record(r: &parley_store::developer::DomainRecord) -> Self {
        Self {
            id: r.id,
            host: r.host.clone(),
            tier: r.tier,
            created_at: Timestamp(r.created_at),
            last_used_at: r.last_used_at.map(Timestamp),
        }
    }
}

/// A domain with its client secret: answered only on registration and
/// rotation, the one time the secret is shown.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct NewSecret {
    #[serde(flatten)]
    pub domain: Domain,
    /// Trade it for tokens at `POST /open/v1/token`; store it like a password.
    pub client_secret: String,
}

/// An Open API token.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct OpenToken {
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until it expires (at most 1800).
    pub expires_in: u64,
}

/// A configured sign-in provider: one button on the sign-in page.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct AuthProvider {
    /// Its name in `/api/v1/auth/oauth/{name}`.
    pub name: String,
    /// The button's text.
    pub display_name: String,
}

/// A provider account linked to mine (settings).
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct Identity {
    /// The provider's configured name.
    pub provider: String,
    /// Its button text (the name again if it is no longer configured).
    pub display_name: String,
    /// The e-mail the provider gave at the last sign-in, if any.
    pub email: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub last_used_at: Timestamp,
}

/// Where to send the browser to link a provider.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct OAuthRedirect {
    pub authorize_url: String,
}

/// One of my signed-in sessions (settings → sessions).
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct SignedInSession {
    #[schema(value_type = String, format = Uuid)]
    #[ts(type = "string")]
    pub id: parley_core::SessionId,
    /// The session this request is made with.
    pub current: bool,
    /// A short name of the device, e.g. "Firefox on Windows".
    pub device: String,
    /// The whole User-Agent it signed in with, if it sent one.
    pub user_agent: Option<String>,
    /// The address it signed in from.
    pub ip: Option<String>,
    /// `password`, or the provider it signed in through.
    pub signed_in_with: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Its sign-in or last refresh (an open browser refreshes every 15 minutes).
    #[schema(value_type = String, format = DateTime)]
    pub last_active_at: Timestamp,
}

/// How many sessions a "sign out everywhere else" ended.
#[derive(Debug, Clone, Serialize, ToSchema, TS)]
pub struct SessionsEnded {
    pub ended: usize,
}

/// Who may moderate: `admin`, or an ordinary `user`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    /// The stored word; anything but `admin` is an ordinary user.
    pub fn of(stored: &str) -> Self {
        if stored == "admin" {
            Self::Admin
        } else {
            Self::User
        }
    }
}

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportTargetKind {
    Post,
    Comment,
    Message,
    User,
}

/// Why something was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Abuse,
    Illegal,
    Other,
}

/// Where a report is: `open` in the queue, or closed as `resolved` (action
/// taken) or `dismissed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Open,
    Resolved,
    Dismissed,
}

/// A report, as its reporter sees it.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct Report {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReportId,
    pub target_kind: ReportTargetKind,
    /// The post, comment, message or user reported.
    pub target_id: String,
    pub reason: ReportReason,
    pub comment: String,
    pub status: ReportStatus,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

/// An account as moderators see it: whether it is an admin or suspended.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct ModeratedUser {
    #[serde(flatten)]
    pub user: UserSummary,
    pub role: Role,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub suspended_at: Option<Timestamp>,
}

/// A report in the moderation queue.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct QueuedReport {
    #[serde(flatten)]
    pub report: Report,
    /// `null` once the reporter's account is deleted.
    pub reporter: Option<UserSummary>,
    /// The author of the content, or the account reported (`null` once deleted).
    pub target_user: Option<ModeratedUser>,
    /// The reported text as it was when reported (a profile's bio and name
    /// for an account).
    pub preview: String,
    /// The content is gone (removed by a moderator or its author).
    pub removed: bool,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub resolved_at: Option<Timestamp>,
    pub resolved_by: Option<UserSummary>,
    pub resolution_note: String,
}

/// One moderation action of the audit log.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct AuditEntry {
    #[schema(value_type = String, format = Uuid)]
    pub id: AuditId,
    /// `null`: the command line (`parley admin grant`), or a deleted account.
    pub actor: Option<UserSummary>,
    /// `report.dismiss`, `report.remove_content`, `report.suspend_account`,
    /// `user.suspend`, `user.unsuspend`, `role.grant`, `role.revoke`.
    pub action: String,
    /// `post`, `comment`, `message`, `user` or `report`.
    pub target_kind: String,
    pub target_id: String,
    pub target_user: Option<UserSummary>,
    pub detail: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

/// Where a search matched in an item's `text`: `[start, end)` in UTF-16 code
/// units (JavaScript string indices), sorted, never overlapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, TS)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

/// A post found by search, with where the query matched its text.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct PostHit {
    pub post: Post,
    pub highlights: Vec<TextRange>,
}

/// A message found by search, with where the query matched its text.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct MessageHit {
    pub message: Message,
    pub highlights: Vec<TextRange>,
}
