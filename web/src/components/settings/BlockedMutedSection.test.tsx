// Component test of the settings' "Blocked and muted" section: both lists, unblocking and
// unmuting one person (DELETE, then a fresh list without them), the empty lists, and a
// further page.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { User, UserSummary } from '../../api/types';
import { BlockedMutedSection } from './BlockedMutedSection';

const mocks = vi.hoisted(() => ({
  listBlocks: vi.fn(),
  listMutes: vi.fn(),
  blockUser: vi.fn(),
  unblockUser: vi.fn(),
  muteUser: vi.fn(),
  unmuteUser: vi.fn(),
}));

vi.mock('../../api/users', () => mocks);

const person = (id: string, username: string): UserSummary => ({ id, username, display_name: username.toUpperCase(), avatar_url: null });
const bob = person('u-bob', 'bob');
const carol = person('u-carol', 'carol');
const dave = person('u-dave', 'dave');
const profile = (u: UserSummary, over: Partial<User> = {}): User => ({
  ...u,
  bio: '',
  status_message: '',
  created_at: '2024-01-01T00:00:00Z',
  followers_count: 0,
  following_count: 0,
  posts_count: 0,
  online: false,
  last_seen_at: null,
  ...over,
});
const page = (items: UserSummary[], next_cursor: string | null = null) => ({ items, next_cursor });

function renderSection() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <BlockedMutedSection />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  for (const m of Object.values(mocks)) m.mockReset();
});

describe('BlockedMutedSection', () => {
  it('lists blocked and muted people and unblocks one', async () => {
    mocks.listBlocks.mockResolvedValueOnce(page([bob, carol])).mockResolvedValue(page([carol]));
    mocks.listMutes.mockResolvedValue(page([dave]));
    mocks.unblockUser.mockResolvedValue(profile(bob, { blocking: false }));
    renderSection();

    const blocked = await screen.findByRole('list', { name: 'People you block' });
    expect(within(blocked).getByRole('link', { name: /@bob/ })).toHaveAttribute('href', '/u/bob');
    expect(within(blocked).getByRole('link', { name: /@carol/ })).toBeInTheDocument();
    const muted = await screen.findByRole('list', { name: 'People you mute' });
    expect(within(muted).getByRole('button', { name: 'Unmute @dave' })).toBeInTheDocument();

    fireEvent.click(within(blocked).getByRole('button', { name: 'Unblock @bob' }));
    await waitFor(() => expect(within(blocked).queryByText('BOB')).toBeNull());
    expect(mocks.unblockUser).toHaveBeenCalledWith('bob');
    expect(mocks.listBlocks).toHaveBeenCalledTimes(2);
    expect(within(blocked).getByText('CAROL')).toBeInTheDocument();
  });

  it('unmutes one', async () => {
    mocks.listBlocks.mockResolvedValue(page([]));
    mocks.listMutes.mockResolvedValueOnce(page([dave])).mockResolvedValue(page([]));
    mocks.unmuteUser.mockResolvedValue(profile(dave, { muting: false }));
    renderSection();
    fireEvent.click(await screen.findByRole('button', { name: 'Unmute @dave' }));
    expect(await screen.findByText('You do not mute anyone')).toBeInTheDocument();
    expect(mocks.unmuteUser).toHaveBeenCalledWith('dave');
    expect(screen.getByText('You do not block anyone')).toBeInTheDocument();
  });

  it('loads a further page of blocked people', async () => {
    mocks.listBlocks.mockImplementation((cursor?: string | null) =>
      Promise.resolve(cursor === 'p2' ? page([carol]) : page([bob], 'p2')),
    );
    mocks.listMutes.mockResolvedValue(page([]));
    renderSection();
    fireEvent.click(await screen.findByRole('button', { name: 'Load more people' }));
    expect(await screen.findByText('CAROL')).toBeInTheDocument();
    expect(mocks.listBlocks).toHaveBeenLastCalledWith('p2');
  });
});
