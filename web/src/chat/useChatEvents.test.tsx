// The live chat events reaching the cache: a `message:updated` carrying new reactions
// replaces the cached message (reactions included) and the conversation list's preview.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Conversation, Message, Page } from '../api/types';
import { conversationsKey, heldMessages, messagesKey } from './chatCache';
import { conv, msg } from './fixtures';
import type { MessagesData } from './messageCache';
import { useChatEvents } from './useChatEvents';

const mocks = vi.hoisted(() => ({ handlers: new Map<string, (payload: unknown) => void>() }));

vi.mock('../realtime/RealtimeContext', () => ({
  useSocket: () => null,
  useReconnect: () => undefined,
  emitWithAck: vi.fn(),
  useSocketEvent: (event: string, handler: (payload: unknown) => void) => {
    mocks.handlers.set(event, handler);
  },
}));

function setup() {
  const qc = new QueryClient();
  const history: MessagesData = { pages: [{ items: [msg(1), msg(2)], next_cursor: null }], pageParams: [null] };
  qc.setQueryData(messagesKey('c-1'), history);
  qc.setQueryData<Page<Conversation>>(conversationsKey, { items: [conv('c-1', { last_message: msg(2) })], next_cursor: null });
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
  renderHook(() => useChatEvents('u-alice', 'c-1'), { wrapper });
  return qc;
}

describe('useChatEvents', () => {
  it('applies message:updated with new reactions to the history and the list', () => {
    const qc = setup();
    const reactions = [{ emoji: '🎉', count: 2, user_ids: ['u-bob', 'u-alice'] }];
    const updated: Message = msg(2, { reactions });
    act(() => mocks.handlers.get('message:updated')?.({ message: updated }));
    expect(heldMessages(qc, 'c-1')[1]?.reactions).toEqual(reactions);
    expect(qc.getQueryData<Page<Conversation>>(conversationsKey)?.items[0]?.last_message?.reactions).toEqual(reactions);

    // Taken back again: the chip goes.
    act(() => mocks.handlers.get('message:updated')?.({ message: msg(2, { reactions: [] }) }));
    expect(heldMessages(qc, 'c-1')[1]?.reactions).toEqual([]);
  });
});
