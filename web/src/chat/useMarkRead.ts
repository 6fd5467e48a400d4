// Read receipts from this side: while the conversation is open, the page visible and the
// newest message scrolled into view, tells the server the highest seq read (`read` over the
// socket, or POST /read without one) and clears the unread count locally.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { markRead } from '../api/chat';
import type { Conversation } from '../api/types';
import { emitWithAck, useSocket } from '../realtime/RealtimeContext';
import { cacheRead, listUnread } from './chatCache';

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || document.visibilityState !== 'hidden');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}

export function useMarkRead(opts: {
  conversation: Conversation | undefined;
  myId: string;
  /** The highest stored seq shown. */
  highestSeq: number;
  /** The newest message is scrolled into view. */
  atBottom: boolean;
}) {
  const { conversation, myId, highestSeq, atBottom } = opts;
  const qc = useQueryClient();
  const socket = useSocket();
  const visible = usePageVisible();
  // The highest seq already reported per conversation, so each is reported once.
  const reported = useRef(new Map<string, number>());

  const id = conversation?.id;
  const myMarker = conversation?.members.find((m) => m.id === myId)?.last_read_seq ?? 0;

  useEffect(() => {
    if (!id || !visible || !atBottom || highestSeq <= 0) return;
    listUnread(qc, id, 0);
    const already = Math.max(reported.current.get(id) ?? 0, myMarker);
    if (highestSeq <= already) return;
    reported.current.set(id, highestSeq);
    const done = () => cacheRead(qc, id, myId, highestSeq);
    const fail = () => {
      // Let a later render try again.
      if (reported.current.get(id) === highestSeq) reported.current.delete(id);
    };
    if (socket?.connected) {
      emitWithAck(socket, 'read', { conversation_id: id, seq: highestSeq }).then(done, fail);
    } else {
      markRead(id, highestSeq).then(done, fail);
    }
  }, [id, visible, atBottom, highestSeq, myMarker, myId, qc, socket]);
}
