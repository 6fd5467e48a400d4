// One message bubble: sender (in groups), text or "Message deleted", images (MediaImage:
// the description as alt, a BlurHash placeholder while loading), time, "edited",
// the "Seen" receipt when it sits under this message, edit/delete for my own, and the
// reactions of any message not deleted (ReactableBubble). Also the
// bubble of an unconfirmed message: "Sending…", or "Not sent — Retry". In a support
// conversation: the organization's automatic answers (no sender) in their own style, and
// its system notes ("Assigned to …") as a centred line.
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type CSSProperties, type FormEvent } from 'react';
import { deleteMessage, editMessage } from '../../api/chat';
import { errorMessage } from '../../api/errors';
import type { Media, Message } from '../../api/types';
import { cacheDeletion, cacheMessages, listEditedMessage } from '../../chat/chatCache';
import { displayName } from '../../chat/conversations';
import type { PendingMessage } from '../../chat/messages';
import { Avatar } from '../Avatar';
import MediaImage from '../media/MediaImage';
import { ReactableBubble } from './ReactableBubble';

/** "14:05" today, "3 Mar 14:05" before. */
export function messageTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}

/** The largest side of a chat image, in CSS pixels. */
const CHAT_IMAGE_MAX = 200;

/**
 * The width of a chat image's box (its height follows from the aspect ratio): the image's own
 * size, scaled down to fit CHAT_IMAGE_MAX × CHAT_IMAGE_MAX; the full square when unknown.
 */
export function chatImageWidth(media: Pick<Media, 'width' | 'height'>): number {
  if (!(media.width > 0 && media.height > 0)) return CHAT_IMAGE_MAX;
  const scale = Math.min(1, CHAT_IMAGE_MAX / media.width, CHAT_IMAGE_MAX / media.height);
  return Math.max(1, Math.round(media.width * scale));
}

function chatImageBox(media: Media): CSSProperties {
  return { '--chat-image-width': `${chatImageWidth(media)}px` } as CSSProperties;
}

/** Who a message is from: its sender, or (automatic answers) its organization. */
export function senderName(message: Message): string {
  if (message.sender) return displayName(message.sender);
  return message.organization?.name ?? 'Support';
}

function orgAvatar(message: Message) {
  const org = message.organization;
  return {
    username: org?.slug ?? 'support',
    display_name: org?.name ?? 'Support',
    avatar_url: org?.avatar_url ?? null,
  };
}

/** A support conversation's system note ("Assigned to …", "Closed by …"): no sender. */
export function SystemNote({ message }: { message: Message }) {
  return (
    <li className="chat-msg chat-msg-system" data-seq={message.seq}>
      <p className="chat-system-note">
        <span className="visually-hidden">Note: </span>
        {message.text}{' '}
        <time dateTime={message.created_at} title={new Date(message.created_at).toLocaleString()}>
          · {messageTime(message.created_at)}
        </time>
      </p>
    </li>
  );
}

export function MessageItem({
  message,
  myId,
  mine,
  showSender,
  compact = false,
  receipt,
  onMediaLoad,
  blocked = false,
}: {
  message: Message;
  /** Whose reactions are highlighted as mine. */
  myId: string;
  mine: boolean;
  showSender: boolean;
  /** More of the same run follows: the time is left to the run's last message. */
  compact?: boolean;
  receipt: string | null;
  onMediaLoad: () => void;
  /** From someone I block (in a group): hidden behind a "Show" toggle. */
  blocked?: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [revealed, setRevealed] = useState(false);
  const auto = message.kind === 'auto';
  const sender = senderName(message);
  const avatar = message.sender ?? orgAvatar(message);
  const classes = ['chat-msg', mine ? 'chat-msg-mine' : '', auto ? 'chat-msg-auto' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes} data-seq={message.seq}>
      {!mine ? (
        <span className="chat-msg-avatar" aria-hidden={showSender ? undefined : true}>
          {showSender ? <Avatar user={avatar} size={28} /> : null}
        </span>
      ) : null}
      <div className="chat-msg-body">
        {showSender && !mine ? (
          <span className={auto ? 'chat-auto-label' : 'chat-sender'}>{auto ? `Answer from ${sender}` : sender}</span>
        ) : null}
        {/* Who said it, for screen readers (the layout shows it by side and avatar). */}
        <span className="visually-hidden">{mine ? 'You' : sender}: </span>
        {blocked && !message.deleted ? (
          <p className="chat-blocked muted small">
            {revealed ? null : <span>Message from a user you blocked</span>}
            <button
              type="button"
              className="chat-action"
              aria-expanded={revealed}
              onClick={() => setRevealed((r) => !r)}
            >
              {revealed ? 'Hide' : 'Show'}
            </button>
          </p>
        ) : null}
        {blocked && !message.deleted && !revealed ? null : editing ? (
          <EditForm message={message} onDone={() => setEditing(false)} />
        ) : (
          <ReactableBubble message={message} myId={myId} reactable={!message.deleted}>
            <div className={message.deleted ? 'chat-bubble chat-bubble-deleted' : 'chat-bubble'}>
              {message.deleted ? (
                <em>Message deleted</em>
              ) : (
                <>
                  {message.text ? <span className="chat-text">{message.text}</span> : null}
                  {message.media.length > 0 ? (
                    <span className="chat-media">
                      {message.media.map((media) => (
                        <a
                          key={media.id}
                          href={media.url}
                          target="_blank"
                          rel="noreferrer"
                          // Without a description the image is decorative; the link keeps a name.
                          aria-label={media.alt_text ? undefined : `Image from ${sender}`}
                          style={chatImageBox(media)}
                        >
                          <MediaImage
                            media={media}
                            className="chat-media-image"
                            width={media.width || undefined}
                            height={media.height || undefined}
                            loading="lazy"
                            onLoad={onMediaLoad}
                          />
                        </a>
                      ))}
                    </span>
                  ) : null}
                </>
              )}
            </div>
          </ReactableBubble>
        )}
        <div className={compact && !message.edited_at ? 'chat-meta chat-meta-compact' : 'chat-meta'}>
          <time dateTime={message.created_at} title={new Date(message.created_at).toLocaleString()}>
            {messageTime(message.created_at)}
          </time>
          {message.edited_at && !message.deleted ? <span>edited</span> : null}
          {mine && !message.deleted && !editing ? (
            <MessageActions message={message} onEdit={() => setEditing(true)} />
          ) : null}
        </div>
        {receipt ? <p className="chat-seen">{receipt}</p> : null}
      </div>
    </li>
  );
}

