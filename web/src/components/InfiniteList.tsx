// Wraps a list and loads the next page when a sentinel scrolls into view
// (IntersectionObserver), with a visible "Load more" button as the keyboard/no-IO fallback.
// `direction="up"` puts the sentinel above the items (chat history).
import { useEffect, useRef, type ReactNode } from 'react';
import { Spinner } from './Spinner';

interface InfiniteListProps {
  children: ReactNode;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  direction?: 'down' | 'up';
  loadMoreLabel?: string;
  className?: string;
  /** Scroll container to observe within (default: the viewport). */
  root?: Element | null;
}

export function InfiniteList({
  children,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  direction = 'down',
  loadMoreLabel = 'Load more',
  className,
  root = null,
}: InfiniteListProps) {
  const sentinel = useRef<HTMLDivElement>(null);
  const state = useRef({ hasNextPage, isFetchingNextPage, fetchNextPage });
  state.current = { hasNextPage, isFetchingNextPage, fetchNextPage };

  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        const s = state.current;
        if (entries.some((e) => e.isIntersecting) && s.hasNextPage && !s.isFetchingNextPage) {
          void s.fetchNextPage();
        }
      },
      { root, rootMargin: '400px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [root]);

  const more = (
    <div className="infinite-more" ref={sentinel}>
      {isFetchingNextPage ? <Spinner label="Loading more" inline /> : null}
      {hasNextPage && !isFetchingNextPage ? (
        <button type="button" className="btn" onClick={() => void fetchNextPage()}>
          {loadMoreLabel}
        </button>
      ) : null}
    </div>
  );

  return (
    <div className={className}>
      {direction === 'up' ? more : null}
      {children}
      {direction === 'down' ? more : null}
    </div>
  );
}

export default InfiniteList;
