// Component tests for the profile: follow toggling updates counts, 404 says "No such user",
// your own profile links to settings, and "Message" opens the direct chat.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { User } from '../../api/types';
import ProfilePage from './ProfilePage';

const api = vi.hoisted(() => ({
  getUser: vi.fn(),
  followUser: vi.fn(),
  unfollowUser: vi.fn(),
  startConversation: vi.fn(),
  fetchAuthorPosts: vi.fn(),
}));

vi.mock('../../api/users', () => ({
  getUser: api.getUser,
  followUser: api.followUser,
  unfollowUser: api.unfollowUser,
}));
vi.mock('../../api/chat', () => ({ startConversation: api.startConversation }));
vi.mock('../../api/posts', () => ({ fetchAuthorPosts: api.fetchAuthorPosts }));
vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({
    status: 'signed-in',
    me: { id: 'me1', username: 'me', display_name: 'Me', avatar_url: null, email: 'me@example.com' },
  }),
}));

const bob: User = {
  id: 'u2',
  username: 'bob',
  display_name: 'Bob Builder',
  avatar_url: null,
  bio: 'Fixes things #tools',
  status_message: 'On a roof',
  created_at: '2024-03-05T10:00:00Z',
  followers_count: 2,
  following_count: 7,
  posts_count: 4,
  online: false,
  last_seen_at: null,
  followed_by_me: false,
  follows_me: true,
};

function renderAt(path: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/u/:username" element={<ProfilePage />} />
          <Route path="/chat/:id" element={<p>chat page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return qc;
}

beforeEach(() => {
  api.fetchAuthorPosts.mockResolvedValue({ items: [], next_cursor: null });
});

describe('ProfilePage', () => {
  it('shows the profile and toggles follow with the returned counts', async () => {
    api.getUser.mockResolvedValue(bob);
    api.followUser.mockResolvedValue({ ...bob, followed_by_me: true, followers_count: 3 });
    api.unfollowUser.mockResolvedValue({ ...bob, followed_by_me: false, followers_count: 2 });
    renderAt('/u/Bob');

    expect(await screen.findByRole('heading', { name: 'Bob Builder' })).toBeInTheDocument();
    expect(api.getUser).toHaveBeenCalledWith('bob');
    expect(screen.getByText('@bob')).toBeInTheDocument();
    expect(screen.getByText('Follows you')).toBeInTheDocument();
    expect(screen.getByText('On a roof')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '#tools' })).toHaveAttribute('href', '/tags/tools');
    expect(screen.getByText(/^Joined /)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '2 Followers' })).toHaveAttribute('href', '/u/bob/followers');
    expect(screen.getByRole('link', { name: '7 Following' })).toHaveAttribute('href', '/u/bob/following');

    const follow = screen.getByRole('button', { name: 'Follow' });
    expect(follow).toHaveAttribute('aria-pressed', 'false');
    fireEvent.click(follow);
    const unfollow = await screen.findByRole('button', { name: 'Unfollow' });
    expect(unfollow).toHaveAttribute('aria-pressed', 'true');
    expect(api.followUser).toHaveBeenCalledWith('bob');
    expect(screen.getByRole('link', { name: '3 Followers' })).toBeInTheDocument();

    fireEvent.click(unfollow);
    expect(await screen.findByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'false');
    expect(api.unfollowUser).toHaveBeenCalledWith('bob');
  });

  it('starts a direct chat from "Message"', async () => {
    api.getUser.mockResolvedValue(bob);
    api.startConversation.mockResolvedValue({ id: 'c9', kind: 'direct', members: [] });
    renderAt('/u/bob');
    fireEvent.click(await screen.findByRole('button', { name: 'Message' }));
    expect(await screen.findByText('chat page')).toBeInTheDocument();
    expect(api.startConversation).toHaveBeenCalledWith(['bob']);
  });

  it('offers "Edit profile" on your own profile, without follow buttons', async () => {
    api.getUser.mockResolvedValue({ ...bob, id: 'me1', username: 'me', display_name: 'Me' });
    renderAt('/u/me');
    expect(await screen.findByRole('link', { name: 'Edit profile' })).toHaveAttribute('href', '/settings');
    expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Message' })).toBeNull();
  });

  it('says "No such user" on 404', async () => {
    api.getUser.mockRejectedValue(new ApiError(404, 'not_found', 'Not found'));
    renderAt('/u/ghost');
    expect(await screen.findByText('No such user')).toBeInTheDocument();
    await waitFor(() => expect(api.fetchAuthorPosts).not.toHaveBeenCalled());
  });
});
