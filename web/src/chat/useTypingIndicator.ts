// Who is typing in a conversation, from incoming `typing` events: each indicator lasts
// until its stop, a message from that person, or TYPING_TTL_MS after its last start.
import { useEffect, useState } from 'react';
import { useReconnect, useSocketEvent } from '../realtime/RealtimeContext';
import { activeTypists, applyTyping, expireTyping, nextExpiry, stopTyping, type TypingState } from './typing';

/** The user ids typing in `conversationId` now (never me: the server does not echo). */
export function useTypingIndicator(conversationId: string): string[] {
  const [state, setState] = useState<TypingState>({});

  // A new conversation starts with nobody typing.
  useEffect(() => setState({}), [conversationId]);

  useSocketEvent('typing', (e) => {
    if (e?.conversation_id !== conversationId || !e.user_id) return;
    setState((s) => applyTyping(s, e, Date.now()));
  });

  useSocketEvent('message:new', (p) => {
    const m = p?.message;
    const sender = m?.sender?.id;
    if (m?.conversation_id === conversationId && sender) setState((s) => stopTyping(s, sender));
  });

  // Stops may have been missed while disconnected.
  useReconnect(() => setState({}));

  // Re-render when the next indicator lapses.
  useEffect(() => {
    const at = nextExpiry(state);
    if (at === null) return;
    const t = setTimeout(() => setState((s) => expireTyping(s, Date.now())), Math.max(0, at - Date.now()) + 50);
    return () => clearTimeout(t);
  }, [state]);

  return activeTypists(state, Date.now());
}
