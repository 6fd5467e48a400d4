// Reactions under a message bubble: chips with counts, mine pressed; a click on a chip
// toggles my reaction; the "Add reaction" picker adds one; the server's answer shows at
// once (no socket event needed); errors are shown in words.
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { Message } from '../../api/types';
import { messagesKey } from '../../chat/chatCache';
import { bob, msg } from '../../chat/fixtures';
import { flattenPages, type MessagesData } from '../../chat/messageCache';
import { MessageItem } from './MessageItem';

const mocks = vi.hoisted(() => ({ addReaction: vi.fn(), removeReaction: vi.fn() }));
vi.mock('../../api/reactions', () => ({ addReaction: mocks.addReaction, removeReaction: mocks.removeReaction }));

const ME = 'u-alice';

/** Renders the cached history of c-1 (never fetched), so cache updates show. */
function Cached() {
  const { data } = useQuery<MessagesData>({
    queryKey: messagesKey('c-1'),
    queryFn: () => Promise.reject(new Error('not fetched in this test')),
    enabled: false,
  });
  const messages = flattenPages(data);
  return (
    <ol>
      {messages.map((m) => (
        <MessageItem key={m.id} message={m} myId={ME} mine={false} showSender receipt={null} onMediaLoad={() => undefined} />
      ))}
    </ol>
  );
}

function renderMessage(message: Message) {
  const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const data: MessagesData = { pages: [{ items: [message], next_cursor: null }], pageParams: [null] };
  qc.setQueryData(messagesKey('c-1'), data);
  render(
    <QueryClientProvider client={qc}>
      <Cached />
    </QueryClientProvider>,
  );
  return qc;
}

const withReactions = () =>
  msg(1, {
    sender: bob,
    text: 'hello',
    reactions: [
      { emoji: '👍', count: 2, user_ids: ['u-bob', ME] },
      { emoji: '🎉', count: 1, user_ids: ['u-bob'] },
    ],
  });

beforeEach(() => {
  mocks.addReaction.mockReset();
  mocks.removeReaction.mockReset();
});

describe('reaction chips', () => {
  it('show each emoji with its count, mine pressed', () => {
    renderMessage(withReactions());
    const mine = screen.getByRole('button', { name: '👍 2' });
    const theirs = screen.getByRole('button', { name: '🎉 1' });
    expect(mine).toHaveAttribute('aria-pressed', 'true');
    expect(mine).toHaveClass('chat-reaction-mine');
    expect(mine).toHaveAttribute('title', 'You and 1 other reacted with 👍');
    expect(theirs).toHaveAttribute('aria-pressed', 'false');
    expect(theirs).not.toHaveClass('chat-reaction-mine');
  });

  it('take my reaction back, and show the answer at once', async () => {
    const message = withReactions();
    mocks.removeReaction.mockResolvedValue({
      ...message,
      reactions: [{ emoji: '👍', count: 1, user_ids: ['u-bob'] }, message.reactions[1]],
    });
    renderMessage(message);
    fireEvent.click(screen.getByRole('button', { name: '👍 2' }));
    expect(mocks.removeReaction).toHaveBeenCalledWith('m-1', '👍');
    expect(mocks.addReaction).not.toHaveBeenCalled();
    expect(await screen.findByRole('button', { name: '👍 1' })).toHaveAttribute('aria-pressed', 'false');
  });

  it("join someone else's reaction", async () => {
    const message = withReactions();
    mocks.addReaction.mockResolvedValue({
      ...message,
      reactions: [message.reactions[0], { emoji: '🎉', count: 2, user_ids: ['u-bob', ME] }],
    });
    renderMessage(message);
    fireEvent.click(screen.getByRole('button', { name: '🎉 1' }));
    expect(mocks.addReaction).toHaveBeenCalledWith('m-1', '🎉');
    expect(await screen.findByRole('button', { name: '🎉 2' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('are not shown on a deleted message, which has no "Add reaction" either', () => {
    renderMessage(msg(1, { deleted: true, text: '', reactions: [] }));
    expect(screen.queryByRole('list', { name: 'Reactions' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add reaction' })).toBeNull();
  });
});

describe('the reaction picker', () => {
  it('adds the emoji picked and closes', async () => {
    const message = msg(1, { sender: bob, text: 'hello' });
    mocks.addReaction.mockResolvedValue({ ...message, reactions: [{ emoji: '👍', count: 1, user_ids: [ME] }] });
    renderMessage(message);
    expect(screen.queryByRole('list', { name: 'Reactions' })).toBeNull();
    const open = screen.getByRole('button', { name: 'Add reaction' });
    fireEvent.click(open);
    expect(open).toHaveAttribute('aria-expanded', 'true');
    const picker = screen.getByRole('group', { name: 'Pick a reaction' });
    expect(within(picker).getAllByRole('button')).toHaveLength(8);
    fireEvent.click(within(picker).getByRole('button', { name: 'React with 👍' }));
    expect(mocks.addReaction).toHaveBeenCalledWith('m-1', '👍');
    expect(screen.queryByRole('group', { name: 'Pick a reaction' })).toBeNull();
    expect(await screen.findByRole('button', { name: '👍 1' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('closes on Escape, giving the focus back', () => {
    renderMessage(msg(1, { sender: bob }));
    const open = screen.getByRole('button', { name: 'Add reaction' });
    fireEvent.click(open);
    const picker = screen.getByRole('group', { name: 'Pick a reaction' });
    expect(within(picker).getByRole('button', { name: 'React with 👍' })).toHaveFocus();
    fireEvent.keyDown(picker, { key: 'Escape' });
    expect(screen.queryByRole('group', { name: 'Pick a reaction' })).toBeNull();
    expect(open).toHaveFocus();
  });

  it('says so when the message has too many different reactions', async () => {
    mocks.addReaction.mockRejectedValue(new ApiError(409, 'too_many_reactions', 'too many'));
    renderMessage(msg(1, { sender: bob }));
    fireEvent.click(screen.getByRole('button', { name: 'Add reaction' }));
    fireEvent.click(screen.getByRole('button', { name: 'React with 🎉' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent(/as many different reactions as it can take/));
  });
});
