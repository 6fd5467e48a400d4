// RealtimeContext: emitWithAck (ack ok / ack error / timeout), useSocketEvent subscription
// lifetime, and useReconnect firing on re-connects only. `socket.io-client`'s `io` is mocked
// with a fake socket; the session is mocked as signed in.
import { act, render } from '@testing-library/react';
import type { ServerEvents } from '../api/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { emitWithAck, RealtimeProvider, useConnected, useReconnect, useSocketEvent, type AppSocket } from './RealtimeContext';

type Listener = (...args: unknown[]) => void;
type AckCallback = (err: Error | null, ack?: unknown) => void;

/** An EventEmitter-like stand-in for a socket.io client Socket. */
class FakeSocket {
  connected = false;
  active = true;
  readonly listeners = new Map<string, Set<Listener>>();
  /** Emits sent with an acknowledgement, for the test to answer. */
  readonly sent: { event: string; payload: unknown; timeoutMs: number; ack: (a: unknown) => void }[] = [];

  on(event: string, fn: Listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(fn);
    return this;
  }

  off(event: string, fn: Listener) {
    this.listeners.get(event)?.delete(fn);
    return this;
  }

  removeAllListeners() {
    this.listeners.clear();
    return this;
  }

  count(event: string) {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Delivers a server event to the client-side listeners. */
  serverEmit(event: string, ...args: unknown[]) {
    [...(this.listeners.get(event) ?? [])].forEach((fn) => fn(...args));
  }

  /** Client emit without an ack (unused by the module, recorded anyway). */
  emit = vi.fn();

  /** Like socket.io's: the ack callback gets an Error when no ack arrives in time. */
  timeout(ms: number) {
    return {
      emit: (event: string, payload: unknown, cb: AckCallback) => {
        let done = false;
        const timer = setTimeout(() => {
          if (done) return;
          done = true;
          cb(new Error('operation has timed out'));
        }, ms);
        this.sent.push({
          event,
          payload,
          timeoutMs: ms,
          ack: (a) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            cb(null, a);
          },
        });
      },
    };
  }

  connect() {
    this.connected = true;
    this.serverEmit('connect');
    return this;
  }

  /** A dropped connection (not asked for by the client). */
  drop(reason = 'transport close') {
    this.connected = false;
    this.serverEmit('disconnect', reason);
  }

  disconnect = vi.fn(() => {
    this.connected = false;
    this.serverEmit('disconnect', 'io client disconnect');
    return this;
  });
}

const mocks = vi.hoisted(() => ({
  sockets: [] as unknown[],
  session: { status: 'signed-in', me: { id: 'u1', username: 'alice' } } as unknown,
}));

vi.mock('socket.io-client', () => ({
  io: vi.fn(() => {
    const s = new FakeSocket();
    mocks.sockets.push(s);
    return s;
  }),
}));

vi.mock('../session/SessionContext', () => ({
  useSession: () => mocks.session,
}));

function lastSocket(): FakeSocket {
  const s = mocks.sockets[mocks.sockets.length - 1];
  if (!s) throw new Error('no socket was opened');
  return s as FakeSocket;
}

beforeEach(() => {
  mocks.sockets.length = 0;
  mocks.session = { status: 'signed-in', me: { id: 'u1', username: 'alice' } };
});
afterEach(() => {
  vi.useRealTimers();
});

describe('emitWithAck', () => {
  it('emits the event with the payload and resolves with an {ok:true} ack', async () => {
    const s = new FakeSocket();
    const p = emitWithAck(s as unknown as AppSocket, 'message:send', { text: 'hi' } as never);
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]).toMatchObject({ event: 'message:send', payload: { text: 'hi' }, timeoutMs: 10_000 });
    s.sent[0].ack({ ok: true, id: 'm1' });
    await expect(p).resolves.toEqual({ ok: true, id: 'm1' });
  });

  it('rejects with an ApiError carrying the code on {ok:false, error}', async () => {
    const s = new FakeSocket();
    const p = emitWithAck(s as unknown as AppSocket, 'message:send', {} as never);
    s.sent[0].ack({ ok: false, error: { code: 'forbidden', message: 'Not a member.' } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'forbidden', status: 403, message: 'Not a member.' });
  });

  it('maps an unknown error code to status 400 and keeps fields and retry_after', async () => {
    const s = new FakeSocket();
    const p = emitWithAck(s as unknown as AppSocket, 'typing', {} as never);
    s.sent[0].ack({ ok: false, error: { code: 'weird', message: 'x', fields: { text: 'bad' }, retry_after: 3 } });
    await expect(p).rejects.toMatchObject({ code: 'weird', status: 400, fields: { text: 'bad' }, retryAfter: 3 });
  });

  it('rejects with a timeout ApiError when no ack arrives in time', async () => {
    vi.useFakeTimers();
    const s = new FakeSocket();
    let settled = false;
    const p = emitWithAck(s as unknown as AppSocket, 'message:send', {} as never, 5_000);
    p.catch(() => undefined).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(p).rejects.toMatchObject({ code: 'timeout', status: 0 });
    expect(await p.catch((e: unknown) => e)).toBeInstanceOf(ApiError);
    // A late ack changes nothing.
    s.sent[0].ack({ ok: true });
    await expect(p).rejects.toMatchObject({ code: 'timeout' });
  });
});

