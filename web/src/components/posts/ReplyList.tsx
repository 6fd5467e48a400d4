// The direct replies to a comment (GET /comments/:id/replies), oldest first, paged with
// "Load more replies". Each reply is a CommentItem, so threads nest to any depth.
import { useInfiniteQuery } from '@tanstack/react-query';
import { fetchReplies } from '../../api/comments';
import type { Comment } from '../../api/types';
import ErrorBanner from '../ErrorBanner';
import Spinner from '../Spinner';
import CommentItem from './CommentItem';

interface Props {
  comment: Comment;
  postAuthorId: string;
  depth: number;
}

export default function ReplyList({ comment, postAuthorId, depth }: Props) {
  const query = useInfiniteQuery({
    queryKey: ['replies', comment.id],
    queryFn: ({ pageParam }) => fetchReplies(comment.id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

  if (query.isPending) return <Spinner label="Loading replies" />;
  if (query.isError) return <ErrorBanner error={query.error} />;

  const seen = new Set<string>();
  const replies = query.data.pages.flatMap((p) => p.items).filter((c) => !seen.has(c.id) && seen.add(c.id));
  return (
    <>
      <ul className="comment-list" aria-label={`Replies to @${comment.author.username}`}>
        {replies.map((reply) => (
          <CommentItem key={reply.id} comment={reply} postAuthorId={postAuthorId} depth={depth} />
        ))}
      </ul>
      {query.hasNextPage && (
        <button
          type="button"
          className="link-btn"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? 'Loading…' : 'Load more replies'}
        </button>
      )}
    </>
  );
}
