// Optimistic sending: a message joins the outbox as "Sending…" with a fresh client_id, goes
// out as `message:send` (acked once stored) or, with the socket down, as a REST POST; the
// stored copy then replaces it. A failure or timeout leaves it "Not sent" and a retry sends
// the SAME client_id, so the server stores it once however many attempts reach it. The
// caller may watch failures (a support conversation reacts to 409 consultation_closed).
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { sendMessage } from '../api/chat';
import { errorMessage } from '../api/errors';
import type { Message } from '../api/types';
import { emitWithAck, useSocket, type PayloadOf } from '../realtime/RealtimeContext';
import { useSession } from '../session/SessionContext';
import { cacheMessages, listNewMessage } from './chatCache';
import type { PendingMessage } from './messages';
import { outbox } from './outbox';

/** How long a `message:send` may wait for its ack before it shows "Not sent". */
export const SEND_TIMEOUT_MS = 10_000;

function newClientId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Non-secure contexts (plain http on a LAN address) have no randomUUID.
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function useSendMessage(conversationId: string, opts: { onError?: (err: unknown) => void } = {}) {
  const qc = useQueryClient();
  const onErrorRef = useRef(opts.onError);
  onErrorRef.current = opts.onError;
  const socket = useSocket();
  const { me } = useSession();
  const myId = me?.id ?? '';

  const deliver = useCallback(
    async (pending: PendingMessage) => {
      const { conversation_id, text, client_id, media_ids } = pending;
      try {
        let message: Message;
        if (socket?.connected) {
          const payload: PayloadOf<'message:send'> = { conversation_id, text, client_id };
          if (media_ids.length > 0) payload.media_ids = media_ids;
          const ack = await emitWithAck(
            socket,
            'message:send',
            payload,
            SEND_TIMEOUT_MS,
          );
          message = ack.message;
        } else {
          message = await sendMessage(conversation_id, { text, client_id, media_ids });
        }
        cacheMessages(qc, conversation_id, [message]);
        listNewMessage(qc, message, myId, conversation_id);
        outbox.remove(conversation_id, client_id);
      } catch (err) {
        outbox.failed(conversation_id, client_id, errorMessage(err));
        onErrorRef.current?.(err);
      }
    },
    [qc, socket, myId],
  );

  const send = useCallback(
    (text: string, mediaIds: string[] = []) => {
      const pending = outbox.add(conversationId, text, newClientId(), mediaIds);
      void deliver(pending);
    },
    [conversationId, deliver],
  );

  const retry = useCallback(
    (clientId: string) => {
      const pending = outbox.retrying(conversationId, clientId);
      if (pending) void deliver(pending);
    },
    [conversationId, deliver],
  );

  /** Gives up on a message that was not sent. */
  const discard = useCallback(
    (clientId: string) => outbox.remove(conversationId, clientId),
    [conversationId],
  );

  return { send, retry, discard };
}
