// /orgs — the support desk's directory: search organizations by name or slug (any script;
// `?q=` in the URL), open one, and (signed in) create one or go to my consultations.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { searchOrgs } from '../../api/support';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { InfiniteList } from '../../components/InfiniteList';
import { Spinner } from '../../components/Spinner';
import { CreateOrgForm } from '../../components/support/CreateOrgForm';
import { OrgRow } from '../../components/support/OrgRow';
import '../../components/support/support.css';
import { useSession } from '../../session/SessionContext';
import { orgsSearchKey } from '../../support/keys';
import { useDebounced } from '../../support/useDebounced';

function Results({ term }: { term: string }) {
  const query = useInfiniteQuery({
    queryKey: orgsSearchKey(term),
    queryFn: ({ pageParam }) => searchOrgs(term, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: (previous) => previous,
  });
  if (query.isPending) return <Spinner label="Searching organizations" />;
  if (!query.data) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  const orgs = query.data.pages.flatMap((p) => p.items);
  if (orgs.length === 0) {
    return <EmptyState title={term ? `No organizations match “${term}”` : 'No organizations yet'} />;
  }
  return (
    <InfiniteList
      hasNextPage={query.hasNextPage}
      isFetchingNextPage={query.isFetchingNextPage}
      fetchNextPage={query.fetchNextPage}
    >
      <ul className="org-list" aria-label="Organizations" aria-busy={query.isPlaceholderData || undefined}>
        {orgs.map((org) => (
          <OrgRow key={org.id} org={org} />
        ))}
      </ul>
    </InfiniteList>
  );
}

export default function OrgDirectoryPage() {
  const { status } = useSession();
  const signedIn = status === 'signed-in';
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [input, setInput] = useState(params.get('q') ?? '');
  const [creating, setCreating] = useState(false);
  const term = useDebounced(input.trim(), 250);

  // The URL follows each keystroke (one history entry, replaced): writing it later, when
  // the term settles, could land after a click on a result and navigate back here.
  const onInput = (value: string) => {
    setInput(value);
    setParams(value.trim() ? { q: value.trim() } : {}, { replace: true });
  };

  return (
    <div className="stack-lg support-page">
      <div className="row-between support-card-head">
        <h1>Support</h1>
        {signedIn ? (
          <Link to="/consultations" className="btn">
            My consultations
          </Link>
        ) : null}
      </div>
      <section className="card stack" aria-labelledby="org-directory-title">
        <div className="row-between support-card-head">
          <h2 id="org-directory-title">Organizations</h2>
          {signedIn && !creating ? (
            <button type="button" className="btn btn-small" onClick={() => setCreating(true)}>
              Create organization
            </button>
          ) : null}
        </div>
        <form role="search" className="field" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="org-search" className="visually-hidden">
            Search organizations
          </label>
          <input
            id="org-search"
            type="search"
            value={input}
            onChange={(e) => onInput(e.target.value)}
            placeholder="Search organizations by name"
            autoComplete="off"
            maxLength={100}
          />
        </form>
        <Results term={term} />
      </section>
      {creating ? (
        <section className="card stack" aria-labelledby="org-create-title">
          <div className="row-between">
            <h2 id="org-create-title">New organization</h2>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setCreating(false)}>
              Cancel
            </button>
          </div>
          <CreateOrgForm onCreated={(org) => navigate(`/orgs/${encodeURIComponent(org.slug)}`)} />
        </section>
      ) : null}
    </div>
  );
}
