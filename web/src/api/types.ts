// TypeScript shapes of the Parley API. Everything the server sends or takes is
// generated from its Rust protocol types into ./generated.ts (CI fails when that
// file is stale); this module re-exports them and adds the few client-side views.
// IDs are opaque strings; timestamps are RFC 3339 strings.

import type { ErrorDetail, Session as IssuedSession, SessionInfo } from './generated';

export type {
  Ack,
  Agent,
  AgentRole,
  AuthProvider,
  ClientEvents,
  Comment,
  Consultation,
  ConsultationEvent,
  ConsultationStatus,
  Conversation,
  ConversationEvent,
  ConversationKind,
  Domain,
  DomainId,
  DomainTier,
  ErrorCode,
  ErrorDetail,
  Faq,
  FaqExchange,
  Identity,
  Me,
  Media,
  MediaStatus,
  Member,
  Message,
  MessageDeletedEvent,
  MessageEvent,
  MessageKind,
  NewSecret,
  Notification,
  NotificationEvent,
  NotificationKind,
  OAuthRedirect,
  OpenToken,
  Organization,
  OrgSummary,
  OrgVisibility,
  Page,
  Post,
  PostDeletedEvent,
  PostEvent,
  Presence,
  Reaction,
  ReadEvent,
  SendAck,
  ServerEvents,
  SessionsEnded,
  SignedInSession,
  SyncAck,
  TagCount,
  TypingEvent,
  User,
  UserSummary,
  WatchAck,
} from './generated';

/**
 * Sign-in / sign-up / refresh result; `GET /auth/session` returns the same without tokens
 * (a page reload), so the token fields are optional here.
 */
export type Session = SessionInfo & Partial<Pick<IssuedSession, 'access_token' | 'expires_in' | 'refresh_token'>>;

/** The body of every REST error answer. */
export interface ApiErrorBody {
  error: ErrorDetail;
}
