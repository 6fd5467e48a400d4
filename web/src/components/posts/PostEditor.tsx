// Inline editing of a post's text: a textarea with Save / Cancel; PATCH /posts/:id.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { editPost } from '../../api/posts';
import type { Post } from '../../api/types';
import ErrorBanner from '../ErrorBanner';
import { replacePost } from './postCache';
import { MAX_POST_CHARS, charCount } from './limits';

export default function PostEditor({ post, onDone }: { post: Post; onDone: () => void }) {
  const qc = useQueryClient();
  const [text, setText] = useState(post.text);
  const save = useMutation({
    mutationFn: () => editPost(post.id, text),
    onSuccess: (fresh) => {
      replacePost(qc, fresh);
      onDone();
    },
  });
  const count = charCount(text);
  const invalid = count === 0 || count > MAX_POST_CHARS;

  return (
    <form
      className="stack post-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (!invalid && !save.isPending) save.mutate();
      }}
    >
      <label className="visually-hidden" htmlFor={`edit-${post.id}`}>
        Edit post
      </label>
      <textarea
        id={`edit-${post.id}`}
        className="input"
        value={text}
        rows={3}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onDone();
        }}
      />
      {save.isError && <ErrorBanner error={save.error} />}
      <div className="row post-editor__actions">
        <span className={`char-count${count > MAX_POST_CHARS ? ' char-count--over' : ''}`}>
          {count}/{MAX_POST_CHARS}
        </span>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={invalid || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
