// One comment with its actions (Reply, delete) and, on demand, its replies, which nest to any
// depth. Indentation stops growing after a few levels so deep threads stay readable on phones.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deleteComment } from '../../api/comments';
import type { Comment } from '../../api/types';
import { useSession } from '../../session/SessionContext';
import Avatar from '../Avatar';
import ErrorBanner from '../ErrorBanner';
import RichText from '../RichText';
import TimeAgo from '../TimeAgo';
import CommentForm from './CommentForm';
import ReplyList from './ReplyList';
import { patchComment, removeComment } from './commentCache';

interface Props {
  comment: Comment;
  /** The author of the post: they may delete any comment on it. */
  postAuthorId: string;
  depth: number;
}

export default function CommentItem({ comment, postAuthorId, depth }: Props) {
  const { me } = useSession();
  const qc = useQueryClient();
  const [replying, setReplying] = useState(false);
  const [showReplies, setShowReplies] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const del = useMutation({
    mutationFn: () => deleteComment(comment.id),
    onSuccess: () => {
      removeComment(qc, comment.id);
      if (comment.parent_id) {
        patchComment(qc, comment.parent_id, (c) => ({ ...c, reply_count: Math.max(0, c.reply_count - 1) }));
      }
      // Replies go with their comment, so the post's count is re-read rather than guessed.
      void qc.invalidateQueries({ queryKey: ['post', comment.post_id], exact: true });
    },
  });

  const canDelete = !!me && (me.id === comment.author.id || me.id === postAuthorId);
  const profile = `/u/${encodeURIComponent(comment.author.username)}`;
  const replies = comment.reply_count;
  const repliesId = `replies-${comment.id}`;

  return (
    <li className="comment" data-comment-id={comment.id}>
      <article className="comment__body" aria-labelledby={`comment-${comment.id}-author`}>
        <Link to={profile} className="comment__avatar" tabIndex={-1} aria-hidden="true">
          <Avatar user={comment.author} size={32} />
        </Link>
        <div className="comment__main">
          <div className="comment__meta">
            <Link to={profile} className="comment__name" id={`comment-${comment.id}-author`}>
              {comment.author.display_name || comment.author.username}
            </Link>{' '}
            <span className="comment__handle">@{comment.author.username}</span>
            <span aria-hidden="true"> · </span>
            <TimeAgo iso={comment.created_at} />
          </div>
          <div className="comment__text">
            <RichText text={comment.text} />
          </div>
          <div className="comment__actions">
            {me && !replying && (
              <button type="button" className="link-btn" onClick={() => setReplying(true)}>
                Reply
              </button>
            )}
            {replies > 0 && (
              <button
                type="button"
                className="link-btn"
                aria-expanded={showReplies}
                aria-controls={repliesId}
                onClick={() => setShowReplies((s) => !s)}
              >
                {showReplies ? 'Hide replies' : `${replies} ${replies === 1 ? 'reply' : 'replies'}`}
              </button>
            )}
            {canDelete && !confirming && (
              <button type="button" className="link-btn link-btn--danger" onClick={() => setConfirming(true)}>
                Delete comment
              </button>
            )}
          </div>
          {confirming && (
            <div className="comment__confirm" role="group" aria-label="Confirm deletion">
              <span>Delete this comment{replies > 0 ? ' and its replies' : ''}?</span>
              <button
                type="button"
                className="btn"
                onClick={() => setConfirming(false)}
                disabled={del.isPending}
                autoFocus
              >
                Cancel
              </button>
              <button type="button" className="btn btn-danger" onClick={() => del.mutate()} disabled={del.isPending}>
                {del.isPending ? 'Deleting…' : 'Delete'}
              </button>
              {del.isError && <ErrorBanner error={del.error} />}
            </div>
          )}
          {replying && (
            <CommentForm
              postId={comment.post_id}
              parent={comment}
              autoFocus
              onCancel={() => setReplying(false)}
              onDone={() => {
                setReplying(false);
                setShowReplies(true);
              }}
            />
          )}
        </div>
      </article>
      {showReplies && (
        <div id={repliesId} className={`comment__replies${depth >= 3 ? ' comment__replies--deep' : ''}`}>
          <ReplyList comment={comment} postAuthorId={postAuthorId} depth={depth + 1} />
        </div>
      )}
    </li>
  );
}
