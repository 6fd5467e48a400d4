// Component tests for search: debounced typing into ?q=, `#` / `@` prefixes, result links.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import SearchPage from './SearchPage';

const api = vi.hoisted(() => ({ searchUsers: vi.fn(), searchTags: vi.fn() }));
vi.mock('../../api/users', () => ({ searchUsers: api.searchUsers }));
vi.mock('../../api/tags', () => ({ searchTags: api.searchTags }));

function Where() {
  const loc = useLocation();
  return <output data-testid="where">{loc.pathname + loc.search}</output>;
}

function renderAt(path: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route
            path="/search"
            element={
              <>
                <SearchPage />
                <Where />
              </>
            }
          />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  api.searchUsers.mockResolvedValue({
    items: [{ id: 'u1', username: 'alice', display_name: 'Alice A', avatar_url: null }],
    next_cursor: null,
  });
  api.searchTags.mockResolvedValue({ items: [{ tag: 'alps', posts: 3 }], next_cursor: null });
});

describe('SearchPage', () => {
  it('shows a hint before anything is typed', () => {
    renderAt('/search');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
    expect(screen.getByText('Find people and hashtags')).toBeInTheDocument();
    expect(api.searchUsers).not.toHaveBeenCalled();
  });

  it('debounces typing into ?q= and searches people and hashtags', async () => {
    renderAt('/search');
    const box = screen.getByRole('searchbox', { name: 'Search' });
    fireEvent.change(box, { target: { value: 'a' } });
    fireEvent.change(box, { target: { value: 'al' } });
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/search?q=al'));
    // One search per settled term, not per keystroke.
    await waitFor(() => expect(api.searchUsers).toHaveBeenCalledTimes(1));
    expect(api.searchUsers).toHaveBeenCalledWith('al', null, 20);
    expect(api.searchTags).toHaveBeenCalledWith('al', 20);

    expect(await screen.findByRole('link', { name: /Alice A/ })).toHaveAttribute('href', '/u/alice');
    expect(await screen.findByRole('link', { name: /#alps/ })).toHaveAttribute('href', '/tags/alps');
    expect(screen.getByText('3 posts')).toBeInTheDocument();
  });

  it('searches hashtags only after #, from the URL', async () => {
    renderAt('/search?q=%23Alp');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('#Alp');
    expect(await screen.findByRole('heading', { name: 'Hashtags' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'People' })).toBeNull();
    await waitFor(() => expect(api.searchTags).toHaveBeenCalledWith('alp', 20));
    expect(api.searchUsers).not.toHaveBeenCalled();
  });

  it('searches people only after @ and says when nobody matches', async () => {
    api.searchUsers.mockResolvedValue({ items: [], next_cursor: null });
    renderAt('/search?q=%40zed');
    expect(await screen.findByText('No people match “zed”')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Hashtags' })).toBeNull();
    expect(api.searchTags).not.toHaveBeenCalled();
  });
});
