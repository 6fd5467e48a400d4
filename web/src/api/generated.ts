// Generated from the server's protocol types (crates/parley-server/src/protocol)
// by `PARLEY_UPDATE_GENERATED=1 cargo test -p parley-server --lib typescript`.
// Do not edit: CI fails when this file is stale.

export type UserId = string;

export type PostId = string;

export type CommentId = string;

export type ConversationId = string;

export type MessageId = string;

export type MediaId = string;

export type NotificationId = string;

export type OrgId = string;

export type FaqId = string;

export type ConsultationId = string;

export type DomainId = string;

export type Timestamp = string;

export type ConversationKind = "direct" | "group" | "support";

export type NotificationKind = "follow" | "like" | "comment" | "reply" | "mention";

export type MediaStatus = "processing" | "ready" | "failed";

export type OrgVisibility = "public" | "hidden";

export type AgentRole = "owner" | "agent";

export type ConsultationStatus = "waiting" | "active" | "closed";

export type MessageKind = "text" | "auto" | "system";

export type DomainTier = "free" | "premium";

export type ErrorCode = "malformed_json" | "invalid_payload" | "invalid_token" | "unauthorized" | "invalid_credentials" | "token_expired" | "invalid_refresh_token" | "invalid_client" | "refresh_token_reused" | "csrf_failed" | "origin_not_allowed" | "not_author" | "not_sender" | "not_media_owner" | "media_already_attached" | "not_org_owner" | "not_agent" | "not_customer" | "blocked" | "fresh_sign_in_required" | "not_admin" | "account_suspended" | "not_found" | "method_not_allowed" | "username_taken" | "email_taken" | "already_seeded" | "slug_taken" | "domain_taken" | "identity_taken" | "last_sign_in_method" | "too_many_reactions" | "already_agent" | "last_owner" | "consultation_closed" | "consultation_not_closed" | "message_deleted" | "payload_too_large" | "unsupported_media_type" | "validation_failed" | "rate_limited" | "internal_error" | "unavailable";

export type ErrorDetail = { 
/**
 * Stable machine-readable code, e.g. `username_taken`.
 */
code: ErrorCode, 
/**
 * Human-readable explanation.
 */
message: string, 
/**
 * Per-field reasons, on validation errors (422).
 */
fields?: { [key in string]: string }, 
/**
 * Seconds until a retry may succeed, on 429.
 */
retry_after?: number, };

export type UserSummary = { id: UserId, username: string, display_name: string, avatar_url: string | null, };

export type User = { id: UserId, username: string, display_name: string, bio: string, status_message: string, avatar_url: string | null, created_at: Timestamp, followers_count: number, following_count: number, posts_count: number, online: boolean, last_seen_at: Timestamp | null, 
/**
 * Present when the viewer is signed in.
 */
followed_by_me?: boolean, follows_me?: boolean, 
/**
 * The signed-in viewer blocks this user (their posts, comments and
 * notifications are hidden from the viewer, and the other way round).
 */
blocking?: boolean, 
/**
 * The signed-in viewer mutes this user (their posts and notifications
 * are hidden from the viewer).
 */
muting?: boolean, };

export type Me = { email: string | null, 
/**
 * Whether `email` was proven (a mailed link was followed).
 */
email_verified: boolean, has_password: boolean, 
/**
 * `admin` may moderate (the first account, or `parley admin grant`).
 */
role: Role, id: UserId, username: string, display_name: string, bio: string, status_message: string, avatar_url: string | null, created_at: Timestamp, followers_count: number, following_count: number, posts_count: number, online: boolean, last_seen_at: Timestamp | null, 
/**
 * Present when the viewer is signed in.
 */
followed_by_me?: boolean, follows_me?: boolean, 
/**
 * The signed-in viewer blocks this user (their posts, comments and
 * notifications are hidden from the viewer, and the other way round).
 */
blocking?: boolean, 
/**
 * The signed-in viewer mutes this user (their posts and notifications
 * are hidden from the viewer).
 */
muting?: boolean, };

export type Session = { user: Me, access_token: string, 
/**
 * Seconds until the access token expires.
 */
expires_in: number, csrf_token: string, refresh_token?: string, };

export type SessionInfo = { user: Me, csrf_token: string, };

