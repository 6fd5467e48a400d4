// The comments of a post: a form to add one (signed in), then top-level comments oldest first,
// paged with "Load more comments".
import { Link, useLocation } from 'react-router-dom';
import { useInfiniteQuery } from '@tanstack/react-query';
import { fetchComments } from '../../api/comments';
import type { Post } from '../../api/types';
import { useSession } from '../../session/SessionContext';
import ErrorBanner from '../ErrorBanner';
import Spinner from '../Spinner';
import CommentForm from './CommentForm';
import CommentItem from './CommentItem';
import './posts.css';

export default function CommentThread({ post }: { post: Post }) {
  const { me } = useSession();
  const location = useLocation();
  const query = useInfiniteQuery({
    queryKey: ['comments', post.id],
    queryFn: ({ pageParam }) => fetchComments(post.id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

  const seen = new Set<string>();
  const comments = query.data
    ? query.data.pages.flatMap((p) => p.items).filter((c) => !seen.has(c.id) && seen.add(c.id))
    : [];

  return (
    <section className="comment-thread stack" aria-labelledby="comments-heading">
      <h2 id="comments-heading" className="comment-thread__title">
        Comments
      </h2>
      {me ? (
        <CommentForm postId={post.id} />
      ) : (
        <p className="muted">
          <Link to={`/signin?next=${encodeURIComponent(location.pathname)}`}>Sign in</Link> to comment.
        </p>
      )}
      {query.isPending && <Spinner label="Loading comments" />}
      {query.isError && <ErrorBanner error={query.error} />}
      {query.isSuccess && comments.length === 0 && <p className="muted">No comments yet. Be the first!</p>}
      {comments.length > 0 && (
        <ul className="comment-list comment-list--top" aria-label="Comments">
          {comments.map((c) => (
            <CommentItem key={c.id} comment={c} postAuthorId={post.author.id} depth={0} />
          ))}
        </ul>
      )}
      {query.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? 'Loading…' : 'Load more comments'}
        </button>
      )}
    </section>
  );
}
