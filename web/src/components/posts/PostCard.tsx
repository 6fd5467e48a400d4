// One post: author, text with hashtag/mention links, images, like and comment counts, time, and
// for its author a menu to edit it inline, describe its images (alt text) or delete it (with an
// inline confirmation).
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deletePost } from '../../api/posts';
import type { Post } from '../../api/types';
import { useSession } from '../../session/SessionContext';
import Avatar from '../Avatar';
import ErrorBanner from '../ErrorBanner';
import RichText from '../RichText';
import TimeAgo from '../TimeAgo';
import { CommentIcon } from './icons';
import LikeButton from './LikeButton';
import MediaGrid from './MediaGrid';
import PostDescriptions from './PostDescriptions';
import PostEditor from './PostEditor';
import PostMenu from './PostMenu';
import { removePost } from './postCache';
import { useMediaRefresh } from './useMediaRefresh';
import './posts.css';

interface Props {
  post: Post;
  /** Called after the post was deleted (the post page goes home). */
  onDeleted?: () => void;
  /** The post page shows the full card without linking the time to itself. */
  standalone?: boolean;
}

export default function PostCard({ post, onDeleted, standalone = false }: Props) {
  const { me } = useSession();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'view' | 'edit' | 'describe' | 'confirm-delete'>('view');
  useMediaRefresh(post);

  const del = useMutation({
    mutationFn: () => deletePost(post.id),
    onSuccess: () => {
      removePost(qc, post.id);
      onDeleted?.();
    },
  });

  const mine = me?.id === post.author.id;
  const profile = `/u/${encodeURIComponent(post.author.username)}`;
  const permalink = `/posts/${encodeURIComponent(post.id)}`;
  const commentsLabel = `${post.comment_count} ${post.comment_count === 1 ? 'comment' : 'comments'}`;

  return (
    <article className="card post-card" aria-labelledby={`post-${post.id}-author`} data-post-id={post.id}>
      <header className="post-card__header">
        <Link to={profile} className="post-card__avatar" tabIndex={-1} aria-hidden="true">
          <Avatar user={post.author} size={44} />
        </Link>
        <div className="post-card__who">
          <Link to={profile} className="post-card__name" id={`post-${post.id}-author`}>
            {post.author.display_name || post.author.username}
          </Link>
          <span className="post-card__meta">
            <span className="post-card__handle">@{post.author.username}</span>
            <span aria-hidden="true"> · </span>
            {standalone ? (
              <TimeAgo iso={post.created_at} />
            ) : (
              <Link to={permalink} className="post-card__time">
                <TimeAgo iso={post.created_at} />
              </Link>
            )}
            {post.edited_at && <span className="post-card__edited"> (edited)</span>}
          </span>
        </div>
        {mine && mode === 'view' && (
          <PostMenu
            onEdit={() => setMode('edit')}
            onDescribe={post.media.length > 0 ? () => setMode('describe') : undefined}
            onDelete={() => setMode('confirm-delete')}
          />
        )}
      </header>

      {mode === 'edit' ? (
        <PostEditor post={post} onDone={() => setMode('view')} />
      ) : (
        <div className="post-card__text">
          <RichText text={post.text} />
        </div>
      )}

      <MediaGrid media={post.media} author={post.author} />

      {mode === 'describe' && <PostDescriptions post={post} onDone={() => setMode('view')} />}

      {mode === 'confirm-delete' && (
        <div className="post-card__confirm" role="group" aria-label="Confirm deletion">
          <p>Delete this post? This cannot be undone.</p>
          {del.isError && <ErrorBanner error={del.error} />}
          <div className="row">
            {/* Focus moves here: the menu item that opened this is gone. */}
            <button
              type="button"
              className="btn"
              onClick={() => setMode('view')}
              disabled={del.isPending}
              autoFocus
            >
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => del.mutate()}
              disabled={del.isPending}
            >
              {del.isPending ? 'Deleting…' : 'Delete post'}
            </button>
          </div>
        </div>
      )}

      <footer className="post-card__actions">
        <LikeButton post={post} />
        <span className="post-action">
          <Link to={permalink} className="post-action__btn post-action__link" aria-label={commentsLabel}>
            <CommentIcon />
            <span aria-hidden="true" className="post-action__count">
              {post.comment_count}
            </span>
          </Link>
        </span>
      </footer>
    </article>
  );
}
