// The message composer: a textarea labelled "Message" (Enter sends, Shift+Enter is a new
// line, IME composition is respected), the "Send" button, up to 4 attached images
// (uploaded at once, sent as media_ids), and the outgoing typing events. `disabled` (a
// closed consultation) keeps it in place but unusable, with `disabledHint` as placeholder.
import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react';
import { errorMessage } from '../../api/errors';
import { ACCEPTED_IMAGE_TYPES, uploadMedia } from '../../api/media';
import { TypingNotifier } from '../../chat/typing';
import { emitWithAck, useSocket } from '../../realtime/RealtimeContext';

const MAX_TEXT = 4000;
const MAX_IMAGES = 4;

interface Attachment {
  key: string;
  name: string;
  previewUrl: string;
  progress: number;
  mediaId: string | null;
  error: string | null;
}

export function Composer({
  conversationId,
  onSend,
  disabled = false,
  disabledHint,
}: {
  conversationId: string;
  onSend: (text: string, mediaIds: string[]) => void;
  disabled?: boolean;
  disabledHint?: string;
}) {
  const ids = useId();
  const socket = useSocket();
  const [text, setText] = useState('');
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const socketRef = useRef(socket);
  socketRef.current = socket;

  // One notifier per conversation; it reads the current socket when it fires.
  const notifier = useRef<TypingNotifier | null>(null);
  useEffect(() => {
    const n = new TypingNotifier((typing) => {
      const s = socketRef.current;
      if (!s?.connected) return;
      emitWithAck(s, 'typing', { conversation_id: conversationId, typing }).catch(() => {
        // A lost typing event only means a late or missing indicator.
      });
    });
    notifier.current = n;
    return () => n.stop();
  }, [conversationId]);

  // Revoke object URLs of previews when they go away.
  const previews = useRef(new Set<string>());
  useEffect(() => {
    const urls = previews.current;
    return () => urls.forEach((u) => URL.revokeObjectURL(u));
  }, []);

  const uploading = attachments.some((a) => a.mediaId === null && a.error === null);
  const ready = attachments.filter((a) => a.mediaId !== null);
  const canSend = !disabled && text.trim().length > 0 && text.length <= MAX_TEXT && !uploading;

  const send = () => {
    if (!canSend) return;
    onSend(text.trim(), ready.map((a) => a.mediaId as string));
    setText('');
    setAttachments((list) => {
      list.forEach((a) => URL.revokeObjectURL(a.previewUrl));
      return [];
    });
    notifier.current?.stop();
    textarea.current?.focus();
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter that confirms a Korean/Japanese/Chinese composition is not a send.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  const onChange = (e: ChangeEvent<HTMLTextAreaElement>) => {
    setText(e.target.value);
    if (e.target.value.trim()) notifier.current?.input();
    else notifier.current?.stop();
  };

  const update = (key: string, patch: Partial<Attachment>) =>
    setAttachments((list) => list.map((a) => (a.key === key ? { ...a, ...patch } : a)));

  const onFiles = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []).slice(0, MAX_IMAGES - attachments.length);
    e.target.value = '';
    for (const file of files) {
      const key = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const previewUrl = URL.createObjectURL(file);
      previews.current.add(previewUrl);
      setAttachments((list) => [...list, { key, name: file.name, previewUrl, progress: 0, mediaId: null, error: null }]);
      uploadMedia(file, { onProgress: (progress) => update(key, { progress }) })
        .then((media) => update(key, { mediaId: media.id, progress: 1 }))
        .catch((err) => update(key, { error: errorMessage(err) }));
    }
  };

  const remove = (key: string) =>
    setAttachments((list) => {
      const gone = list.find((a) => a.key === key);
      if (gone) URL.revokeObjectURL(gone.previewUrl);
      return list.filter((a) => a.key !== key);
    });

  return (
    <form className="chat-composer" onSubmit={onSubmit}>
      {attachments.length > 0 ? (
        <ul className="chat-attachments" aria-label="Attached images">
          {attachments.map((a) => (
            <li key={a.key} className="chat-attachment">
              <img src={a.previewUrl} alt={`Attachment ${a.name}`} />
              {a.error ? (
                <span className="field-error" role="alert">
                  {a.error}
                </span>
              ) : a.mediaId === null ? (
                <progress max={1} value={a.progress} aria-label={`Uploading ${a.name}`} />
              ) : null}
              <button type="button" className="chat-chip-remove" onClick={() => remove(a.key)} aria-label={`Remove ${a.name}`}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="chat-composer-row">
        <label className="btn btn-ghost chat-attach" title="Attach images">
          <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <rect x="3" y="3" width="18" height="18" rx="2" />
            <circle cx="8.5" cy="8.5" r="1.5" />
            <path d="M21 15l-5-5L5 21" />
          </svg>
          <span className="visually-hidden">Attach images</span>
          <input
            ref={fileInput}
            type="file"
            accept={ACCEPTED_IMAGE_TYPES}
            multiple
            className="visually-hidden"
            onChange={onFiles}
            disabled={disabled || attachments.length >= MAX_IMAGES}
          />
        </label>
        <label htmlFor={`${ids}-text`} className="visually-hidden">
          Message
        </label>
        <textarea
          ref={textarea}
          id={`${ids}-text`}
          className="chat-input"
          rows={Math.min(6, Math.max(1, text.split('\n').length))}
          placeholder={disabled ? (disabledHint ?? 'You cannot write here') : 'Write a message…'}
          disabled={disabled}
          value={text}
          maxLength={MAX_TEXT}
          onChange={onChange}
          onKeyDown={onKeyDown}
          onBlur={() => notifier.current?.stop()}
        />
        <button type="submit" className="btn btn-primary" disabled={!canSend}>
          Send
        </button>
      </div>
    </form>
  );
}
