// Inline editor for an image's description (alt text): a textarea with a character counter and
// Save / Cancel. Save sends PATCH /media/:id and hands the updated media back; errors show in
// the usual banner. Used by the composer and by the author of an existing post.
import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { MAX_ALT_TEXT_CHARS, describeMedia } from '../../api/media';
import type { Media } from '../../api/types';
import ErrorBanner from '../ErrorBanner';
import { charCount } from '../posts/limits';
import './media.css';

interface Props {
  media: Media;
  /** Names the image in labels, e.g. "Image 1". */
  label: string;
  /** The description currently shown (may be newer than `media.alt_text`). */
  initial: string;
  onSaved: (media: Media) => void;
  onCancel: () => void;
}

export default function DescriptionEditor({ media, label, initial, onSaved, onCancel }: Props) {
  const id = useId();
  const [text, setText] = useState(initial);
  const save = useMutation({
    mutationFn: () => describeMedia(media.id, text.trim()),
    onSuccess: onSaved,
  });
  const count = charCount(text);
  const over = count > MAX_ALT_TEXT_CHARS;

  return (
    <div className="stack description-editor">
      <label htmlFor={`${id}-alt`} className="description-editor__label">
        Description of {label}
      </label>
      <textarea
        id={`${id}-alt`}
        className="input description-editor__text"
        rows={3}
        maxLength={MAX_ALT_TEXT_CHARS}
        placeholder="Describe the image for people who cannot see it"
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter belongs to the textarea; Escape closes without saving. Neither reaches a form.
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          }
        }}
        aria-describedby={`${id}-count`}
      />
      {save.isError && <ErrorBanner error={save.error} />}
      <div className="row description-editor__actions">
        <span id={`${id}-count`} className={`char-count${over ? ' char-count--over' : ''}`}>
          {count}/{MAX_ALT_TEXT_CHARS}
        </span>
        <button type="button" className="btn" onClick={onCancel} disabled={save.isPending}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => save.mutate()}
          disabled={over || save.isPending}
        >
          {save.isPending ? 'Saving…' : 'Save description'}
        </button>
      </div>
    </div>
  );
}
