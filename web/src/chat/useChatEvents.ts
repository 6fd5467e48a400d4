// Applies the live chat events to the query cache while the chat screen is mounted:
// message:new / message:updated / message:deleted to the histories and the conversation
// list, `read` receipts to the members, conversation:created / conversation:updated to the
// list and the conversation (a new one shows up before its first message); a skipped seq in the open conversation triggers a
// catch-up, and every RE-connect catches the open conversation up and refetches the list.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { useReconnect, useSocket, useSocketEvent } from '../realtime/RealtimeContext';
import {
  cacheConversation,
  cacheDeletion,
  cacheMessages,
  cacheRead,
  catchUp,
  conversationKey,
  conversationsKey,
  heldMessages,
  listEditedMessage,
  listNewMessage,
  listUnread,
} from './chatCache';
import { leavesGap } from './messages';
import { outbox } from './outbox';


export function useChatEvents(myId: string, openId: string | null) {
  const qc = useQueryClient();
  const socket = useSocket();
  // One catch-up at a time per conversation: a burst of gap-revealing events needs one.
  const syncing = useRef(new Set<string>());

  const runCatchUp = useCallback(
    (conversationId: string) => {
      if (syncing.current.has(conversationId)) return;
      syncing.current.add(conversationId);
      catchUp(qc, socket, conversationId)
        .catch(() => {
          // The next event or reconnect tries again; the history on screen stays usable.
        })
        .finally(() => syncing.current.delete(conversationId));
    },
    [qc, socket],
  );

  useSocketEvent('message:new', (payload) => {
    const message = payload?.message;
    if (!message) return;
    const cid = message.conversation_id;
    const gap = cid === openId && leavesGap(heldMessages(qc, cid), message);
    cacheMessages(qc, cid, [message]);
    if (message.sender?.id === myId && message.client_id) outbox.remove(cid, message.client_id);
    listNewMessage(qc, message, myId, openId);
    if (gap) runCatchUp(cid);
  });

  useSocketEvent('message:updated', (payload) => {
    const message = payload?.message;
    if (!message) return;
    cacheMessages(qc, message.conversation_id, [message]);
    listEditedMessage(qc, message);
  });

  useSocketEvent('message:deleted', (payload) => {
    if (payload?.conversation_id && payload.id) cacheDeletion(qc, payload.conversation_id, payload.id);
  });

  useSocketEvent('conversation:created', (payload) => {
    if (payload?.conversation) cacheConversation(qc, payload.conversation, myId);
  });

  useSocketEvent('conversation:updated', (payload) => {
    if (payload?.conversation) cacheConversation(qc, payload.conversation, myId);
  });

  useSocketEvent('read', (payload) => {
    if (!payload?.conversation_id || !payload.user_id) return;
    cacheRead(qc, payload.conversation_id, payload.user_id, payload.seq);
    // Read on another of my devices: nothing is unread here either.
    if (payload.user_id === myId) listUnread(qc, payload.conversation_id, 0);
  });

  useReconnect(() => {
    if (openId) {
      runCatchUp(openId);
      void qc.invalidateQueries({ queryKey: conversationKey(openId) });
    }
    void qc.invalidateQueries({ queryKey: conversationsKey });
  });

  return runCatchUp;
}
