// Unit tests for the live prepend into the notifications list and clearing the badge.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../api/types';
import { clearUnreadBadge, prependNotification, type NotificationPages, UNREAD_KEY } from './notificationCache';

const actor = { id: 'u1', username: 'alice', display_name: 'Alice', avatar_url: null };
const n = (id: string): Notification => ({
  id,
  kind: 'like',
  actor,
  post_id: 'p1',
  comment_id: null,
  read: false,
  created_at: '2024-01-01T00:00:00Z',
});

describe('prependNotification', () => {
  const data: NotificationPages = {
    pages: [
      { items: [n('b')], next_cursor: 'x' },
      { items: [n('a')], next_cursor: null },
    ],
    pageParams: [null, 'x'],
  };

  it('puts a new one first on the first page', () => {
    const next = prependNotification(data, n('c'));
    expect(next?.pages[0].items.map((x) => x.id)).toEqual(['c', 'b']);
    expect(next?.pages[1]).toBe(data.pages[1]);
  });

  it('ignores one it already has and an unloaded list', () => {
    expect(prependNotification(data, n('a'))).toBe(data);
    expect(prependNotification(undefined, n('a'))).toBeUndefined();
  });
});

describe('clearUnreadBadge', () => {
  it('sets the count to zero', async () => {
    const qc = new QueryClient();
    qc.setQueryData(UNREAD_KEY, { count: 3 });
    await clearUnreadBadge(qc);
    expect(qc.getQueryData(UNREAD_KEY)).toEqual({ count: 0 });
  });
});
