// Pure logic over conversations: how one is named, who the other person of a direct chat
// is, read receipts ("Seen" / "Seen by …"), and the live updates of the conversation list
// (a new message moves its conversation to the top and bumps its unread count).
import type { Conversation, Member, Message, UserSummary } from '../api/types';

/** Everyone but me. */
export function otherMembers(conversation: Conversation, myId: string): Member[] {
  return conversation.members.filter((m) => m.id !== myId);
}

/** The other person of a direct chat (null for groups, or when they left). */
export function directPeer(conversation: Conversation, myId: string): Member | null {
  if (conversation.kind !== 'direct') return null;
  return otherMembers(conversation, myId)[0] ?? null;
}

export function displayName(user: Pick<UserSummary, 'display_name' | 'username'>): string {
  return user.display_name?.trim() || user.username;
}

/** The group's title, or the other member(s) by name. */
export function conversationTitle(conversation: Conversation, myId: string): string {
  if (conversation.title?.trim()) return conversation.title.trim();
  const others = otherMembers(conversation, myId);
  if (others.length === 0) return 'Just you';
  return others.map(displayName).join(', ');
}

/** A stand-in UserSummary for the conversation's avatar (the peer, or initials of the title). */
export function conversationAvatar(conversation: Conversation, myId: string): UserSummary {
  const peer = directPeer(conversation, myId);
  if (peer) return peer;
  const title = conversationTitle(conversation, myId);
  return { id: conversation.id, username: title, display_name: title, avatar_url: null };
}

/** The list preview of the last message. */
export function messagePreview(message: Message | null, myId: string): string {
  if (!message) return 'No messages yet';
  if (message.deleted) return 'Message deleted';
  const who = message.sender?.id === myId ? 'You: ' : '';
  const text = message.text.trim() || (message.media.length > 0 ? 'Image' : '');
  return `${who}${text.replace(/\s+/g, ' ')}`;
}

/** When the conversation was last active (its last message, else its creation). */
export function lastActivity(conversation: Conversation): string {
  return conversation.last_message?.created_at ?? conversation.created_at;
}

/**
 * Applies `message:new` to the conversation list: the conversation moves to the top with
 * the message as its last; unread grows when the message is someone else's and the
 * conversation is not the one open (and visible). Returns null when the conversation is
 * not in the list (a new one: the caller refetches), or `list` itself when the message is
 * not newer than what the list shows.
 */
export function applyNewMessage(
  list: readonly Conversation[],
  message: Message,
  opts: { myId: string; openId: string | null },
): Conversation[] | null {
  const index = list.findIndex((c) => c.id === message.conversation_id);
  if (index < 0) return null;
  const current = list[index] as Conversation;
  if (current.last_message && current.last_message.seq >= message.seq) return list as Conversation[];
  const mine = message.sender?.id === opts.myId;
  const counts = !mine && opts.openId !== message.conversation_id;
  const updated: Conversation = {
    ...current,
    last_message: message,
    unread_count: mine ? 0 : current.unread_count + (counts ? 1 : 0),
    last_seq: Math.max(current.last_seq ?? 0, message.seq),
  };
  return [updated, ...list.slice(0, index), ...list.slice(index + 1)];
}

/**
 * `conversation:created` / `conversation:updated`: the conversation as I now see it. One I
 * am no longer a member of (I left it) leaves the list; a new one goes to the top; a known
 * one is replaced in place, keeping a newer last message the list may already show.
 */
export function upsertConversation(
  list: readonly Conversation[],
  conversation: Conversation,
  myId: string,
): Conversation[] {
  const index = list.findIndex((c) => c.id === conversation.id);
  if (!conversation.members.some((m) => m.id === myId)) {
    return index < 0 ? (list as Conversation[]) : [...list.slice(0, index), ...list.slice(index + 1)];
  }
  if (index < 0) return [conversation, ...list];
  const current = list[index] as Conversation;
  const newer =
    current.last_message && (conversation.last_message?.seq ?? 0) < current.last_message.seq
      ? { ...conversation, last_message: current.last_message, last_seq: current.last_seq }
      : conversation;
  return [...list.slice(0, index), newer, ...list.slice(index + 1)];
}

/** `message:updated` / `message:deleted` for a conversation's last message. */
export function replaceLastMessage(list: readonly Conversation[], message: Message): Conversation[] {
  let changed = false;
  const next = list.map((c) => {
    if (c.last_message?.id !== message.id) return c;
    changed = true;
    return { ...c, last_message: message };
  });
  return changed ? next : (list as Conversation[]);
}

/** Sets a conversation's unread count (0 once read here or on another device). */
export function setUnread(list: readonly Conversation[], id: string, unread: number): Conversation[] {
  let changed = false;
  const next = list.map((c) => {
    if (c.id !== id || c.unread_count === unread) return c;
    changed = true;
    return { ...c, unread_count: unread };
  });
  return changed ? next : (list as Conversation[]);
}

/** Applies a `read` event to the members: a marker only moves forward. */
export function applyRead(conversation: Conversation, userId: string, seq: number): Conversation {
  let changed = false;
  const members = conversation.members.map((m) => {
    if (m.id !== userId || m.last_read_seq >= seq) return m;
    changed = true;
    return { ...m, last_read_seq: seq };
  });
  return changed ? { ...conversation, members } : conversation;
}

export interface SeenReceipt {
  /** The message the receipt sits under: my latest message someone else has read. */
  messageId: string;
  readers: Member[];
}

/**
 * The "Seen" receipt: under my latest message that at least one other member has read
 * (their `last_read_seq` reached it), listing who has. Null when none of mine is read.
 */
export function seenReceipt(
  messages: readonly Message[],
  members: readonly Member[],
  myId: string,
): SeenReceipt | null {
  const others = members.filter((m) => m.id !== myId);
  if (others.length === 0) return null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Message;
    if (m.sender?.id !== myId || m.deleted) continue;
    const readers = others.filter((o) => o.last_read_seq >= m.seq);
    if (readers.length > 0) return { messageId: m.id, readers };
  }
  return null;
}

/** "Seen" in a direct chat, "Seen by alice, bob" in a group. */
export function seenLabel(receipt: SeenReceipt, kind: Conversation['kind']): string {
  if (kind === 'direct') return 'Seen';
  return `Seen by ${receipt.readers.map(displayName).join(', ')}`;
}

/** The user ids whose presence the list shows: the peers of direct chats. */
export function presenceIds(list: readonly Conversation[], myId: string): string[] {
  const ids = new Set<string>();
  for (const c of list) {
    const peer = directPeer(c, myId);
    if (peer) ids.add(peer.id);
  }
  return [...ids].sort();
}
