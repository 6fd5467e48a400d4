// Edits of the ['notifications'] infinite list in the query cache (live prepends) and of the
// unread badge count ['notifications','unread'], which Layout keeps as {count}.
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Notification, Page } from '../../api/types';

export type NotificationPages = InfiniteData<Page<Notification>, string | null>;

export const NOTIFICATIONS_KEY = ['notifications'] as const;
export const UNREAD_KEY = ['notifications', 'unread'] as const;

/** Puts a new notification first (once), if the list is loaded. */
export function prependNotification(
  data: NotificationPages | undefined,
  n: Notification,
): NotificationPages | undefined {
  if (!data || data.pages.length === 0) return data;
  if (data.pages.some((p) => p.items.some((x) => x.id === n.id))) return data;
  const [first, ...rest] = data.pages;
  return { ...data, pages: [{ ...first, items: [n, ...first.items] }, ...rest] };
}

/**
 * Shows the badge as 0. An unread-count fetch already in flight (Layout refetches on every
 * `notification` event) could otherwise land after this and bring back a stale number.
 */
export async function clearUnreadBadge(qc: QueryClient): Promise<void> {
  await qc.cancelQueries({ queryKey: UNREAD_KEY, exact: true });
  qc.setQueryData<{ count: number }>(UNREAD_KEY, { count: 0 });
}
