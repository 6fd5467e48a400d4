// Endpoint functions for reactions on chat messages: add or take back my emoji on a
// message. Both are idempotent and answer the whole updated Message (reactions included);
// the members also get it as `message:updated`.
import { api } from './client';
import type { Message } from './types';

const path = (messageId: string, emoji: string) =>
  `/messages/${encodeURIComponent(messageId)}/reactions/${encodeURIComponent(emoji)}`;

/** Reacts with `emoji` (409 `too_many_reactions` past 20 different ones, 410 when deleted). */
export function addReaction(messageId: string, emoji: string): Promise<Message> {
  return api.put<Message>(path(messageId, emoji));
}

/** Takes my `emoji` reaction back (nothing happens when I had none). */
export function removeReaction(messageId: string, emoji: string): Promise<Message> {
  return api.del<Message>(path(messageId, emoji));
}