export type Page<T> = { items: Array<T>, next_cursor: string | null, };

export type Media = { id: MediaId, 
/**
 * The stored file's type, decided from its bytes: `image/jpeg`,
 * `image/png`, `image/gif` or `image/webp`.
 */
content_type: string, 
/**
 * Upright dimensions (EXIF orientation applied).
 */
width: number, height: number, 
/**
 * Size of the stored (re-encoded) original.
 */
size_bytes: number, 
/**
 * `processing` until the thumbnail is made, then `ready` (or `failed`).
 */
status: MediaStatus, 
/**
 * The original.
 */
url: string, 
/**
 * The thumbnail (fits in 200×200), once `ready`.
 */
thumbnail_url: string | null, 
/**
 * What to show in a feed: the thumbnail once ready, else the original.
 */
preview_url: string, 
/**
 * Why the thumbnail could not be made, when `failed`.
 */
failure_reason: string | null, 
/**
 * The uploader's description of the image for people who cannot see
 * it ('' until written); shown as the image's `alt`.
 */
alt_text: string, 
/**
 * A BlurHash of the image once `ready`: draw it while the image loads.
 */
blurhash: string | null, };

export type Post = { id: PostId, author: UserSummary, text: string, hashtags: Array<string>, 
/**
 * Attached images, in the order they were given.
 */
media: Array<Media>, like_count: number, comment_count: number, liked_by_me: boolean, created_at: Timestamp, edited_at: Timestamp | null, };

export type Comment = { id: CommentId, post_id: PostId, parent_id: CommentId | null, author: UserSummary, text: string, reply_count: number, created_at: Timestamp, };

export type Notification = { id: NotificationId, 
/**
 * `follow`, `like`, `comment`, `reply` or `mention`.
 */
kind: NotificationKind, actor: UserSummary, post_id: PostId | null, comment_id: CommentId | null, read: boolean, created_at: Timestamp, };

export type TagCount = { tag: string, posts: number, };

export type TextRange = { start: number, end: number, };

export type PostHit = { post: Post, highlights: Array<TextRange>, };

export type MessageHit = { message: Message, highlights: Array<TextRange>, };

export type Message = { id: MessageId, conversation_id: ConversationId, 
/**
 * 1, 2, 3… per conversation: no gaps, no duplicates.
 */
seq: number, 
/**
 * `text` (from its sender), or in a support conversation `auto` (an
 * FAQ answer) or `system` (a note such as "assigned to bob").
 */
kind: MessageKind, 
/**
 * Null for `auto` and `system` messages.
 */
sender: UserSummary | null, text: string, 
/**
 * Attached images, in the order they were given (none once deleted).
 */
media: Array<Media>, client_id: string | null, created_at: Timestamp, edited_at: Timestamp | null, deleted: boolean, 
/**
 * The organization of a support conversation's messages; null elsewhere.
 */
organization: OrgSummary | null, 
/**
 * Reactions, one entry per emoji in the order they were first used
 * (none once deleted).
 */
reactions: Array<Reaction>, };

export type Member = { last_read_seq: number, id: UserId, username: string, display_name: string, avatar_url: string | null, };

export type Conversation = { id: ConversationId, 
/**
 * `direct`, `group` or `support`.
 */
kind: ConversationKind, title: string | null, members: Array<Member>, last_message: Message | null, 
/**
 * Messages from others after my read marker.
 */
unread_count: number, 
/**
 * The `seq` of the newest message (0 when empty).
 */
last_seq: number, created_at: Timestamp, };

export type Organization = { id: OrgId, 
/**
 * 3–30 of `[a-z0-9-]`, unique.
 */
slug: string, name: string, description: string, 
/**
 * `public` (in the directory search) or `hidden` (open by slug only).
 */
visibility: OrgVisibility, avatar_url: string | null, 
/**
 * New consultations are assigned at once, round robin over the agents.
 */
auto_assign: boolean, 
/**
 * At most this many `active` consultations per agent when assigning; null: no limit.
 */
agent_capacity: number | null, created_at: Timestamp, 
/**
 * `owner` or `agent` when the viewer is one; null otherwise (and signed out).
 */
my_role: AgentRole | null, };

export type Agent = { 
/**
 * `owner` or `agent`.
 */
role: AgentRole, 
/**
 * Their `active` consultations of this organization.
 */
active_count: number, id: UserId, username: string, display_name: string, avatar_url: string | null, };

