// Endpoint functions for chat (REST side): conversations, message history, sending (the
// fallback when the socket is down), edits, read markers, group membership. The realtime
// side (message:send, typing, read, sync, presence:watch) goes through the socket.
import { api } from './client';
import type { Conversation, Message, Page } from './types';

/** Conversations are listed in one page of the maximum size; few people have more. */
export const CONVERSATIONS_LIMIT = 100;
/** Messages per history page. */
export const MESSAGES_PAGE = 30;

const path = (id: string) => `/conversations/${encodeURIComponent(id)}`;

/** My conversations, most recently active first, with unread counts. */
export function listConversations(cursor?: string | null): Promise<Page<Conversation>> {
  return api.get<Page<Conversation>>('/conversations', { limit: CONVERSATIONS_LIMIT, cursor });
}

export function getConversation(id: string): Promise<Conversation> {
  return api.get<Conversation>(path(id));
}

/**
 * Starts a conversation: one other username and no title makes a direct chat (asking again
 * for the same person returns the existing one); more people or a title make a group.
 */
export function startConversation(usernames: string[], title?: string | null): Promise<Conversation> {
  const body: { usernames: string[]; title?: string } = { usernames };
  if (title?.trim()) body.title = title.trim();
  return api.post<Conversation>('/conversations', body);
}

/** A page of history in seq order: the latest, or those before `beforeSeq`, or after `afterSeq`. */
export function listMessages(
  id: string,
  opts: { beforeSeq?: number | null; afterSeq?: number | null; limit?: number } = {},
): Promise<Page<Message>> {
  return api.get<Page<Message>>(`${path(id)}/messages`, {
    before_seq: opts.beforeSeq,
    after_seq: opts.afterSeq,
    limit: opts.limit ?? MESSAGES_PAGE,
  });
}

export interface SendBody {
  text: string;
  client_id: string;
  media_ids?: string[];
}

/** REST send; the same client_id again returns the stored message instead of a second one. */
export function sendMessage(id: string, body: SendBody): Promise<Message> {
  const payload: SendBody = { text: body.text, client_id: body.client_id };
  if (body.media_ids && body.media_ids.length > 0) payload.media_ids = body.media_ids;
  return api.post<Message>(`${path(id)}/messages`, payload);
}

export function editMessage(messageId: string, text: string): Promise<Message> {
  return api.patch<Message>(`/messages/${encodeURIComponent(messageId)}`, { text });
}

export function deleteMessage(messageId: string): Promise<void> {
  return api.del<void>(`/messages/${encodeURIComponent(messageId)}`);
}

/** Moves my read marker forward (never back). */
export function markRead(id: string, seq: number): Promise<void> {
  return api.post<void>(`${path(id)}/read`, { seq });
}

/** Adds someone to a group (idempotent); returns the updated conversation. */
export function addMember(id: string, username: string): Promise<Conversation> {
  return api.post<Conversation>(`${path(id)}/members`, { username });
}

export function leaveConversation(id: string): Promise<void> {
  return api.del<void>(`${path(id)}/members/me`);
}
