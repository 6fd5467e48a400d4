// A form to comment on a post, or to reply to a comment (when `parent` is set). On success the
// new comment is appended to its thread and the counts go up.
import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createComment } from '../../api/comments';
import type { Comment } from '../../api/types';
import ErrorBanner from '../ErrorBanner';
import { appendComment, patchComment } from './commentCache';
import { patchPost } from './postCache';

interface Props {
  postId: string;
  /** Replying to this comment; a top-level comment when absent. */
  parent?: Comment;
  onDone?: (comment: Comment) => void;
  onCancel?: () => void;
  autoFocus?: boolean;
}

export default function CommentForm({ postId, parent, onDone, onCancel, autoFocus }: Props) {
  const qc = useQueryClient();
  const id = useId();
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: () => createComment(postId, text.trim(), parent?.id),
    onSuccess: (comment) => {
      if (parent) {
        appendComment(qc, ['replies', parent.id], comment);
        patchComment(qc, parent.id, (c) => ({ ...c, reply_count: c.reply_count + 1 }));
      } else {
        appendComment(qc, ['comments', postId], comment);
      }
      patchPost(qc, postId, (p) => ({ ...p, comment_count: p.comment_count + 1 }));
      setText('');
      onDone?.(comment);
    },
  });

  const label = parent ? `Reply to @${parent.author.username}` : 'Add a comment';
  const empty = text.trim().length === 0;
  return (
    <form
      className={`comment-form stack${parent ? ' comment-form--reply' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!empty && !send.isPending) send.mutate();
      }}
    >
      <label htmlFor={`${id}-text`} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={`${id}-text`}
        className="input"
        rows={parent ? 2 : 3}
        placeholder={parent ? `Reply to @${parent.author.username}…` : 'Add a comment…'}
        value={text}
        autoFocus={autoFocus}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && onCancel) onCancel();
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !empty && !send.isPending) {
            e.preventDefault();
            send.mutate();
          }
        }}
      />
      {send.isError && <ErrorBanner error={send.error} />}
      <div className="row comment-form__actions">
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="btn btn-primary" disabled={empty || send.isPending}>
          {parent ? 'Reply' : 'Comment'}
        </button>
      </div>
    </form>
  );
}
