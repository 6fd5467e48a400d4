// Full-text results on /search: posts (anyone) or the messages of my conversations (signed in),
// newest first, paged with the server's cursor ("Load more"), each match in <mark> from the
// hit's UTF-16 `highlights`.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { searchMessages, searchPosts } from '../../api/search';
import type { MessageHit, PostHit } from '../../api/search';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Highlighted } from '../../components/Highlighted';
import { InfiniteList } from '../../components/InfiniteList';
import { Spinner } from '../../components/Spinner';
import TimeAgo from '../../components/TimeAgo';
import { useSession } from '../../session/SessionContext';

export type TextKind = 'posts' | 'messages';

function PostHitRow({ hit }: { hit: PostHit }) {
  const p = hit.post;
  return (
    <li className="search-hit" data-post-id={p.id}>
      <div className="search-hit__meta">
        <Link to={`/u/${encodeURIComponent(p.author.username)}`}>{p.author.display_name || p.author.username}</Link>
        {' · '}
        <Link to={`/posts/${encodeURIComponent(p.id)}`}>
          <TimeAgo iso={p.created_at} />
        </Link>
      </div>
      <Highlighted className="search-hit__text" text={p.text} ranges={hit.highlights} />
    </li>
  );
}

function MessageHitRow({ hit }: { hit: MessageHit }) {
  const m = hit.message;
  const who = m.sender ? m.sender.display_name || m.sender.username : (m.organization?.name ?? 'Support');
  return (
    <li className="search-hit" data-message-id={m.id}>
      <div className="search-hit__meta">
        <Link to={`/chat/${encodeURIComponent(m.conversation_id)}`}>{who}</Link>
        {' · '}
        <TimeAgo iso={m.created_at} />
      </div>
      <Highlighted className="search-hit__text" text={m.text} ranges={hit.highlights} />
    </li>
  );
}

function useTextSearch<T>(kind: TextKind, q: string, fetch: (q: string, cursor: string | null) => Promise<{ items: T[]; next_cursor: string | null }>, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['search', kind, q],
    queryFn: ({ pageParam }) => fetch(q, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled,
    placeholderData: (previous) => previous,
  });
}

/** Whether `q` has something the server can search for (a letter or digit). */
export function hasWord(q: string): boolean {
  return /[\p{L}\p{N}]/u.test(q) && q.trim().length <= 200;
}

function PostResults({ q }: { q: string }) {
  const query = useTextSearch<PostHit>('posts', q, (text, cursor) => searchPosts(text, cursor), hasWord(q));
  if (!hasWord(q)) return <p className="muted">Type a word to search posts.</p>;
  if (query.isPending) return <Spinner label="Searching posts" />;
  if (!query.data) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  const hits = query.data.pages.flatMap((p) => p.items);
  if (hits.length === 0) return <EmptyState title={`No posts match “${q}”`} />;
  return (
    <InfiniteList hasNextPage={query.hasNextPage} isFetchingNextPage={query.isFetchingNextPage} fetchNextPage={query.fetchNextPage}>
      <ul className="search-hits" aria-label="Posts found" aria-busy={query.isPlaceholderData || undefined}>
        {hits.map((hit) => (
          <PostHitRow key={hit.post.id} hit={hit} />
        ))}
      </ul>
    </InfiniteList>
  );
}

function MessageResults({ q }: { q: string }) {
  const { status } = useSession();
  const signedIn = status === 'signed-in';
  const query = useTextSearch<MessageHit>('messages', q, (text, cursor) => searchMessages(text, cursor), signedIn && hasWord(q));
  if (!signedIn) return <p className="muted">Sign in to search your messages.</p>;
  if (!hasWord(q)) return <p className="muted">Type a word to search your messages.</p>;
  if (query.isPending) return <Spinner label="Searching messages" />;
  if (!query.data) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  const hits = query.data.pages.flatMap((p) => p.items);
  if (hits.length === 0) return <EmptyState title={`No messages match “${q}”`} />;
  return (
    <InfiniteList hasNextPage={query.hasNextPage} isFetchingNextPage={query.isFetchingNextPage} fetchNextPage={query.fetchNextPage}>
      <ul className="search-hits" aria-label="Messages found" aria-busy={query.isPlaceholderData || undefined}>
        {hits.map((hit) => (
          <MessageHitRow key={hit.message.id} hit={hit} />
        ))}
      </ul>
    </InfiniteList>
  );
}

export default function TextSearchResults({ kind, q }: { kind: TextKind; q: string }) {
  return (
    <section className="card" aria-labelledby="search-text">
      <h2 id="search-text" className="search-section-title">
        {kind === 'posts' ? 'Posts' : 'Messages'}
      </h2>
      {kind === 'posts' ? <PostResults q={q.trim()} /> : <MessageResults q={q.trim()} />}
    </section>
  );
}
