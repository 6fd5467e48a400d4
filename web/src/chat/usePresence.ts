// Who of `userIds` is online: asks the server with `presence:watch` (whose ack is the
// current state) whenever the socket (re)connects or the set changes, then follows the
// live `presence` events.
import { useEffect, useState } from 'react';
import type { Presence } from '../api/types';
import { emitWithAck, useConnected, useSocket, useSocketEvent } from '../realtime/RealtimeContext';

/** The server watches at most this many users per request. */
const MAX_WATCHED = 200;

export type PresenceMap = Readonly<Record<string, Presence>>;

export function usePresence(userIds: readonly string[]): PresenceMap {
  const socket = useSocket();
  const connected = useConnected();
  const [presence, setPresence] = useState<PresenceMap>({});
  // A stable key, so a re-render with the same ids does not ask again.
  const key = [...userIds].sort().join(',');

  useEffect(() => {
    if (!socket || !connected || key === '') return;
    let cancelled = false;
    const ids = key.split(',').slice(0, MAX_WATCHED);
    emitWithAck(socket, 'presence:watch', { user_ids: ids })
      .then((ack) => {
        if (cancelled) return;
        setPresence((old) => {
          const next: Record<string, Presence> = { ...old };
          for (const p of ack.presence ?? []) next[p.user_id] = p;
          return next;
        });
      })
      .catch(() => {
        // Presence is a nicety: without it the dots just stay grey.
      });
    return () => {
      cancelled = true;
    };
  }, [socket, connected, key]);

  useSocketEvent('presence', (p) => {
    if (!p?.user_id) return;
    setPresence((old) => ({ ...old, [p.user_id]: p }));
  });

  return presence;
}
