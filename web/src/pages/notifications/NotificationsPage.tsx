// /notifications — follows, likes, comments, replies and mentions of me, newest first.
// Opening the page marks everything read (the badge goes to 0), but what was unread when it
// arrived stays highlighted for this visit. New ones arrive live from the socket.
import { useEffect, useRef, useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { listNotifications, markNotificationsRead } from '../../api/notifications';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { InfiniteList } from '../../components/InfiniteList';
import { Spinner } from '../../components/Spinner';
import { NotificationItem } from '../../components/notifications/NotificationItem';
import {
  clearUnreadBadge,
  NOTIFICATIONS_KEY,
  prependNotification,
  type NotificationPages,
} from '../../components/notifications/notificationCache';
import { useReconnect, useSocketEvent } from '../../realtime/RealtimeContext';

export default function NotificationsPage() {
  const qc = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: ({ pageParam }) => listNotifications(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // Always fetch on open: the read state below must come from the server as of now.
    refetchOnMount: 'always',
  });

  // Ids that were unread at some point during this visit: they stay highlighted even after
  // the server marks them read and a refetch says `read: true`.
  const [seenUnread, setSeenUnread] = useState<ReadonlySet<string>>(() => new Set());
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  useEffect(() => {
    const ids = (query.data?.pages ?? []).flatMap((p) => p.items).filter((n) => !n.read).map((n) => n.id);
    if (ids.length === 0) return;
    setSeenUnread((old) => (ids.every((id) => old.has(id)) ? old : new Set([...old, ...ids])));
  }, [query.data]);

  // Mark everything read once the fresh list is in (not before: it would come back all read).
  const marked = useRef(false);
  const fresh = query.isFetchedAfterMount && !query.isFetching && query.isSuccess;
  useEffect(() => {
    if (!fresh || marked.current) return;
    marked.current = true;
    markNotificationsRead()
      .then(() => clearUnreadBadge(qc))
      .catch(() => {
        // Not fatal: the badge stays until the next visit marks them.
        marked.current = false;
      });
  }, [fresh, qc]);

  useSocketEvent('notification', (payload) => {
    const n = payload?.notification;
    if (!n) return;
    qc.setQueryData<NotificationPages>(NOTIFICATIONS_KEY, (old) => prependNotification(old, n));
    setSeenUnread((old) => new Set([...old, n.id]));
    // It is on screen, so it is read; keep the badge at 0.
    markNotificationsRead([n.id])
      .then(() => clearUnreadBadge(qc))
      .catch(() => undefined);
  });

  // Events missed while disconnected: reload the list.
  useReconnect(() => {
    void query.refetch();
  });

  let body;
  if (query.isPending) {
    body = <Spinner label="Loading notifications" />;
  } else if (!query.data) {
    body = <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  } else if (items.length === 0) {
    body = (
      <EmptyState title="No notifications yet">
        When someone follows you, likes or comments on your posts, or mentions you, it shows up here.
      </EmptyState>
    );
  } else {
    const shown = new Set<string>();
    const unique = items.filter((n) => !shown.has(n.id) && shown.add(n.id));
    body = (
      <>
        <InfiniteList
          hasNextPage={query.hasNextPage}
          isFetchingNextPage={query.isFetchingNextPage}
          fetchNextPage={() => query.fetchNextPage()}
          loadMoreLabel="Load more notifications"
        >
          <ul className="notification-list" aria-label="Notifications">
            {unique.map((n) => (
              <NotificationItem key={n.id} notification={n} unread={!n.read || seenUnread.has(n.id)} />
            ))}
          </ul>
        </InfiniteList>
        {query.isFetchNextPageError ? (
          <ErrorBanner error={query.error} onRetry={() => void query.fetchNextPage()} />
        ) : null}
      </>
    );
  }

  return (
    <div className="stack notifications-page">
      <h1 className="page-title">Notifications</h1>
      <section className="card">{body}</section>
    </div>
  );
}
