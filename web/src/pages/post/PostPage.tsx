// One post with its threaded comments. A missing or deleted post gets a friendly message;
// deleting the post here goes back home.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { getPost } from '../../api/posts';
import { useSocketEvent } from '../../realtime/RealtimeContext';
import CommentThread from '../../components/posts/CommentThread';
import PostCard from '../../components/posts/PostCard';
import { usePostEvents } from '../../components/posts/usePostEvents';
import { findCachedPost } from '../../components/posts/postCache';
import EmptyState from '../../components/EmptyState';
import ErrorBanner from '../../components/ErrorBanner';
import Spinner from '../../components/Spinner';

export default function PostPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  usePostEvents();
  // Deleted elsewhere while open (the author's other tab or device).
  const [deletedId, setDeletedId] = useState<string | null>(null);
  useSocketEvent('post:deleted', (payload) => {
    if (payload?.id === id) setDeletedId(id);
  });
  const query = useQuery({
    queryKey: ['post', id],
    queryFn: () => getPost(id),
    // Coming from a feed, show the post at once from the cache, then re-read it.
    initialData: () => findCachedPost(qc, id),
    initialDataUpdatedAt: 0,
    // A missing post stays missing: do not retry 404s.
    retry: (count, err) => !(err instanceof ApiError && (err.status === 404 || err.status === 422)) && count < 2,
  });

  const notFound =
    query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 422);
  if (deletedId === id || notFound) {
    return (
      <EmptyState
        title="This post does not exist or was deleted"
        action={
          <Link to="/" className="btn btn-primary">
            Go home
          </Link>
        }
      />
    );
  }
  if (query.isPending) return <Spinner label="Loading post" />;
  if (query.isError) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;

  return (
    <div className="stack post-page">
      <h1 className="visually-hidden">Post by @{query.data.author.username}</h1>
      <PostCard post={query.data} standalone onDeleted={() => navigate('/', { replace: true })} />
      <CommentThread post={query.data} />
    </div>
  );
}
