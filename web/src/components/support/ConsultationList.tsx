// A paged list of consultations in the left pane of the support screens, with its
// loading, empty and error states; more pages load as it scrolls.
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { Consultation, Page } from '../../api/types';
import { flattenConsultations } from '../../support/useConsultations';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { InfiniteList } from '../InfiniteList';
import { Spinner } from '../Spinner';
import { ConsultationRow } from './ConsultationRow';

export function ConsultationList({
  query,
  activeId,
  view,
  myId,
  hrefFor,
  empty,
}: {
  query: UseInfiniteQueryResult<InfiniteData<Page<Consultation>, string | null>, Error>;
  activeId: string | null;
  view: 'customer' | 'agent';
  myId: string;
  hrefFor: (c: Consultation) => string;
  empty: string;
}) {
  const items = flattenConsultations(query.data);
  if (query.isPending) return <Spinner label="Loading consultations" />;
  if (query.isError && items.length === 0) {
    return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (items.length === 0) return <EmptyState title={empty} />;
  return (
    <InfiniteList
      hasNextPage={query.hasNextPage}
      isFetchingNextPage={query.isFetchingNextPage}
      fetchNextPage={query.fetchNextPage}
      className="support-list-panel"
    >
      <ul className="chat-list-items" aria-label="Consultations">
        {items.map((c) => (
          <ConsultationRow
            key={c.id}
            consultation={c}
            href={hrefFor(c)}
            active={c.id === activeId}
            view={view}
            myId={myId}
          />
        ))}
      </ul>
    </InfiniteList>
  );
}
