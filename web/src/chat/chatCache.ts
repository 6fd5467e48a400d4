// Query-cache updates shared by the chat hooks: the keys, merging messages into
// ['messages', id], live changes to ['conversations'] and ['conversation', id], and the
// catch-up (`sync` over the socket, or GET ?after_seq= when it is down).
import type { QueryClient } from '@tanstack/react-query';
import type { Socket } from 'socket.io-client';
import { listMessages } from '../api/chat';
import type { Conversation, Message, Page } from '../api/types';
import { emitWithAck } from '../realtime/RealtimeContext';
import { applyNewMessage, applyRead, replaceLastMessage, setUnread, upsertConversation } from './conversations';
import { deleteInPages, flattenPages, mergeIntoPages, type MessagesData } from './messageCache';
import { highestSeq } from './messages';

export const conversationsKey = ['conversations'] as const;
export const conversationKey = (id: string) => ['conversation', id] as const;
export const messagesKey = (id: string) => ['messages', id] as const;

/**
 * A fetch in flight started before the event just applied, and its result would replace
 * the cache without it: fetch again instead (invalidating cancels the stale fetch).
 */
function refetchIfInFlight(qc: QueryClient, queryKey: readonly unknown[]) {
  if (qc.getQueryState(queryKey)?.fetchStatus === 'fetching') {
    void qc.invalidateQueries({ queryKey, exact: true });
  }
}

/** Merges messages into a conversation's cached history (nothing when it is not cached). */
export function cacheMessages(qc: QueryClient, conversationId: string, messages: readonly Message[]) {
  if (messages.length === 0) return;
  qc.setQueryData<MessagesData>(messagesKey(conversationId), (old) =>
    old ? mergeIntoPages(old, messages) : old,
  );
  refetchIfInFlight(qc, messagesKey(conversationId));
}

export function cacheDeletion(qc: QueryClient, conversationId: string, messageId: string) {
  qc.setQueryData<MessagesData>(messagesKey(conversationId), (old) =>
    old ? deleteInPages(old, messageId) : old,
  );
  refetchIfInFlight(qc, messagesKey(conversationId));
  qc.setQueryData<Page<Conversation>>(conversationsKey, (old) => {
    if (!old) return old;
    const last = old.items.find((c) => c.last_message?.id === messageId)?.last_message;
    if (!last) return old;
    return { ...old, items: replaceLastMessage(old.items, { ...last, deleted: true, text: '', media: [] }) };
  });
  refetchIfInFlight(qc, conversationsKey);
}

/** The messages held for a conversation, oldest first. */
export function heldMessages(qc: QueryClient, conversationId: string): Message[] {
  return flattenPages(qc.getQueryData<MessagesData>(messagesKey(conversationId)));
}

/**
 * A new message for the conversation list: moved to the top, unread bumped unless it is
 * the open conversation. A conversation the list does not know yet makes it refetch.
 */
export function listNewMessage(qc: QueryClient, message: Message, myId: string, openId: string | null) {
  const old = qc.getQueryData<Page<Conversation>>(conversationsKey);
  if (!old) return;
  const items = applyNewMessage(old.items, message, { myId, openId });
  if (items === null) {
    void qc.invalidateQueries({ queryKey: conversationsKey });
    return;
  }
  if (items !== old.items) qc.setQueryData<Page<Conversation>>(conversationsKey, { ...old, items });
  refetchIfInFlight(qc, conversationsKey);
}

export function listEditedMessage(qc: QueryClient, message: Message) {
  qc.setQueryData<Page<Conversation>>(conversationsKey, (old) =>
    old ? { ...old, items: replaceLastMessage(old.items, message) } : old,
  );
  refetchIfInFlight(qc, conversationsKey);
}

/**
 * A conversation event: the list and the conversation's own cache take the new view; one
 * I left is dropped from both.
 */
export function cacheConversation(qc: QueryClient, conversation: Conversation, myId: string) {
  qc.setQueryData<Page<Conversation>>(conversationsKey, (old) =>
    old ? { ...old, items: upsertConversation(old.items, conversation, myId) } : old,
  );
  if (conversation.members.some((m) => m.id === myId)) {
    qc.setQueryData<Conversation>(conversationKey(conversation.id), conversation);
  } else {
    qc.removeQueries({ queryKey: conversationKey(conversation.id) });
  }
}

/** Sets a conversation's unread count in the list. */
export function listUnread(qc: QueryClient, conversationId: string, unread: number) {
  qc.setQueryData<Page<Conversation>>(conversationsKey, (old) => {
    if (!old) return old;
    const items = setUnread(old.items, conversationId, unread);
    return items === old.items ? old : { ...old, items };
  });
}

/** A `read` receipt: the member's marker moves forward in every cached copy. */
export function cacheRead(qc: QueryClient, conversationId: string, userId: string, seq: number) {
  qc.setQueryData<Conversation>(conversationKey(conversationId), (old) =>
    old ? applyRead(old, userId, seq) : old,
  );
  qc.setQueryData<Page<Conversation>>(conversationsKey, (old) => {
    if (!old) return old;
    let changed = false;
    const items = old.items.map((c) => {
      if (c.id !== conversationId) return c;
      const next = applyRead(c, userId, seq);
      if (next !== c) changed = true;
      return next;
    });
    return changed ? { ...old, items } : old;
  });
}


/** Catch-up rounds are capped so a runaway loop cannot hammer the server. */
const MAX_SYNC_ROUNDS = 20;

/**
 * Fetches what was missed in a conversation since the highest seq held, and merges it.
 * Over the socket (`sync`, repeated while `has_more`), or REST `?after_seq=` without one.
 * Does nothing when the history is not loaded yet (its first fetch will be current).
 */
export async function catchUp(qc: QueryClient, socket: Socket | null, conversationId: string): Promise<void> {
  if (!qc.getQueryData<MessagesData>(messagesKey(conversationId))) return;
  for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
    const after = highestSeq(heldMessages(qc, conversationId));
    let messages: Message[];
    let more: boolean;
    if (socket?.connected) {
      const ack = await emitWithAck(socket, 'sync', { conversation_id: conversationId, after_seq: after });
      messages = ack.messages ?? [];
      more = ack.has_more === true;
    } else {
      const page = await listMessages(conversationId, { afterSeq: after, limit: 100 });
      messages = page.items;
      more = page.next_cursor !== null;
    }
    cacheMessages(qc, conversationId, messages);
    if (!more || messages.length === 0) return;
  }
}
