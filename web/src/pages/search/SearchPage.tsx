// /search — find people (GET /users?q=) and hashtags (GET /tags?q=). The box is debounced
// (250 ms) into `?q=` in the URL, so a search can be shared, reloaded and gone back to.
// A leading `#` searches hashtags only, a leading `@` people only.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { searchTags } from '../../api/tags';
import { searchUsers } from '../../api/users';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Spinner } from '../../components/Spinner';
import { PagedUserList } from '../../components/profile/PagedUserList';
import '../../components/profile/profile.css';
import { parseSearch, searchMode } from './parseSearch';
import TextSearchResults, { type TextKind } from './TextSearchResults';
import './search.css';

export const SEARCH_DEBOUNCE_MS = 250;

function PeopleResults({ term }: { term: string | null }) {
  const query = useInfiniteQuery({
    queryKey: ['search', 'users', term],
    queryFn: ({ pageParam }) => searchUsers(term ?? '', pageParam, 20),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: term !== null,
    // Keep the last results on screen while the next term loads (no flicker while typing).
    placeholderData: (previous) => previous,
  });

  if (term === null) return <p className="muted">Type a name or username.</p>;
  if (query.isPending) return <Spinner label="Searching people" />;
  if (!query.data) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  const users = query.data.pages.flatMap((p) => p.items);
  if (users.length === 0) return <EmptyState title={`No people match “${term}”`} />;
  return <PagedUserList query={query} users={users} label="People found" busy={query.isPlaceholderData} />;
}

function TagResults({ term }: { term: string | null }) {
  const query = useQuery({
    queryKey: ['search', 'tags', term],
    queryFn: () => searchTags(term ?? '', 20),
    enabled: term !== null,
    placeholderData: (previous) => previous,
  });

  if (term === null) return <p className="muted">Hashtags are letters, digits or _.</p>;
  if (query.isPending) return <Spinner label="Searching hashtags" />;
  if (!query.data) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  const tags = query.data.items;
  if (tags.length === 0) return <EmptyState title={`No hashtags match “#${term}”`} />;
  return (
    <ul className="tag-list" aria-label="Hashtags found" aria-busy={query.isPlaceholderData || undefined}>
      {tags.map((t) => (
        <li key={t.tag}>
          <Link className="tag-row" to={`/tags/${encodeURIComponent(t.tag)}`}>
            <span className="tag-row-name">#{t.tag}</span>
            <span className="tag-row-count">
              {t.posts.toLocaleString()} {t.posts === 1 ? 'post' : 'posts'}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

export default function SearchPage() {
  const [params, setParams] = useSearchParams();
  const urlQ = params.get('q') ?? '';
  const [input, setInput] = useState(urlQ);
  // The last value this page wrote to ?q=, to tell our own URL updates from navigation.
  const pushed = useRef(urlQ);

  // ?q= changed from outside (back / forward, a link): show it in the box.
  useEffect(() => {
    if (urlQ !== pushed.current) {
      pushed.current = urlQ;
      setInput(urlQ);
    }
  }, [urlQ]);

  const commit = (value: string) => {
    pushed.current = value;
    // replace: one history entry per search, not one per keystroke.
    const inParam = params.get('in');
    const next: Record<string, string> = value.trim() ? { q: value } : {};
    if (inParam) next.in = inParam;
    setParams(next, { replace: true });
  };

  useEffect(() => {
    if (input === pushed.current) return;
    const timer = setTimeout(() => commit(input), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // `commit` only closes over setParams; re-running on its identity would reset the timer.
  }, [input]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (input !== pushed.current) commit(input);
  };

  const terms = parseSearch(urlQ);
  const mode = searchMode(urlQ);
  // ?in=posts / ?in=messages: full-text search; otherwise people and hashtags.
  const inParam = params.get('in');
  const textKind: TextKind | null = inParam === 'posts' || inParam === 'messages' ? inParam : null;
  const tab = (kind: TextKind | null, label: string) => {
    const next = new URLSearchParams(params);
    if (kind) next.set('in', kind);
    else next.delete('in');
    return (
      <Link role="tab" aria-selected={textKind === kind} className={textKind === kind ? 'search-tab active' : 'search-tab'} to={`/search?${next.toString()}`} replace>
        {label}
      </Link>
    );
  };

  return (
    <div className="stack search-page">
      <h1 className="page-title">Search</h1>
      <form role="search" className="search-form field" onSubmit={onSubmit}>
        <label htmlFor="search-q" className="visually-hidden">
          Search
        </label>
        <input
          id="search-q"
          type="search"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          placeholder="People, @username or #hashtag"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          enterKeyHint="search"
          maxLength={textKind ? 200 : 101}
        />
      </form>
      <nav className="search-tabs" role="tablist" aria-label="Search in">
        {tab(null, 'People & tags')}
        {tab('posts', 'Posts')}
        {tab('messages', 'Messages')}
      </nav>
      {textKind && urlQ.trim() !== '' ? (
        <TextSearchResults kind={textKind} q={urlQ} />
      ) : urlQ.trim() === '' ? (
        <EmptyState title="Find people and hashtags">
          Start with <strong>@</strong> to search people only, or <strong>#</strong> for hashtags only.
        </EmptyState>
      ) : (
        <>
          {mode !== 'tags' ? (
            <section className="card" aria-labelledby="search-people">
              <h2 id="search-people" className="search-section-title">
                People
              </h2>
              <PeopleResults term={terms.users} />
            </section>
          ) : null}
          {mode !== 'users' ? (
            <section className="card" aria-labelledby="search-tags">
              <h2 id="search-tags" className="search-section-title">
                Hashtags
              </h2>
              <TagResults term={terms.tags} />
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
