// Adding and taking back my reactions on one message: one request at a time (a second
// click while one is in flight is ignored), the server's answer merged into the cache at
// once (the `message:updated` that follows changes nothing more), and the last error kept
// for display. A message found deleted (410) is shown deleted.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { addReaction, removeReaction } from '../api/reactions';
import type { Message } from '../api/types';
import { cacheDeletion, cacheMessages, listEditedMessage } from './chatCache';
import { reactedByMe } from './reactions';

export function useReactions(message: Message, myId: string) {
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);

  const run = useCallback(
    async (request: () => Promise<Message>) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setBusy(true);
      try {
        const updated = await request();
        cacheMessages(qc, updated.conversation_id, [updated]);
        listEditedMessage(qc, updated);
        setError(null);
      } catch (err) {
        if (err instanceof ApiError && err.status === 410) cacheDeletion(qc, message.conversation_id, message.id);
        setError(err);
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [qc, message.conversation_id, message.id],
  );

  /** Adds `emoji` (idempotent: picking one I already gave changes nothing). */
  const add = useCallback((emoji: string) => run(() => addReaction(message.id, emoji)), [run, message.id]);

  /** A chip's click: takes my reaction back, or joins the others in it. */
  const toggle = useCallback(
    (emoji: string) => {
      const held = message.reactions.find((r) => r.emoji === emoji);
      const mine = held ? reactedByMe(held, myId) : false;
      return run(() => (mine ? removeReaction(message.id, emoji) : addReaction(message.id, emoji)));
    },
    [run, message.id, message.reactions, myId],
  );

  return { add, toggle, busy, error };
}
