// "My sites": the registered sites, oldest first, each a DomainRow; a spinner, an error
// with a retry, or an empty state while there are none.
import type { DomainId, NewSecret } from '../../api/types';
import { useDomains } from '../../developer/domains';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Spinner } from '../Spinner';
import { DomainRow } from './DomainRow';

interface Props {
  onRotated: (rotated: NewSecret) => void;
  onDeleted: (id: DomainId) => void;
}

export function DomainList({ onRotated, onDeleted }: Props) {
  const domains = useDomains();
  return (
    <section className="card stack" aria-labelledby="my-domains-title">
      <h2 id="my-domains-title">My sites</h2>
      {domains.isPending ? (
        <Spinner label="Loading your sites" />
      ) : !domains.data ? (
        <ErrorBanner error={domains.error} onRetry={() => void domains.refetch()} />
      ) : domains.data.length === 0 ? (
        <EmptyState title="No sites yet">
          <p>Register your site’s host above to get its client secret.</p>
        </EmptyState>
      ) : (
        <ul className="domain-list" aria-label="My sites">
          {domains.data.map((d) => (
            <DomainRow key={d.id} domain={d} onRotated={onRotated} onDeleted={onDeleted} />
          ))}
        </ul>
      )}
    </section>
  );
}
