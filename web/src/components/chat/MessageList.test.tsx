// In a group, the messages of someone I block (the ['blocks'] query, every page of
// GET /users/me/blocks) are replaced by "Message from a user you blocked" with a "Show"
// toggle; in a direct conversation the list is not even asked for.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { alice, bob, carol, conv, member, msg } from '../../chat/fixtures';
import type { useMessages } from '../../chat/useMessages';
import type { Message } from '../../api/types';
import { MessageList } from './MessageList';

const mocks = vi.hoisted(() => ({ listBlocks: vi.fn() }));
vi.mock('../../api/users', () => ({ listBlocks: mocks.listBlocks }));

function history(messages: Message[]) {
  return {
    messages,
    isPending: false,
    isError: false,
    error: null,
    hasNextPage: false,
    isFetchingNextPage: false,
    isFetchNextPageError: false,
    fetchNextPage: vi.fn(),
    refetch: vi.fn(),
  } as unknown as ReturnType<typeof useMessages>;
}

const messages = [
  msg(1, { sender: bob, text: 'hi from bob' }),
  msg(2, { sender: carol, text: 'hi from carol', created_at: '2024-01-01T01:00:00Z' }),
  msg(3, { sender: bob, text: 'bob again', created_at: '2024-01-01T02:00:00Z' }),
];

function renderList(kind: 'direct' | 'group') {
  const conversation = conv('c-1', { kind, members: [member(alice), member(bob), member(carol)] });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MessageList
        conversation={conversation}
        myId={alice.id}
        history={history(messages)}
        pending={[]}
        receipt={null}
        onRetry={vi.fn()}
        onDiscard={vi.fn()}
        onAtBottomChange={vi.fn()}
      />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  mocks.listBlocks.mockReset();
});

describe('blocked members in a group', () => {
  it('hides their messages behind "Show", fetching every page of blocks', async () => {
    mocks.listBlocks.mockImplementation((cursor?: string | null) =>
      Promise.resolve(cursor === 'p2' ? { items: [bob], next_cursor: null } : { items: [], next_cursor: 'p2' }),
    );
    renderList('group');
    expect(await screen.findAllByText('Message from a user you blocked')).toHaveLength(2);
    expect(mocks.listBlocks).toHaveBeenCalledTimes(2);
    expect(screen.queryByText('hi from bob')).toBeNull();
    expect(screen.queryByText('bob again')).toBeNull();
    expect(screen.getByText('hi from carol')).toBeInTheDocument();

    const first = screen.getAllByRole('button', { name: 'Show' })[0];
    expect(first).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(first);
    expect(screen.getByText('hi from bob')).toBeInTheDocument();
    expect(screen.queryByText('bob again')).toBeNull();
    const hide = screen.getByRole('button', { name: 'Hide' });
    expect(hide).toHaveAttribute('aria-expanded', 'true');
    fireEvent.click(hide);
    expect(screen.queryByText('hi from bob')).toBeNull();
    const item = screen.getAllByText('Message from a user you blocked')[0].closest('li');
    expect(item && within(item).queryByRole('button', { name: /Delete message/ })).toBeNull();
  });

  it('leaves a direct conversation alone', async () => {
    mocks.listBlocks.mockResolvedValue({ items: [bob], next_cursor: null });
    renderList('direct');
    expect(screen.getByText('hi from bob')).toBeInTheDocument();
    expect(screen.queryByText('Message from a user you blocked')).toBeNull();
    expect(mocks.listBlocks).not.toHaveBeenCalled();
  });
});