function MessageActions({ message, onEdit }: { message: Message; onEdit: () => void }) {
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    try {
      await deleteMessage(message.id);
      cacheDeletion(qc, message.conversation_id, message.id);
    } catch (err) {
      setError(err);
      setConfirming(false);
    }
  };
  return (
    <span className="chat-actions">
      {confirming ? (
        <>
          <button type="button" className="chat-action chat-action-danger" onClick={() => void remove()}>
            Confirm delete
          </button>
          <button type="button" className="chat-action" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <button type="button" className="chat-action" onClick={onEdit} aria-label={`Edit message: ${message.text.slice(0, 40)}`}>
            Edit
          </button>
          <button
            type="button"
            className="chat-action"
            onClick={() => setConfirming(true)}
            aria-label={`Delete message: ${message.text.slice(0, 40)}`}
          >
            Delete
          </button>
        </>
      )}
      {error ? (
        <span className="field-error" role="alert">
          {errorMessage(error)}
        </span>
      ) : null}
    </span>
  );
}

function EditForm({ message, onDone }: { message: Message; onDone: () => void }) {
  const qc = useQueryClient();
  const id = useId();
  const [text, setText] = useState(message.text);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || trimmed === message.text) {
      onDone();
      return;
    }
    setBusy(true);
    try {
      const updated = await editMessage(message.id, trimmed);
      cacheMessages(qc, updated.conversation_id, [updated]);
      listEditedMessage(qc, updated);
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form className="chat-edit" onSubmit={(e) => void save(e)}>
      <label htmlFor={id} className="visually-hidden">
        Edit message
      </label>
      <textarea
        id={id}
        value={text}
        maxLength={4000}
        rows={2}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onDone();
        }}
      />
      <div className="row">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          Save
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
    </form>
  );
}

export function PendingItem({
  pending,
  onRetry,
  onDiscard,
}: {
  pending: PendingMessage;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}) {
  const failed = pending.status === 'failed';
  return (
    <li className={failed ? 'chat-msg chat-msg-mine chat-msg-failed' : 'chat-msg chat-msg-mine chat-msg-pending'}>
      <div className="chat-msg-body">
        <span className="visually-hidden">You: </span>
        <div className="chat-bubble">
          <span className="chat-text">{pending.text}</span>
          {pending.media_ids.length > 0 ? (
            <span className="chat-media-count">
              {pending.media_ids.length} image{pending.media_ids.length === 1 ? '' : 's'}
            </span>
          ) : null}
        </div>
        <div className="chat-meta">
          {failed ? (
            <span className="chat-failed" role="alert">
              Not sent —{' '}
              <button type="button" className="chat-action" onClick={() => onRetry(pending.client_id)}>
                Retry
              </button>{' '}
              <button
                type="button"
                className="chat-action"
                onClick={() => onDiscard(pending.client_id)}
                aria-label="Discard unsent message"
              >
                Discard
              </button>
              {pending.error ? <span className="chat-failed-reason">{pending.error}</span> : null}
            </span>
          ) : (
            <span>Sending…</span>
          )}
        </div>
      </div>
    </li>
  );
}