export type Faq = { id: FaqId, question: string, answer: string, 
/**
 * 1-based sort key; equal positions keep their creation order.
 */
position: number, updated_at: Timestamp, };

export type OrgSummary = { slug: string, name: string, avatar_url: string | null, };

export type Consultation = { id: ConsultationId, organization: OrgSummary, customer: UserSummary, subject: string, 
/**
 * `waiting`, `active` or `closed`.
 */
status: ConsultationStatus, assignee: UserSummary | null, conversation_id: ConversationId, 
/**
 * For the customer: messages they have not read. For agents: the
 * customer's messages after the agents' shared read marker.
 */
unread_count: number, last_message: Message | null, created_at: Timestamp, closed_at: Timestamp | null, };

export type FaqExchange = { 
/**
 * The entry's question, from the customer.
 */
question: Message, 
/**
 * Its answer, `kind: "auto"`, from the organization.
 */
answer: Message, };

export type Domain = { id: DomainId, 
/**
 * A host name with an optional port, lower case (`example.com`, `localhost:3000`).
 */
host: string, 
/**
 * `free` or `premium`: which rate limit its calls get.
 */
tier: DomainTier, created_at: Timestamp, 
/**
 * The last Open API call made for it (to the minute); null if never.
 */
last_used_at: Timestamp | null, };

export type NewSecret = { 
/**
 * Trade it for tokens at `POST /open/v1/token`; store it like a password.
 */
client_secret: string, id: DomainId, 
/**
 * A host name with an optional port, lower case (`example.com`, `localhost:3000`).
 */
host: string, 
/**
 * `free` or `premium`: which rate limit its calls get.
 */
tier: DomainTier, created_at: Timestamp, 
/**
 * The last Open API call made for it (to the minute); null if never.
 */
last_used_at: Timestamp | null, };

export type OpenToken = { token: string, 
/**
 * Always `Bearer`.
 */
token_type: string, 
/**
 * Seconds until it expires (at most 1800).
 */
expires_in: number, };

export type AuthProvider = { 
/**
 * Its name in `/api/v1/auth/oauth/{name}`.
 */
name: string, 
/**
 * The button's text.
 */
display_name: string, };

export type Identity = { 
/**
 * The provider's configured name.
 */
provider: string, 
/**
 * Its button text (the name again if it is no longer configured).
 */
display_name: string, 
/**
 * The e-mail the provider gave at the last sign-in, if any.
 */
email: string | null, created_at: Timestamp, last_used_at: Timestamp, };

export type OAuthRedirect = { authorize_url: string, };

export type SignedInSession = { id: string, 
/**
 * The session this request is made with.
 */
current: boolean, 
/**
 * A short name of the device, e.g. "Firefox on Windows".
 */
device: string, 
/**
 * The whole User-Agent it signed in with, if it sent one.
 */
user_agent: string | null, 
/**
 * The address it signed in from.
 */
ip: string | null, 
/**
 * `password`, or the provider it signed in through.
 */
signed_in_with: string, created_at: Timestamp, 
/**
 * Its sign-in or last refresh (an open browser refreshes every 15 minutes).
 */
last_active_at: Timestamp, };

export type SessionsEnded = { ended: number, };

export type Reaction = { emoji: string, count: number, 
/**
 * Who reacted with it, first first (the client marks its own).
 */
user_ids: Array<UserId>, };

export type Role = "user" | "admin";

export type ReportTargetKind = "post" | "comment" | "message" | "user";

export type ReportReason = "spam" | "abuse" | "illegal" | "other";

export type ReportStatus = "open" | "resolved" | "dismissed";

export type Report = { id: ReportId, target_kind: ReportTargetKind, 
/**
 * The post, comment, message or user reported.
 */
target_id: string, reason: ReportReason, comment: string, status: ReportStatus, created_at: Timestamp, };

export type ModeratedUser = { role: Role, suspended_at: Timestamp | null, id: UserId, username: string, display_name: string, avatar_url: string | null, };

