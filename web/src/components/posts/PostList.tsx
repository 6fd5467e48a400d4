// A paged, infinitely scrolling list of posts for any feed. Other screens reuse it, e.g. the
// profile: <PostList queryKey={['posts','author',name]} fetchPage={(c) => fetchAuthorPosts(name, c)}
// empty={...}/>. Keep this signature stable. The list follows live post edits and deletions.
import type { ReactNode } from 'react';
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import type { Page, Post } from '../../api/types';
import EmptyState from '../EmptyState';
import ErrorBanner from '../ErrorBanner';
import InfiniteList from '../InfiniteList';
import Spinner from '../Spinner';
import PostCard from './PostCard';
import { usePostEvents } from './usePostEvents';
import './posts.css';

export interface PostListProps {
  queryKey: QueryKey;
  fetchPage: (cursor: string | null) => Promise<Page<Post>>;
  /** Shown when the feed has no posts at all. */
  empty: ReactNode;
  /** Accessible name of the feed (defaults to "Posts"). */
  label?: string;
}

export default function PostList({ queryKey, fetchPage, empty, label = 'Posts' }: PostListProps) {
  usePostEvents();
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

  if (query.isPending) return <Spinner label="Loading posts" />;
  // A failed next page keeps the pages already shown (the query is then in error *with* data).
  if (!query.data) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;

  // A post may move between pages while new ones arrive; show each once.
  const seen = new Set<string>();
  const posts = query.data.pages.flatMap((p) => p.items).filter((p) => !seen.has(p.id) && seen.add(p.id));
  if (posts.length === 0) {
    return typeof empty === 'string' ? <EmptyState title={empty} /> : <>{empty}</>;
  }

  return (
    <section className="post-list" aria-label={label}>
      <InfiniteList
        hasNextPage={query.hasNextPage}
        isFetchingNextPage={query.isFetchingNextPage}
        fetchNextPage={() => query.fetchNextPage()}
        loadMoreLabel="Load more posts"
      >
        {posts.map((post) => (
          <PostCard key={post.id} post={post} />
        ))}
      </InfiniteList>
      {query.isFetchNextPageError && (
        <ErrorBanner error={query.error} onRetry={() => void query.fetchNextPage()} />
      )}
    </section>
  );
}

export { PostList };
