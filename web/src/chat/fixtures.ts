// Test fixtures for the chat logic tests: Messages, Members and Conversations with defaults.
import type { Conversation, Member, Message, UserSummary } from '../api/types';

export const alice: UserSummary = { id: 'u-alice', username: 'alice', display_name: 'Alice', avatar_url: null };
export const bob: UserSummary = { id: 'u-bob', username: 'bob', display_name: 'Bob', avatar_url: null };
export const carol: UserSummary = { id: 'u-carol', username: 'carol', display_name: '', avatar_url: null };

export function msg(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m-${seq}`,
    conversation_id: 'c-1',
    seq,
    kind: 'text',
    sender: alice,
    text: `message ${seq}`,
    media: [],
    client_id: null,
    created_at: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(),
    edited_at: null,
    deleted: false,
    organization: null,
    reactions: [],
    ...overrides,
  };
}

export function member(user: UserSummary, last_read_seq = 0): Member {
  return { ...user, last_read_seq };
}

export function conv(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return {
    id,
    kind: 'direct',
    title: null,
    members: [member(alice), member(bob)],
    last_message: null,
    unread_count: 0,
    last_seq: 0,
    created_at: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}
