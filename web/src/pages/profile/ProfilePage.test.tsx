// Component tests for the profile: follow toggling updates counts, 404 says "No such user",
// your own profile links to settings, "Message" opens the direct chat, and blocking (after
// the confirmation) and muting toggle with the returned profile.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { User } from '../../api/types';
import ProfilePage from './ProfilePage';

const api = vi.hoisted(() => ({
  getUser: vi.fn(),
  followUser: vi.fn(),
  unfollowUser: vi.fn(),
  blockUser: vi.fn(),
  unblockUser: vi.fn(),
  muteUser: vi.fn(),
  unmuteUser: vi.fn(),
  startConversation: vi.fn(),
  fetchAuthorPosts: vi.fn(),
}));

vi.mock('../../api/users', () => ({
  getUser: api.getUser,
  followUser: api.followUser,
  unfollowUser: api.unfollowUser,
  blockUser: api.blockUser,
  unblockUser: api.unblockUser,
  muteUser: api.muteUser,
  unmuteUser: api.unmuteUser,
  listBlocks: vi.fn(),
  listMutes: vi.fn(),
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

  it('blocks after the confirmation, then shows the note and Unblock without Follow or Message', async () => {
    api.getUser.mockResolvedValue(bob);
    api.blockUser.mockResolvedValue({ ...bob, blocking: true, follows_me: false, followers_count: 1 });
    api.unblockUser.mockResolvedValue({ ...bob, blocking: false, follows_me: false });
    renderAt('/u/bob');

    fireEvent.click(await screen.findByRole('button', { name: 'Block' }));
    const confirm = screen.getByRole('group', { name: 'Confirm blocking @bob' });
    expect(confirm).toHaveTextContent(/cannot follow you, message you or see your profile/);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.blockUser).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Block' }));
    fireEvent.click(within(screen.getByRole('group', { name: 'Confirm blocking @bob' })).getByRole('button', { name: 'Block' }));
    expect(await screen.findByRole('button', { name: 'Unblock' })).toBeInTheDocument();
    expect(api.blockUser).toHaveBeenCalledWith('bob');
    expect(screen.getByText(/You blocked this user/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Message' })).toBeNull();
    expect(screen.getByRole('link', { name: '1 Followers' })).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Unblock' }));
    expect(await screen.findByRole('button', { name: 'Follow' })).toBeInTheDocument();
    expect(api.unblockUser).toHaveBeenCalledWith('bob');
    expect(screen.queryByText(/You blocked this user/)).toBeNull();
  });

  it('mutes and unmutes at once', async () => {
    api.getUser.mockResolvedValue(bob);
    api.muteUser.mockResolvedValue({ ...bob, muting: true });
    api.unmuteUser.mockResolvedValue({ ...bob, muting: false });
    renderAt('/u/bob');
    fireEvent.click(await screen.findByRole('button', { name: 'Mute' }));
    const unmute = await screen.findByRole('button', { name: 'Unmute' });
    expect(unmute).toHaveAttribute('aria-pressed', 'true');
    expect(api.muteUser).toHaveBeenCalledWith('bob');
    fireEvent.click(unmute);
    expect(await screen.findByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'false');
    expect(api.unmuteUser).toHaveBeenCalledWith('bob');
  });

  it('offers no block or mute on your own profile', async () => {
    api.getUser.mockResolvedValue({ ...bob, id: 'me1', username: 'me', display_name: 'Me' });
    renderAt('/u/me');
    await screen.findByRole('link', { name: 'Edit profile' });
    expect(screen.queryByRole('button', { name: 'Block' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Mute' })).toBeNull();
  });
});
