// A paged list of people (follower lists, people search): one UserRow each, more pages as the
// list scrolls, and a retry banner when a further page fails. Shared so the two screens keep
// the same markup and behaviour.
import type { ReactNode } from 'react';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { Page, UserSummary } from '../../api/types';
import { ErrorBanner } from '../ErrorBanner';
import { InfiniteList } from '../InfiniteList';
import { UserRow } from './UserRow';

interface PagedUserListProps {
  query: UseInfiniteQueryResult<InfiniteData<Page<UserSummary>>>;
  users: UserSummary[];
  label: string;
  busy?: boolean;
  /** Something after each row's link, e.g. an Unblock button. */
  trailing?: (user: UserSummary) => ReactNode;
}

export function PagedUserList({ query, users, label, busy, trailing }: PagedUserListProps) {
  return (
    <>
      <InfiniteList
        hasNextPage={query.hasNextPage}
        isFetchingNextPage={query.isFetchingNextPage}
        fetchNextPage={() => query.fetchNextPage()}
        loadMoreLabel="Load more people"
      >
        <ul className="user-list" aria-label={label} aria-busy={busy || undefined}>
          {users.map((u) => (
            <li key={u.id}>
              <UserRow user={u} trailing={trailing?.(u)} />
            </li>
          ))}
        </ul>
      </InfiniteList>
      {query.isFetchNextPageError ? (
        <ErrorBanner error={query.error} onRetry={() => void query.fetchNextPage()} />
      ) : null}
    </>
  );
}
