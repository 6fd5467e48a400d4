// PostCard: optimistic like with rollback, the author-only menu, inline edit, image alt text
// (the description, or a named link without one) and the author's "Describe images" panel.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { ApiError } from '../../api/client';
import type { Post } from '../../api/types';
import PostCard from './PostCard';

const setLiked = vi.fn();
const editPost = vi.fn();
const describeMedia = vi.fn();
let meId = 'u2';

vi.mock('../../api/posts', () => ({
  setLiked: (...a: unknown[]) => setLiked(...a),
  editPost: (...a: unknown[]) => editPost(...a),
  deletePost: vi.fn(),
  getPost: vi.fn(),
}));
vi.mock('../../api/media', () => ({
  describeMedia: (...a: unknown[]) => describeMedia(...a),
  MAX_ALT_TEXT_CHARS: 1500,
}));
vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({ me: { id: meId, username: 'me' }, status: 'signed-in' }),
}));

const base: Post = {
  id: 'p1',
  author: { id: 'u1', username: 'alice', display_name: 'Alice', avatar_url: null },
  text: 'hello #world',
  hashtags: ['world'],
  media: [
    {
      id: 'm1',
      content_type: 'image/png',
      width: 10,
      height: 10,
      size_bytes: 1,
      status: 'ready',
      url: '/media/o.png',
      thumbnail_url: '/media/t.jpg',
      preview_url: '/media/t.jpg',
      failure_reason: null,
      alt_text: '',
      blurhash: null,
    },
  ],
  like_count: 2,
  comment_count: 1,
  liked_by_me: false,
  created_at: new Date().toISOString(),
  edited_at: null,
};

/** Renders the card from the ['post', id] cache so cache updates re-render it. */
function Harness({ qc }: { qc: QueryClient }) {
  const post = qc.getQueryData<Post>(['post', 'p1'])!;
  return <PostCard post={post} />;
}

function setup(post: Post = base) {
  const qc = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  qc.setQueryData(['post', 'p1'], post);
  const view = render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <Harness qc={qc} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  const rerender = () =>
    view.rerender(
      <QueryClientProvider client={qc}>
        <MemoryRouter>
          <Harness qc={qc} />
        </MemoryRouter>
      </QueryClientProvider>,
    );
  return { qc, rerender };
}

afterEach(() => {
  setLiked.mockReset();
  editPost.mockReset();
  describeMedia.mockReset();
  meId = 'u2';
});

describe('PostCard', () => {
  it('shows media linking to the original, and links hashtags and comments', () => {
    setup();
    // Undescribed: the image is decorative, the link carries the name.
    const link = screen.getByRole('link', { name: 'Image 1 of 1 by @alice' });
    expect(link).toHaveAttribute('href', '/media/o.png');
    const img = link.querySelector('img');
    expect(img).toHaveAttribute('alt', '');
    expect(img).toHaveAttribute('src', '/media/t.jpg');
    expect(screen.getByRole('link', { name: '1 comment' })).toHaveAttribute('href', '/posts/p1');
    expect(screen.queryByRole('button', { name: 'Post options' })).not.toBeInTheDocument();
  });

  it('uses the description as the image alt', () => {
    setup({ ...base, media: [{ ...base.media[0], alt_text: 'A kite' }] });
    const img = screen.getByAltText('A kite');
    expect(img.closest('a')).toHaveAttribute('href', '/media/o.png');
    expect(screen.getByRole('link', { name: 'A kite' })).toBeInTheDocument();
  });

  it('lets the author describe the images of a posted post', async () => {
    meId = 'u1';
    describeMedia.mockResolvedValue({ ...base.media[0], alt_text: 'A kite' });
    const { qc, rerender } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Post options' }));
    fireEvent.click(screen.getByRole('button', { name: 'Describe images' }));
    expect(screen.getByText('No description')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Add description to Image 1' }));
    fireEvent.change(screen.getByLabelText('Description of Image 1'), { target: { value: 'A kite' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save description' }));
    });
    expect(describeMedia).toHaveBeenCalledWith('m1', 'A kite');
    rerender();
    expect(qc.getQueryData<Post>(['post', 'p1'])?.media[0].alt_text).toBe('A kite');
    expect(screen.getAllByAltText('A kite').length).toBeGreaterThan(0);
    expect(screen.getByText('ALT')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('ALT')).not.toBeInTheDocument();
  });

  it('likes optimistically and rolls back when the server refuses', async () => {
    let fail: (e: unknown) => void = () => {};
    setLiked.mockReturnValue(new Promise((_, reject) => (fail = reject)));
    const { qc, rerender } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Like' }));
    rerender();
    expect(qc.getQueryData<Post>(['post', 'p1'])).toMatchObject({ liked_by_me: true, like_count: 3 });
    expect(screen.getByRole('button', { name: 'Unlike' })).toHaveAttribute('aria-pressed', 'true');
    await act(async () => fail(new ApiError(500, 'internal_error', 'boom')));
    rerender();
    expect(qc.getQueryData<Post>(['post', 'p1'])).toMatchObject({ liked_by_me: false, like_count: 2 });
    expect(screen.getByRole('button', { name: 'Like' })).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('alert')).toBeInTheDocument();
  });

  it('lets the author edit inline', async () => {
    meId = 'u1';
    editPost.mockResolvedValue({ ...base, text: 'changed', edited_at: new Date().toISOString() });
    const { qc, rerender } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Post options' }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.change(screen.getByLabelText('Edit post'), { target: { value: 'changed' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(editPost).toHaveBeenCalledWith('p1', 'changed');
    rerender();
    expect(qc.getQueryData<Post>(['post', 'p1'])?.text).toBe('changed');
    expect(screen.getByText('(edited)')).toBeInTheDocument();
    expect(screen.queryByLabelText('Edit post')).not.toBeInTheDocument();
  });
});
