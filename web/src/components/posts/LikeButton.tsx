// Like / unlike a post, optimistically: every cached copy flips at once and is put back if the
// server refuses. The button's name is "Like" or "Unlike" and `aria-pressed` tells the state.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { setLiked } from '../../api/posts';
import { errorMessage } from '../../api/errors';
import type { Post } from '../../api/types';
import { useSession } from '../../session/SessionContext';
import { HeartIcon } from './icons';
import { findCachedPost, patchPost, replacePost } from './postCache';

export default function LikeButton({ post }: { post: Post }) {
  const qc = useQueryClient();
  const { me } = useSession();
  const [error, setError] = useState<string | null>(null);

  const mutation = useMutation({
    mutationKey: ['like', post.id],
    mutationFn: (liked: boolean) => setLiked(post.id, liked),
    onMutate: (liked: boolean) => {
      setError(null);
      const before = findCachedPost(qc, post.id) ?? post;
      patchPost(qc, post.id, (p) =>
        p.liked_by_me === liked
          ? p
          : { ...p, liked_by_me: liked, like_count: Math.max(0, p.like_count + (liked ? 1 : -1)) },
      );
      return { before };
    },
    onError: (err, _liked, ctx) => {
      if (ctx?.before) {
        const { liked_by_me, like_count } = ctx.before;
        patchPost(qc, post.id, (p) => ({ ...p, liked_by_me, like_count }));
      }
      setError(errorMessage(err));
    },
    // A later click still in flight wins: do not overwrite its optimistic state with this answer.
    onSuccess: (fresh) => {
      if (qc.isMutating({ mutationKey: ['like', post.id] }) <= 1) replacePost(qc, fresh);
    },
  });

  const liked = post.liked_by_me;
  return (
    <span className="post-action">
      <button
        type="button"
        className={`post-action__btn like-btn${liked ? ' like-btn--on' : ''}`}
        aria-pressed={liked}
        aria-label={liked ? 'Unlike' : 'Like'}
        disabled={!me}
        title={me ? undefined : 'Sign in to like posts'}
        onClick={() => mutation.mutate(!liked)}
      >
        <HeartIcon filled={liked} />
      </button>
      <span className="post-action__count">
        {post.like_count}
        <span className="visually-hidden">{post.like_count === 1 ? ' like' : ' likes'}</span>
      </span>
      {error && (
        <span role="alert" className="post-action__error">
          {error}
        </span>
      )}
    </span>
  );
}
