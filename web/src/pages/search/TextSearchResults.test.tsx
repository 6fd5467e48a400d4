// Full-text search on /search?in=posts: hits rendered with <mark> from UTF-16 ranges, "Load more"
// with the cursor, and the tab keeping ?in= while typing.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import SearchPage from './SearchPage';

const api = vi.hoisted(() => ({ searchPosts: vi.fn(), searchMessages: vi.fn() }));
vi.mock('../../api/search', () => ({ searchPosts: api.searchPosts, searchMessages: api.searchMessages }));
vi.mock('../../api/users', () => ({ searchUsers: vi.fn() }));
vi.mock('../../api/tags', () => ({ searchTags: vi.fn() }));

const author = { id: 'u1', username: 'alice', display_name: 'Alice', avatar_url: null };
function hit(id: string, text: string, highlights: { start: number; end: number }[]) {
  return {
    post: {
      id,
      author,
      text,
      hashtags: [],
      media: [],
      like_count: 0,
      comment_count: 0,
      liked_by_me: false,
      created_at: '2026-12-07T10:00:00.000Z',
      edited_at: null,
    },
    highlights,
  };
}

function renderAt(path: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/search" element={<SearchPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  api.searchPosts.mockReset();
  api.searchPosts.mockImplementation((_q: string, cursor: string | null) =>
    Promise.resolve(
      cursor
        ? { items: [hit('p2', 'hello again', [{ start: 0, end: 5 }])], next_cursor: null }
        : { items: [hit('p1', '😀 Hello there', [{ start: 3, end: 8 }])], next_cursor: 'c1' },
    ),
  );
});

describe('full-text search', () => {
  it('marks the matches and loads more with the cursor', async () => {
    renderAt('/search?in=posts&q=hello');
    const list = await screen.findByRole('list', { name: 'Posts found' });
    expect(api.searchPosts).toHaveBeenCalledWith('hello', null);
    expect([...list.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['Hello']);
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(api.searchPosts).toHaveBeenCalledWith('hello', 'c1'));
    await waitFor(() =>
      expect([...screen.getByRole('list', { name: 'Posts found' }).querySelectorAll('mark')].map((m) => m.textContent)).toEqual([
        'Hello',
        'hello',
      ]),
    );
  });

  it('shows no request for a query without a word', async () => {
    renderAt('/search?in=posts&q=%25%25');
    expect(await screen.findByText('Type a word to search posts.')).toBeInTheDocument();
    expect(api.searchPosts).not.toHaveBeenCalled();
  });

  it('offers the tabs', () => {
    renderAt('/search?q=hello');
    expect(screen.getByRole('tab', { name: 'Posts' })).toHaveAttribute('href', '/search?q=hello&in=posts');
  });
});
