// Endpoint functions for notifications: the list, marking read, the unread count.
import { api } from './client';
import type { Notification, Page } from './types';

export function listNotifications(cursor?: string | null): Promise<Page<Notification>> {
  return api.get<Page<Notification>>('/notifications', cursor ? { cursor } : {});
}

/** Marks the given notifications read, or all of them when `ids` is omitted. */
export function markNotificationsRead(ids?: string[]): Promise<{ marked: number }> {
  return api.post<{ marked: number }>('/notifications/read', ids ? { ids } : {});
}

export async function unreadNotificationCount(): Promise<number> {
  const body = await api.get<{ count: number }>('/notifications/unread_count');
  return body.count;
}
