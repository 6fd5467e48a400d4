// Endpoint functions for full-text search of posts and of my conversations' messages.
// Each hit carries `highlights`: [start, end) ranges in UTF-16 code units (JS string indices).
import { api } from './client';
import type { Message, Page, Post } from './types';

// The server's PostHit / MessageHit / TextRange (protocol/views.rs; also in generated.ts).
/** Where the query matched the item's `text`: [start, end) in UTF-16 code units. */
export interface TextRange {
  start: number;
  end: number;
}
export interface PostHit {
  post: Post;
  highlights: TextRange[];
}
export interface MessageHit {
  message: Message;
  highlights: TextRange[];
}

/** Posts matching `q` (every word, as a word prefix; Korean by character pairs), newest first. */
export function searchPosts(q: string, cursor?: string | null, limit = 20): Promise<Page<PostHit>> {
  const query: Record<string, string> = { q, limit: String(limit) };
  if (cursor) query.cursor = cursor;
  return api.get<Page<PostHit>>('/search/posts', query);
}

/** Messages of my conversations matching `q` (optionally one conversation), newest first. */
export function searchMessages(
  q: string,
  cursor?: string | null,
  conversationId?: string | null,
  limit = 20,
): Promise<Page<MessageHit>> {
  const query: Record<string, string> = { q, limit: String(limit) };
  if (cursor) query.cursor = cursor;
  if (conversationId) query.conversation_id = conversationId;
  return api.get<Page<MessageHit>>('/search/messages', query);
}
