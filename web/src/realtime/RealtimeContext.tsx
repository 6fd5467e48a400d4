// The one Socket.IO connection of the app: open while signed in, closed on sign-out.
// Authenticates with `auth: {token}` when the in-memory access token is known, else with
// the HttpOnly cookie (after a reload GET /auth/session returns no access token). Also
// exports hooks to subscribe to events, emit with an acknowledgement, and react to
// re-connects (for catch-up).
import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { io, type Socket } from 'socket.io-client';
import { ApiError, getAccessToken, getCsrfToken, refreshSession } from '../api/client';
import type { Ack, ClientEvents, ErrorDetail, ServerEvents } from '../api/types';

/** The app's socket, typed with the server's event maps (generated from its Rust types). */
export type AppSocket = Socket<ServerEvents, ClientEvents>;

/** What a client event's ack carries when it succeeded. */
export type AckOf<E extends keyof ClientEvents> = Extract<
  Parameters<Parameters<ClientEvents[E]>[1]>[0],
  { ok: true }
>;

/** A client event's payload. */
export type PayloadOf<E extends keyof ClientEvents> = Parameters<ClientEvents[E]>[0];
import { useSession } from '../session/SessionContext';

interface RealtimeValue {
  socket: AppSocket | null;
  connected: boolean;
  addReconnectListener(cb: () => void): () => void;
}

const RealtimeContext = createContext<RealtimeValue>({
  socket: null,
  connected: false,
  addReconnectListener: () => () => undefined,
});

/** Attempts to recover from an auth failure before giving up until the next sign-in. */
const MAX_AUTH_RECOVERIES = 3;

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const { status, me } = useSession();
  const userId = status === 'signed-in' ? (me?.id ?? null) : null;
  const [socket, setSocket] = useState<AppSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const reconnectListeners = useRef(new Set<() => void>());

  useEffect(() => {
    if (!userId) return;
    const s = io({
      path: '/socket.io',
      withCredentials: true,
      // A function, so every (re)connect sends the freshest token; without one the
      // cookie authenticates the handshake.
      auth: (cb) => {
        const token = getAccessToken();
        cb(token ? { token } : {});
      },
    });
    let everConnected = false;
    let authRecoveries = 0;
    let closed = false;

    const recoverAuth = () => {
      // No tokens: we signed out (the server closes the socket then); nothing to recover.
      if (closed || getCsrfToken() === null) return;
      if (authRecoveries >= MAX_AUTH_RECOVERIES) return;
      authRecoveries += 1;
      // The access token (or cookie) expired: refresh once (shared with HTTP), then retry.
      refreshSession()
        .then((session) => {
          if (session && !closed) s.connect();
        })
        .catch(() => {
          // Network trouble: try again in a while.
          if (!closed) setTimeout(() => !closed && s.connect(), 5000);
        });
    };

    s.on('connect', () => {
      setConnected(true);
      authRecoveries = 0;
      if (everConnected) reconnectListeners.current.forEach((cb) => cb());
      everConnected = true;
    });
    s.on('disconnect', (reason) => {
      setConnected(false);
      // The server closed us (e.g. token expiry); the client will not retry by itself.
      if (reason === 'io server disconnect') recoverAuth();
    });
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      setConnected(false);
      // A middleware refusal is not retried automatically; transport errors are.
      if (!s.active) {
        if (err.data?.code === 'unauthorized') recoverAuth();
        else setTimeout(() => !closed && s.connect(), 5000);
      }
    });
    setSocket(s);

    return () => {
      closed = true;
      s.removeAllListeners();
      s.disconnect();
      setSocket(null);
      setConnected(false);
    };
  }, [userId]);

  const value = useMemo<RealtimeValue>(
    () => ({
      socket,
      connected,
      addReconnectListener: (cb) => {
        reconnectListeners.current.add(cb);
        return () => {
          reconnectListeners.current.delete(cb);
        };
      },
    }),
    [socket, connected],
  );

  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useSocket(): AppSocket | null {
  return useContext(RealtimeContext).socket;
}

export function useConnected(): boolean {
  return useContext(RealtimeContext).connected;
}

/** Subscribes `handler` to `event` for the component's life; the handler may change freely. */
export function useSocketEvent<E extends keyof ServerEvents>(event: E, handler: ServerEvents[E]): void {
  const socket = useSocket();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!socket) return;
    // One listener shape for every event: the payload type comes from ServerEvents[E].
    const listener = ((payload: never) => (ref.current as (p: never) => void)(payload)) as ServerEvents[E];
    (socket.on as (e: E, l: ServerEvents[E]) => void)(event, listener);
    return () => {
      (socket.off as (e: E, l: ServerEvents[E]) => void)(event, listener);
    };
  }, [socket, event]);
}

/** Calls `cb` after each RE-connect (not the first connect), e.g. to catch up with `sync`. */
export function useReconnect(cb: () => void): void {
  const { addReconnectListener } = useContext(RealtimeContext);
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => addReconnectListener(() => ref.current()), [addReconnectListener]);
}

const ACK_STATUS: Record<string, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 422,
  rate_limited: 429,
};

/**
 * Emits `event` and resolves with the acknowledgement (`{ok: true, ...}`). Rejects with an
 * ApiError when the ack is `{ok: false, error}` or nothing arrives within `timeoutMs`.
 */
export function emitWithAck<E extends keyof ClientEvents>(
  socket: AppSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 10_000,
): Promise<AckOf<E>> {
  // socket.io's typed emit cannot follow a generic event name; the signature above is
  // the typed one, checked against ClientEvents at every call site.
  const emitter = socket.timeout(timeoutMs) as unknown as {
    emit(event: E, payload: PayloadOf<E>, ack: (err: Error | null, reply: Ack<unknown> | null) => void): void;
  };
  return new Promise<AckOf<E>>((resolve, reject) => {
    emitter.emit(event, payload, (err, ack) => {
      if (err) {
        reject(new ApiError(0, 'timeout', 'The server took too long to answer.'));
        return;
      }
      if (ack && ack.ok === true) {
        resolve(ack as AckOf<E>);
        return;
      }
      const e: Partial<ErrorDetail> = ack && ack.ok === false ? ack.error : {};
      const code = e.code ?? 'internal_error';
      reject(
        new ApiError(ACK_STATUS[code] ?? 400, code, e.message ?? 'The server refused this.', e.fields, e.retry_after),
      );
    });
  });
}
