// TypeScript shapes of the Parley API (see api.md / GET /api/openapi.json).
// IDs are opaque strings; timestamps are RFC 3339 strings.

export interface UserSummary {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
}

export interface User extends UserSummary {
  bio: string;
  status_message: string;
  created_at: string;
  followers_count: number;
  following_count: number;
  posts_count: number;
  online: boolean;
  last_seen_at: string | null;
  /** Present when the viewer is signed in. */
  followed_by_me?: boolean;
  follows_me?: boolean;
}

export interface Me extends User {
  email: string;
}

/** Sign-in / sign-up / refresh result. `GET /auth/session` returns it without tokens. */
export interface Session {
  user: Me;
  access_token?: string;
  expires_in?: number;
  csrf_token: string;
  refresh_token?: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type MediaStatus = 'processing' | 'ready' | 'failed';

export interface Media {
  id: string;
  content_type: string;
  width: number;
  height: number;
  size_bytes: number;
  status: MediaStatus;
  url: string;
  thumbnail_url: string | null;
  /** The thumbnail once ready, else the original. */
  preview_url: string;
  failure_reason?: string | null;
}

export interface Post {
  id: string;
  author: UserSummary;
  text: string;
  hashtags: string[];
  media: Media[];
  like_count: number;
  comment_count: number;
  liked_by_me: boolean;
  created_at: string;
  edited_at: string | null;
}

export interface Comment {
  id: string;
  post_id: string;
  parent_id: string | null;
  author: UserSummary;
  text: string;
  reply_count: number;
  created_at: string;
}

export interface TagCount {
  tag: string;
  posts: number;
}

export type NotificationKind = 'follow' | 'like' | 'comment' | 'reply' | 'mention';

export interface Notification {
  id: string;
  kind: NotificationKind | string;
  actor: UserSummary;
  post_id: string | null;
  comment_id: string | null;
  read: boolean;
  created_at: string;
}

export interface Message {
  id: string;
  conversation_id: string;
  seq: number;
  sender: UserSummary;
  text: string;
  media: Media[];
  client_id: string | null;
  created_at: string;
  edited_at: string | null;
  deleted: boolean;
}

export interface Member extends UserSummary {
  last_read_seq: number;
}

export type ConversationKind = 'direct' | 'group' | 'support';

export interface Conversation {
  id: string;
  kind: ConversationKind;
  title: string | null;
  members: Member[];
  last_message: Message | null;
  unread_count: number;
  /** Highest message seq in the conversation (server extra). */
  last_seq?: number;
  created_at: string;
}

export interface Presence {
  user_id: string;
  online: boolean;
  last_seen_at: string | null;
}

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    fields?: Record<string, string>;
    retry_after?: number;
  };
}

/** Socket.IO acknowledgement shape. */
export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: string; message: string; retry_after?: number } };
