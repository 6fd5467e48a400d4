// Component tests for notifications: wording and links, unread highlighting, and marking
// everything read (badge to 0) once the list has loaded.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../api/types';
import NotificationsPage from './NotificationsPage';

const api = vi.hoisted(() => ({ listNotifications: vi.fn(), markNotificationsRead: vi.fn() }));
vi.mock('../../api/notifications', () => ({
  listNotifications: api.listNotifications,
  markNotificationsRead: api.markNotificationsRead,
}));

const alice = { id: 'u1', username: 'alice', display_name: 'Alice', avatar_url: null };
const items: Notification[] = [
  { id: 'n2', kind: 'like', actor: alice, post_id: 'p1', comment_id: null, read: false, created_at: new Date().toISOString() },
  { id: 'n1', kind: 'follow', actor: alice, post_id: null, comment_id: null, read: true, created_at: '2024-01-01T00:00:00Z' },
];

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  qc.setQueryData(['notifications', 'unread'], { count: 1 });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <NotificationsPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return qc;
}

describe('NotificationsPage', () => {
  it('lists notifications, highlights unread ones and marks all read', async () => {
    api.listNotifications.mockResolvedValue({ items, next_cursor: null });
    api.markNotificationsRead.mockResolvedValue({ marked: 1 });
    const qc = renderPage();

    const like = await screen.findByRole('link', { name: 'Unread: alice liked your post' });
    expect(like).toHaveAttribute('href', '/posts/p1');
    expect(like.closest('li')).toHaveClass('notification-unread');
    const follow = screen.getByRole('link', { name: 'alice followed you' });
    expect(follow).toHaveAttribute('href', '/u/alice');
    expect(follow.closest('li')).not.toHaveClass('notification-unread');

    await waitFor(() => expect(api.markNotificationsRead).toHaveBeenCalledWith());
    await waitFor(() => expect(qc.getQueryData(['notifications', 'unread'])).toEqual({ count: 0 }));
    // Still highlighted for this visit.
    expect(screen.getByRole('link', { name: 'Unread: alice liked your post' })).toBeInTheDocument();
  });

  it('has an empty state', async () => {
    api.listNotifications.mockResolvedValue({ items: [], next_cursor: null });
    api.markNotificationsRead.mockResolvedValue({ marked: 0 });
    renderPage();
    expect(await screen.findByText('No notifications yet')).toBeInTheDocument();
  });
});
