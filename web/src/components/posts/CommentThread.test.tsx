// Comment threads: comment, reply (which opens the replies), load replies, delete rights.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import type { Comment, Post } from '../../api/types';
import CommentThread from './CommentThread';

const fetchComments = vi.fn();
const fetchReplies = vi.fn();
const createComment = vi.fn();
const meId = 'u2';

vi.mock('../../api/comments', () => ({
  fetchComments: (...a: unknown[]) => fetchComments(...a),
  fetchReplies: (...a: unknown[]) => fetchReplies(...a),
  createComment: (...a: unknown[]) => createComment(...a),
  deleteComment: vi.fn(),
}));
vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({ me: { id: meId, username: 'bob' }, status: 'signed-in' }),
}));

const alice = { id: 'u1', username: 'alice', display_name: 'Alice', avatar_url: null };
const bob = { id: 'u2', username: 'bob', display_name: 'Bob', avatar_url: null };
const post = { id: 'p1', author: { ...alice, id: 'u9', username: 'carol' } } as Post;

function comment(id: string, extra: Partial<Comment> = {}): Comment {
  return { id, post_id: 'p1', parent_id: null, author: alice, text: `text ${id}`, reply_count: 0, created_at: new Date().toISOString(), ...extra };
}

function setup() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <CommentThread post={post} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return qc;
}

afterEach(() => {
  fetchComments.mockReset();
  fetchReplies.mockReset();
  createComment.mockReset();
});

describe('CommentThread', () => {
  it('adds a comment at the end of the thread', async () => {
    fetchComments.mockResolvedValue({ items: [comment('c1')], next_cursor: null });
    createComment.mockResolvedValue(comment('c2', { author: bob, text: 'nice' }));
    setup();
    expect(await screen.findByText('text c1')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Add a comment'), { target: { value: 'nice' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Comment' }));
    });
    expect(createComment).toHaveBeenCalledWith('p1', 'nice', undefined);
    const items = within(screen.getByRole('list', { name: 'Comments' })).getAllByRole('article');
    expect(items.map((a) => a.textContent)).toEqual([expect.stringContaining('text c1'), expect.stringContaining('nice')]);
    // Only my own comment (or any, for the post's author) can be deleted.
    expect(screen.getAllByRole('button', { name: 'Delete comment' })).toHaveLength(1);
  });

  it('replies inline, then shows the replies', async () => {
    fetchComments.mockResolvedValue({ items: [comment('c1', { reply_count: 1 })], next_cursor: 'next' });
    const r1 = comment('r1', { parent_id: 'c1', text: 'first reply' });
    const r2 = comment('r2', { parent_id: 'c1', author: bob, text: 'my reply' });
    // The replies are first read after the reply was written, so the server includes it.
    fetchReplies.mockResolvedValue({ items: [r1, r2], next_cursor: null });
    createComment.mockResolvedValue(r2);
    setup();
    await screen.findByText('text c1');
    expect(screen.getByRole('button', { name: 'Load more comments' })).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Reply' }));
    fireEvent.change(screen.getByLabelText('Reply to @alice'), { target: { value: 'my reply' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Reply' }));
    });
    expect(createComment).toHaveBeenCalledWith('p1', 'my reply', 'c1');
    expect(await screen.findByText('first reply')).toBeInTheDocument();
    expect(screen.getByText('my reply')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Hide replies' })).toHaveAttribute('aria-expanded', 'true');
    fireEvent.click(screen.getByRole('button', { name: 'Hide replies' }));
    expect(screen.getByRole('button', { name: '2 replies' })).toBeInTheDocument();
  });
});
