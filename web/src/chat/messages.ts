// Pure logic for a conversation's message list: merging pages, live events and catch-up
// results into one list ordered by `seq`, deduplicated by id; hiding optimistic messages
// once their stored copy (same sender + client_id) is known. No React, so it is unit-tested.
import type { Message } from '../api/types';
import { sameReactions } from './reactions';

/** A message sent from this tab that the server has not confirmed yet. */
export interface PendingMessage {
  /** The idempotency key: a retry reuses it, so the server never stores the text twice. */
  client_id: string;
  conversation_id: string;
  text: string;
  media_ids: string[];
  created_at: string;
  status: 'sending' | 'failed';
  /** Why the last attempt failed (shown next to "Retry"). */
  error: string | null;
}

/**
 * Merges `incoming` into `existing` (both any order): one entry per id, sorted by seq.
 * An incoming copy replaces the held one (it is newer: an edit, a reaction, a sync), except that a
 * deletion is final: a stale copy arriving after `message:deleted` does not resurrect it.
 * Returns `existing` itself when nothing changed, so React can skip re-rendering.
 */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return existing as Message[];
  const byId = new Map<string, Message>();
  for (const m of existing) byId.set(m.id, m);
  let changed = false;
  for (const m of incoming) {
    const held = byId.get(m.id);
    if (held === m) continue;
    if (held?.deleted && !m.deleted) continue;
    if (held && sameMessage(held, m)) continue;
    byId.set(m.id, m);
    changed = true;
  }
  if (!changed) return existing as Message[];
  return [...byId.values()].sort(bySeq);
}

function sameMessage(a: Message, b: Message): boolean {
  return (
    a.seq === b.seq &&
    a.text === b.text &&
    a.deleted === b.deleted &&
    a.edited_at === b.edited_at &&
    sameReactions(a.reactions ?? [], b.reactions ?? []) &&
    a.media.length === b.media.length &&
    a.media.every((media, i) => media.id === b.media[i]?.id && media.status === b.media[i]?.status)
  );
}

function bySeq(a: Message, b: Message): number {
  return a.seq - b.seq;
}

/** Applies `message:deleted`: the message keeps its place, emptied and flagged. */
export function markDeleted(existing: readonly Message[], id: string): Message[] {
  let changed = false;
  const next = existing.map((m) => {
    if (m.id !== id || m.deleted) return m;
    changed = true;
    return { ...m, deleted: true, text: '', media: [], reactions: [] };
  });
  return changed ? next : (existing as Message[]);
}

/** The highest seq held (0 when none): where a catch-up `sync` starts. */
export function highestSeq(messages: readonly Message[]): number {
  let max = 0;
  for (const m of messages) if (m.seq > max) max = m.seq;
  return max;
}

/** The lowest seq held (null when none): the `before_seq` of the next older page. */
export function lowestSeq(messages: readonly Message[]): number | null {
  let min: number | null = null;
  for (const m of messages) if (min === null || m.seq < min) min = m.seq;
  return min;
}

/**
 * True when `message` does not follow on from what is held (a seq was skipped), i.e. some
 * event was missed and a catch-up is due. An empty list has nothing to be behind of.
 */
export function leavesGap(held: readonly Message[], message: Message): boolean {
  if (held.length === 0) return false;
  return message.seq > highestSeq(held) + 1;
}

/** The client_ids of `myId`'s stored messages: client_ids are per sender on the server. */
export function storedClientIds(messages: readonly Message[], myId: string): Set<string> {
  const ids = new Set<string>();
  for (const m of messages) if (m.client_id && m.sender?.id === myId) ids.add(m.client_id);
  return ids;
}

/** The optimistic messages still worth showing: those whose stored copy has not arrived. */
export function visiblePending(
  pending: readonly PendingMessage[],
  stored: readonly Message[],
  myId: string,
): PendingMessage[] {
  if (pending.length === 0) return [];
  const known = storedClientIds(stored, myId);
  return pending.filter((p) => !known.has(p.client_id));
}

/** A new optimistic message, "Sending…" from the start. */
export function newPending(
  conversation_id: string,
  text: string,
  client_id: string,
  media_ids: string[] = [],
  now: Date = new Date(),
): PendingMessage {
  return {
    client_id,
    conversation_id,
    text,
    media_ids,
    created_at: now.toISOString(),
    status: 'sending',
    error: null,
  };
}

/** Optimistic state transitions: a failure shows "Not sent — Retry"; a retry sends again. */
export function pendingFailed(p: PendingMessage, error: string): PendingMessage {
  return { ...p, status: 'failed', error };
}

export function pendingRetrying(p: PendingMessage): PendingMessage {
  return { ...p, status: 'sending', error: null };
}
