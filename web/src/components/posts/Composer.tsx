// Write a post: text up to 500 characters and up to 4 images (picked, pasted or dropped). Images
// upload at once; "Post" waits until none is still uploading. Each uploaded image can be
// described (alt text, saved at once with PATCH /media/:id). A new post goes to the top of the
// timeline, the public feed and my profile's list.
import { useId, useState, type ClipboardEvent, type DragEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createPost } from '../../api/posts';
import { ACCEPTED_IMAGE_TYPES } from '../../api/media';
import { useSession } from '../../session/SessionContext';
import ErrorBanner from '../ErrorBanner';
import { ImageIcon } from './icons';
import AttachmentTile from './AttachmentTile';
import { MAX_POST_CHARS, MAX_POST_IMAGES, charCount } from './limits';
import { prependPost } from './postCache';
import { useAttachments } from './useAttachments';
import './posts.css';

function imagesOf(list: FileList | null): File[] {
  return list ? Array.from(list).filter((file) => file.type.startsWith('image/')) : [];
}

export default function Composer() {
  const qc = useQueryClient();
  const { me } = useSession();
  const id = useId();
  const [text, setText] = useState('');
  const [dragging, setDragging] = useState(false);
  const attachments = useAttachments();

  const submit = useMutation({
    mutationFn: () => createPost(text.trim(), attachments.mediaIds),
    onSuccess: (post) => {
      prependPost(qc, ['timeline'], post);
      prependPost(qc, ['posts', 'public'], post);
      if (me) {
        prependPost(qc, ['posts', 'author', me.username], post);
        void qc.invalidateQueries({ queryKey: ['user', me.username] });
      }
      for (const tag of post.hashtags) prependPost(qc, ['tag', tag], post);
      setText('');
      attachments.clear();
    },
  });

  const count = charCount(text);
  const over = count > MAX_POST_CHARS;
  const full = attachments.items.length >= MAX_POST_IMAGES;
  const canPost = count > 0 && !over && !attachments.uploading && !submit.isPending;

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = imagesOf(e.clipboardData.files);
    if (files.length) {
      e.preventDefault();
      attachments.add(files);
    }
  };
  const onDrop = (e: DragEvent<HTMLFormElement>) => {
    setDragging(false);
    const files = imagesOf(e.dataTransfer.files);
    if (files.length) {
      e.preventDefault();
      attachments.add(files);
    }
  };

  return (
    <form
      className={`card composer stack${dragging ? ' composer--drop' : ''}`}
      aria-label="New post"
      onSubmit={(e) => {
        e.preventDefault();
        if (canPost) submit.mutate();
      }}
      onDragOver={(e) => {
        if (Array.from(e.dataTransfer.types).includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label htmlFor={`${id}-text`} className="visually-hidden">
        What's happening?
      </label>
      <textarea
        id={`${id}-text`}
        className="input composer__text"
        placeholder="What's happening?"
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onPaste={onPaste}
        onKeyDown={(e) => {
          // Ctrl/Cmd+Enter posts, as in most social apps.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && canPost) {
            e.preventDefault();
            submit.mutate();
          }
        }}
        aria-describedby={`${id}-count`}
      />

      {attachments.items.length > 0 && (
        <ul className="attachments" aria-label="Attached images">
          {attachments.items.map((item, i) => (
            <AttachmentTile
              key={item.key}
              item={item}
              index={i}
              onRemove={() => attachments.remove(item.key)}
              onDescribed={(altText) => attachments.describe(item.key, altText)}
            />
          ))}
        </ul>
      )}
      {attachments.notice && (
        <p className="composer__notice" role="status">
          {attachments.notice}
        </p>
      )}
      {submit.isError && <ErrorBanner error={submit.error} />}

      <div className="composer__bar">
        {/* The input is visually hidden; its label is the visible, focusable-looking control. */}
        <input
          id={`${id}-files`}
          type="file"
          accept={ACCEPTED_IMAGE_TYPES}
          multiple
          className="visually-hidden composer__files"
          aria-label="Add images"
          disabled={full}
          onChange={(e) => {
            attachments.add(Array.from(e.target.files ?? []));
            e.target.value = ''; // so picking the same file again fires a change
          }}
        />
        <label htmlFor={`${id}-files`} className={`btn composer__add${full ? ' composer__add--disabled' : ''}`}>
          <ImageIcon />
          Add images
        </label>
        <span
          id={`${id}-count`}
          className={`char-count${over ? ' char-count--over' : ''}`}
          aria-live={over ? 'polite' : 'off'}
        >
          {count}/{MAX_POST_CHARS}
          {over && <span className="visually-hidden"> characters: too long</span>}
        </span>
        <button type="submit" className="btn btn-primary" disabled={!canPost}>
          {submit.isPending ? 'Posting…' : 'Post'}
        </button>
      </div>
    </form>
  );
}
