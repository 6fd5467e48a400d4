// Unit tests for conversation naming, live list updates and read receipts.
import { describe, expect, it } from 'vitest';
import {
  applyNewMessage,
  applyRead,
  conversationTitle,
  messagePreview,
  presenceIds,
  seenLabel,
  seenReceipt,
  setUnread,
  upsertConversation,
} from './conversations';
import { alice, bob, carol, conv, member, msg } from './fixtures';

describe('conversationTitle', () => {
  it("names a direct chat after the other person, a group by its title", () => {
    expect(conversationTitle(conv('c'), alice.id)).toBe('Bob');
    expect(conversationTitle(conv('g', { kind: 'group', title: 'Team' }), alice.id)).toBe('Team');
  });

  it('falls back to member names (username when no display name)', () => {
    const g = conv('g', { kind: 'group', members: [member(alice), member(bob), member(carol)] });
    expect(conversationTitle(g, alice.id)).toBe('Bob, carol');
  });
});

describe('messagePreview', () => {
  it('prefixes my own messages and marks deleted ones', () => {
    expect(messagePreview(null, alice.id)).toBe('No messages yet');
    expect(messagePreview(msg(1, { text: 'hi\nthere' }), alice.id)).toBe('You: hi there');
    expect(messagePreview(msg(1, { sender: bob }), alice.id)).toBe('message 1');
    expect(messagePreview(msg(1, { deleted: true }), alice.id)).toBe('Message deleted');
  });
});

describe('applyNewMessage', () => {
  const list = [conv('c-1'), conv('c-2'), conv('c-3')];

  it('moves the conversation to the top and bumps unread for a message from someone else', () => {
    const m = msg(1, { conversation_id: 'c-3', sender: bob });
    const out = applyNewMessage(list, m, { myId: alice.id, openId: null });
    expect(out?.map((c) => c.id)).toEqual(['c-3', 'c-1', 'c-2']);
    expect(out?.[0]?.unread_count).toBe(1);
    expect(out?.[0]?.last_message).toBe(m);
  });

  it('does not bump unread for the open conversation or for my own message', () => {
    const theirs = msg(1, { conversation_id: 'c-2', sender: bob });
    expect(applyNewMessage(list, theirs, { myId: alice.id, openId: 'c-2' })?.[0]?.unread_count).toBe(0);
    const mine = msg(1, { conversation_id: 'c-2', sender: alice });
    expect(applyNewMessage(list, mine, { myId: alice.id, openId: null })?.[0]?.unread_count).toBe(0);
  });

  it('ignores a message already shown (the same event twice)', () => {
    const m = msg(4, { conversation_id: 'c-2', sender: bob });
    const once = applyNewMessage(list, m, { myId: alice.id, openId: null }) ?? [];
    expect(applyNewMessage(once, m, { myId: alice.id, openId: null })).toBe(once);
  });

  it('returns null for a conversation not in the list (refetch it)', () => {
    expect(applyNewMessage(list, msg(1, { conversation_id: 'new' }), { myId: alice.id, openId: null })).toBeNull();
  });

  it('setUnread clears the count', () => {
    const withUnread = [conv('c-1', { unread_count: 3 })];
    expect(setUnread(withUnread, 'c-1', 0)[0]?.unread_count).toBe(0);
  });
});

describe('read receipts', () => {
  it('markers only move forward', () => {
    const c = conv('c', { members: [member(alice), member(bob, 5)] });
    expect(applyRead(c, bob.id, 3)).toBe(c);
    expect(applyRead(c, bob.id, 7).members[1]?.last_read_seq).toBe(7);
  });

  it('puts "Seen" under my latest message the other has read', () => {
    const messages = [msg(1), msg(2, { sender: bob }), msg(3), msg(4)];
    const members = [member(alice, 4), member(bob, 3)];
    const receipt = seenReceipt(messages, members, alice.id);
    expect(receipt?.messageId).toBe('m-3');
    expect(seenLabel(receipt!, 'direct')).toBe('Seen');
  });

  it('lists the readers in a group', () => {
    const messages = [msg(1), msg(2)];
    const members = [member(alice, 2), member(bob, 2), member(carol, 1)];
    const receipt = seenReceipt(messages, members, alice.id);
    expect(receipt?.messageId).toBe('m-2');
    expect(seenLabel(receipt!, 'group')).toBe('Seen by Bob');
  });

  it('is null when nothing of mine is read', () => {
    expect(seenReceipt([msg(1)], [member(alice, 1), member(bob, 0)], alice.id)).toBeNull();
  });
});

describe('presenceIds', () => {
  it('collects the peers of direct chats only', () => {
    const list = [conv('c-1'), conv('g', { kind: 'group', members: [member(alice), member(carol)] })];
    expect(presenceIds(list, alice.id)).toEqual([bob.id]);
  });
});

describe('upsertConversation', () => {
  const list = [conv('c-1'), conv('c-2')];

  it('puts a conversation new to me at the top, before any message', () => {
    const g = conv('g', { kind: 'group', title: 'Team', members: [member(alice), member(carol)] });
    expect(upsertConversation(list, g, alice.id).map((c) => c.id)).toEqual(['g', 'c-1', 'c-2']);
  });

  it('replaces a known one in place with its new members', () => {
    const updated = conv('c-2', { members: [member(alice), member(bob), member(carol)] });
    const next = upsertConversation(list, updated, alice.id);
    expect(next.map((c) => c.id)).toEqual(['c-1', 'c-2']);
    expect(next[1]?.members).toHaveLength(3);
  });

  it('keeps a newer last message the list already shows', () => {
    const shown = [conv('c-1', { last_message: msg(5), last_seq: 5 })];
    const stale = conv('c-1', { last_message: msg(3), last_seq: 3, title: 'Renamed' });
    const [c] = upsertConversation(shown, stale, alice.id);
    expect(c?.last_message?.seq).toBe(5);
    expect(c?.title).toBe('Renamed');
  });

  it('drops a conversation I am no longer a member of', () => {
    const left = conv('c-1', { members: [member(bob)] });
    expect(upsertConversation(list, left, alice.id).map((c) => c.id)).toEqual(['c-2']);
    expect(upsertConversation([conv('c-2')], left, alice.id)).toHaveLength(1);
  });
});
