// The scrolling history of a conversation, oldest at the top and newest at the bottom,
// then this tab's unconfirmed messages. Opens at the bottom; follows new messages while
// the reader is at the bottom; loads older pages when the top comes into view (or with the
// "Load older messages" button) while keeping what is on screen in place. In a support
// conversation the organization's notes (`system`) sit centred between the bubbles. In a
// group, messages from people I block are hidden behind "Show".
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { Conversation, Message } from '../../api/types';
import type { PendingMessage } from '../../chat/messages';
import { highestSeq, lowestSeq } from '../../chat/messages';
import type { useMessages } from '../../chat/useMessages';
import { useBlockedIds } from '../../blocks/queries';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Spinner } from '../Spinner';
import { MessageItem, PendingItem, SystemNote } from './MessageItem';

/** Within this many pixels of the bottom counts as "at the bottom". */
const BOTTOM_SLACK_PX = 48;

interface Props {
  conversation: Conversation;
  myId: string;
  history: ReturnType<typeof useMessages>;
  pending: readonly PendingMessage[];
  receipt: { messageId: string; label: string } | null;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  onAtBottomChange: (atBottom: boolean) => void;
}

export function MessageList({ conversation, myId, history, pending, receipt, onRetry, onDiscard, onAtBottomChange }: Props) {
  const { messages, hasNextPage, isFetchingNextPage, fetchNextPage } = history;
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  // What the last commit looked like, to tell "older loaded" from "newer arrived".
  const last = useRef({ lowest: null as number | null, highest: 0, pending: 0, height: 0, atBottom: true, opened: false });

  const measureBottom = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    if (atBottom !== last.current.atBottom) {
      last.current.atBottom = atBottom;
      onAtBottomChange(atBottom);
    }
  }, [onAtBottomChange]);

  // Changes when an unconfirmed message fails or is retried (its bubble grows or shrinks).
  const pendingState = pending.map((p) => p.status).join(',');
  const lowest = lowestSeq(messages);
  const highest = highestSeq(messages);
  const newest = messages[messages.length - 1];

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const prev = last.current;
    if (!prev.opened && messages.length + pending.length > 0) {
      // First render with content: start at the bottom.
      el.scrollTop = el.scrollHeight;
      prev.opened = true;
    } else if (prev.lowest !== null && lowest !== null && lowest < prev.lowest) {
      // Older messages were added above: keep the same messages under the reader's eyes.
      el.scrollTop += el.scrollHeight - prev.height;
    } else if (highest > prev.highest || pending.length > prev.pending) {
      const mine = pending.length > prev.pending || newest?.sender?.id === myId;
      if (prev.atBottom || mine) el.scrollTop = el.scrollHeight;
    } else if (prev.atBottom) {
      // Something at the bottom changed size (a failure notice, an edit): stay there.
      el.scrollTop = el.scrollHeight;
    }
    prev.lowest = lowest;
    prev.highest = highest;
    prev.pending = pending.length;
    prev.height = el.scrollHeight;
    measureBottom();
  }, [lowest, highest, pending.length, pendingState, messages.length, newest, myId, measureBottom]);

  const loadOlder = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  // Load older pages when the top sentinel scrolls into view. Re-created after every
  // page, so a top still visible after a load (short pages) asks for the next one too.
  useEffect(() => {
    const root = scroller.current;
    const target = sentinel.current;
    if (!root || !target || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && last.current.opened) loadOlder();
      },
      { root, rootMargin: '200px 0px 0px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, loadOlder, lowest]);

  // The list itself shrinking or growing (a notice above or below it, a phone keyboard):
  // a reader at the bottom stays there.
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (last.current.atBottom) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // An image finishing loading grows the content: stay at the bottom if we were there.
  const onMediaLoad = useCallback(() => {
    const el = scroller.current;
    if (el && last.current.atBottom) el.scrollTop = el.scrollHeight;
    else measureBottom();
  }, [measureBottom]);

  const group = conversation.kind !== 'direct';
  // In groups, the messages of people I block are hidden behind "Show".
  const blocked = useBlockedIds(group);

  let body;
  if (history.isPending) {
    body = <Spinner label="Loading messages" />;
  } else if (history.isError && messages.length === 0) {
    body = <ErrorBanner error={history.error} onRetry={() => void history.refetch()} />;
  } else if (messages.length === 0 && pending.length === 0) {
    body = (
      <EmptyState title="No messages yet">
        <p>Say hello!</p>
      </EmptyState>
    );
  } else {
    body = (
      <ol className="chat-message-items">
        {messages.map((m, i) =>
          m.kind === 'system' ? (
            <SystemNote key={m.id} message={m} />
          ) : (
            <MessageItem
              key={m.id}
              message={m}
              myId={myId}
              mine={m.sender !== null && m.sender.id === myId}
              showSender={(group || m.kind === 'auto') && !sameRun(messages[i - 1], m)}
              compact={sameRun(m, messages[i + 1])}
              receipt={receipt?.messageId === m.id ? receipt.label : null}
              onMediaLoad={onMediaLoad}
              blocked={group && m.sender !== null && blocked.has(m.sender.id)}
            />
          ),
        )}
        {pending.map((p) => (
          <PendingItem key={p.client_id} pending={p} onRetry={onRetry} onDiscard={onDiscard} />
        ))}
      </ol>
    );
  }

  return (
    <div
      ref={scroller}
      className="chat-messages"
      onScroll={measureBottom}
      role="region"
      aria-label="Messages"
      tabIndex={0}
    >
      {hasNextPage ? (
        <div className="chat-older">
          <div ref={sentinel} className="chat-older-sentinel" aria-hidden="true" />
          <button type="button" className="btn btn-small" onClick={loadOlder} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? 'Loading older messages…' : 'Load older messages'}
          </button>
        </div>
      ) : messages.length > 0 ? (
        <p className="chat-beginning">This is the beginning of the conversation.</p>
      ) : null}
      {history.isFetchNextPageError ? <ErrorBanner error={history.error} onRetry={loadOlder} /> : null}
      {body}
    </div>
  );
}

/** Messages of one sender within this long of each other form a run: one name, one time. */
const RUN_GAP_MS = 5 * 60_000;

function sameRun(a: Message | undefined, b: Message | undefined): boolean {
  if (!a || !b || a.deleted || b.deleted || a.kind !== b.kind || a.kind === 'system') return false;
  // The organization's answers (no sender) run together; people's by sender.
  if ((a.sender?.id ?? null) !== (b.sender?.id ?? null)) return false;
  return Math.abs(Date.parse(b.created_at) - Date.parse(a.created_at)) < RUN_GAP_MS;
}
