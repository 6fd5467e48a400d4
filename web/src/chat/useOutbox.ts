// The outbox's pending messages of one conversation, as React state.
import { useEffect, useSyncExternalStore } from 'react';
import type { PendingMessage } from './messages';
import { outbox } from './outbox';

export function useOutbox(myId: string, conversationId: string): readonly PendingMessage[] {
  useEffect(() => {
    if (myId) outbox.claim(myId);
  }, [myId]);
  return useSyncExternalStore(outbox.subscribe, () => outbox.get(conversationId));
}