function Listener({ event, onEvent }: { event: string; onEvent: (p: unknown) => void }) {
  useSocketEvent(event as keyof ServerEvents, onEvent as ServerEvents[keyof ServerEvents]);
  return null;
}

function Reconnects({ onReconnect }: { onReconnect: () => void }) {
  useReconnect(onReconnect);
  return null;
}

function ConnectedProbe() {
  return <p>{useConnected() ? 'online' : 'offline'}</p>;
}

describe('RealtimeProvider + useSocketEvent', () => {
  it('delivers socket events to the handler and unsubscribes on unmount', () => {
    const handler = vi.fn();
    const { rerender } = render(
      <RealtimeProvider>
        <Listener event="post:new" onEvent={handler} />
      </RealtimeProvider>,
    );
    const s = lastSocket();
    expect(s.count('post:new')).toBe(1);

    act(() => s.serverEmit('post:new', { post: { id: 'p1' } }));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler).toHaveBeenCalledWith({ post: { id: 'p1' } });
    // Other events do not reach it.
    act(() => s.serverEmit('notification', { notification: { id: 'n1' } }));
    expect(handler).toHaveBeenCalledTimes(1);

    rerender(<RealtimeProvider>{null}</RealtimeProvider>);
    expect(s.count('post:new')).toBe(0);
    act(() => s.serverEmit('post:new', { post: { id: 'p2' } }));
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('calls the latest handler after a re-render without re-subscribing', () => {
    const first = vi.fn();
    const second = vi.fn();
    const { rerender } = render(
      <RealtimeProvider>
        <Listener event="post:new" onEvent={first} />
      </RealtimeProvider>,
    );
    const s = lastSocket();
    rerender(
      <RealtimeProvider>
        <Listener event="post:new" onEvent={second} />
      </RealtimeProvider>,
    );
    expect(s.count('post:new')).toBe(1);
    act(() => s.serverEmit('post:new', 1));
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith(1);
  });

  it('opens no socket while signed out and closes it when the provider unmounts', () => {
    mocks.session = { status: 'signed-out', me: null };
    const { unmount } = render(
      <RealtimeProvider>
        <Listener event="post:new" onEvent={vi.fn()} />
      </RealtimeProvider>,
    );
    expect(mocks.sockets).toHaveLength(0);
    unmount();

    mocks.session = { status: 'signed-in', me: { id: 'u1', username: 'alice' } };
    const second = render(<RealtimeProvider>{null}</RealtimeProvider>);
    const s = lastSocket();
    second.unmount();
    expect(s.disconnect).toHaveBeenCalled();
  });
});

describe('useReconnect', () => {
  it('runs on a re-connect but not on the first connect', () => {
    const onReconnect = vi.fn();
    const view = render(
      <RealtimeProvider>
        <Reconnects onReconnect={onReconnect} />
        <ConnectedProbe />
      </RealtimeProvider>,
    );
    const s = lastSocket();

    act(() => {
      s.connect();
    });
    expect(view.getByText('online')).toBeInTheDocument();
    expect(onReconnect).not.toHaveBeenCalled();

    act(() => s.drop());
    expect(view.getByText('offline')).toBeInTheDocument();
    expect(onReconnect).not.toHaveBeenCalled();

    act(() => {
      s.connect();
    });
    expect(view.getByText('online')).toBeInTheDocument();
    expect(onReconnect).toHaveBeenCalledTimes(1);

    act(() => s.drop());
    act(() => {
      s.connect();
    });
    expect(onReconnect).toHaveBeenCalledTimes(2);

    // Unsubscribed on unmount.
    view.rerender(
      <RealtimeProvider>
        <ConnectedProbe />
      </RealtimeProvider>,
    );
    act(() => s.drop());
    act(() => {
      s.connect();
    });
    expect(onReconnect).toHaveBeenCalledTimes(2);
  });
});