export type QueuedReport = { 
/**
 * `null` once the reporter's account is deleted.
 */
reporter: UserSummary | null, 
/**
 * The author of the content, or the account reported (`null` once deleted).
 */
target_user: ModeratedUser | null, 
/**
 * The reported text as it was when reported (a profile's bio and name
 * for an account).
 */
preview: string, 
/**
 * The content is gone (removed by a moderator or its author).
 */
removed: boolean, resolved_at: Timestamp | null, resolved_by: UserSummary | null, resolution_note: string, id: ReportId, target_kind: ReportTargetKind, 
/**
 * The post, comment, message or user reported.
 */
target_id: string, reason: ReportReason, comment: string, status: ReportStatus, created_at: Timestamp, };

export type AuditEntry = { id: AuditId, 
/**
 * `null`: the command line (`parley admin grant`), or a deleted account.
 */
actor: UserSummary | null, 
/**
 * `report.dismiss`, `report.remove_content`, `report.suspend_account`,
 * `user.suspend`, `user.unsuspend`, `role.grant`, `role.revoke`.
 */
action: string, 
/**
 * `post`, `comment`, `message`, `user` or `report`.
 */
target_kind: string, target_id: string, target_user: UserSummary | null, detail: string, created_at: Timestamp, };

export type ReportId = string;

export type AuditId = string;

export type SendMessage = { 
/**
 * 1–4000 characters.
 */
text: string, 
/**
 * Your idempotency key: sending it again returns the same message.
 */
client_id?: string, 
/**
 * Up to 4 of your uploads (`POST /api/v1/media`) not attached to anything yet.
 */
media_ids?: Array<string>, };

export type MarkRead = { 
/**
 * Everything up to this `seq` has been read.
 */
seq: number, };

export type SetTyping = { typing: boolean, };

export type SyncMessages = { after_seq: number, };

export type WatchPresence = { user_ids: Array<UserId>, };

export type InConversation<T> = { conversation_id: ConversationId, } & T;

export type Ack<T> = { ok: true, } & T | { ok: false, error: ErrorDetail, };

export type Done = Record<symbol, never>;

export type SendAck = { message: Message, };

export type SyncAck = { messages: Array<Message>, has_more: boolean, };

export type WatchAck = { presence: Array<Presence>, };

export type MessageEvent = { message: Message, };

export type MessageDeletedEvent = { conversation_id: ConversationId, id: MessageId, };

export type TypingEvent = { conversation_id: ConversationId, user_id: UserId, typing: boolean, };

export type ReadEvent = { conversation_id: ConversationId, user_id: UserId, seq: number, };

export type Presence = { user_id: UserId, online: boolean, last_seen_at: Timestamp | null, };

export type PostEvent = { post: Post, };

export type PostDeletedEvent = { id: PostId, author_id: UserId, };

export type NotificationEvent = { notification: Notification, };

export type ConversationEvent = { conversation: Conversation, };

export type ConsultationEvent = { consultation: Consultation, };

/** Server-to-client Socket.IO events: wire name → listener. */
export interface ServerEvents {
  "message:new": (payload: MessageEvent) => void;
  "message:updated": (payload: MessageEvent) => void;
  "message:deleted": (payload: MessageDeletedEvent) => void;
  "typing": (payload: TypingEvent) => void;
  "read": (payload: ReadEvent) => void;
  "presence": (payload: Presence) => void;
  "post:created": (payload: PostEvent) => void;
  "post:updated": (payload: PostEvent) => void;
  "post:deleted": (payload: PostDeletedEvent) => void;
  "notification": (payload: NotificationEvent) => void;
  "conversation:created": (payload: ConversationEvent) => void;
  "conversation:updated": (payload: ConversationEvent) => void;
  "consultation:updated": (payload: ConsultationEvent) => void;
}

/** Client-to-server Socket.IO events: wire name → emit signature with its ack. */
export interface ClientEvents {
  "message:send": (payload: InConversation<SendMessage>, ack: (reply: Ack<SendAck>) => void) => void;
  "read": (payload: InConversation<MarkRead>, ack: (reply: Ack<Done>) => void) => void;
  "sync": (payload: InConversation<SyncMessages>, ack: (reply: Ack<SyncAck>) => void) => void;
  "typing": (payload: InConversation<SetTyping>, ack: (reply: Ack<Done>) => void) => void;
  "presence:watch": (payload: WatchPresence, ack: (reply: Ack<WatchAck>) => void) => void;
}
