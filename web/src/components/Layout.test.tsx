// Layout: live unread badges (notifications count + socket increments, chat sum of
// unread_count) for a signed-in user, and Sign in / Sign up links without badges for a
// signed-out visitor. `fetch` is stubbed; the session and realtime modules are mocked.
import { act, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { __resetClientForTests } from '../api/client';
import type { SessionValue } from '../session/SessionContext';
import { Layout } from './Layout';

const mocks = vi.hoisted(() => ({
  session: null as unknown,
  // The latest handler each event name was subscribed with (as useSocketEvent keeps a ref).
  handlers: new Map<string, (payload: unknown) => void>(),
}));

vi.mock('../session/SessionContext', () => ({
  useSession: () => mocks.session,
}));

vi.mock('../realtime/RealtimeContext', () => ({
  useSocketEvent: (event: string, handler: (payload: unknown) => void) => {
    mocks.handlers.set(event, handler);
  },
}));

function fire(event: string, payload: unknown) {
  const handler = mocks.handlers.get(event);
  if (!handler) throw new Error(`nothing subscribed to ${event}`);
  act(() => handler(payload));
}

const me = {
  id: 'u1',
  username: 'alice',
  display_name: 'Alice',
  avatar_url: null,
  bio: '',
  status_message: '',
  created_at: '2024-01-01T00:00:00Z',
  followers_count: 0,
  following_count: 0,
  posts_count: 0,
  online: true,
  last_seen_at: null,
  email: 'a@example.com',
};

function session(status: SessionValue['status'], who: typeof me | null): SessionValue {
  return {
    status,
    me: who,
    signIn: vi.fn(),
    signUp: vi.fn(),
    signOut: vi.fn(async () => undefined),
    setMe: vi.fn(),
    expiredMessage: null,
    clearExpiredMessage: vi.fn(),
    endSessionLocally: vi.fn(),
  } as unknown as SessionValue;
}

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function conversation(id: string, unread: number) {
  return {
    id,
    kind: 'direct',
    title: null,
    members: [],
    last_message: null,
    unread_count: unread,
    created_at: '2024-01-01T00:00:00Z',
  };
}

type FetchHandler = (url: string) => Response | Promise<Response>;

function stubFetch(handler: FetchHandler) {
  const fetchMock = vi.fn(async (url: string) => handler(url));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function renderLayout() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <Layout>
          <p>page content</p>
        </Layout>
      </QueryClientProvider>
    </MemoryRouter>,
  );
  return qc;
}

beforeEach(() => {
  __resetClientForTests();
  mocks.handlers.clear();
});
afterEach(() => vi.unstubAllGlobals());

describe('Layout signed in', () => {
  beforeEach(() => {
    mocks.session = session('signed-in', me);
  });

  it('shows the unread notifications count and adds one per socket notification', async () => {
    let unreadCalls = 0;
    let releaseRefetch: (count: number) => void = () => undefined;
    stubFetch((url) => {
      if (url === '/api/v1/notifications/unread_count') {
        unreadCalls += 1;
        if (unreadCalls === 1) return json(200, { count: 3 });
        // The refetch after the event waits, so the optimistic +1 can be seen first.
        return new Promise<Response>((resolve) => {
          releaseRefetch = (count) => resolve(json(200, { count }));
        });
      }
      if (url.startsWith('/api/v1/conversations')) return json(200, { items: [], next_cursor: null });
      return json(404, { error: { code: 'not_found', message: 'nope' } });
    });
    renderLayout();

    expect(await screen.findByLabelText('3 unread notifications')).toHaveTextContent('3');

    fire('notification', { notification: { id: 'n1' } });
    // react-query notifies observers asynchronously, hence findBy.
    expect(await screen.findByLabelText('4 unread notifications')).toHaveTextContent('4');
    expect(screen.queryByLabelText('3 unread notifications')).not.toBeInTheDocument();

    // The event also invalidates ['notifications'], so the server's count wins afterwards.
    await waitFor(() => expect(unreadCalls).toBe(2));
    act(() => releaseRefetch(7));
    expect(await screen.findByLabelText('7 unread notifications')).toBeInTheDocument();
  });

  it('shows the chat badge as the sum of unread_count over the conversations', async () => {
    const fetchMock = stubFetch((url) => {
      if (url === '/api/v1/notifications/unread_count') return json(200, { count: 0 });
      if (url.startsWith('/api/v1/conversations'))
        return json(200, {
          items: [conversation('c1', 2), conversation('c2', 0), conversation('c3', 5)],
          next_cursor: null,
        });
      return json(404, { error: { code: 'not_found', message: 'nope' } });
    });
    renderLayout();

    expect(await screen.findByLabelText('7 unread chat')).toHaveTextContent('7');
    // A zero count shows no badge.
    expect(screen.queryByLabelText(/unread notifications/)).not.toBeInTheDocument();
    expect(screen.getByText('page content')).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([url]) => url.startsWith('/api/v1/conversations'))).toBe(true);
  });
});

describe('Layout signed out', () => {
  it('shows Sign in / Sign up links, no badges and makes no badge requests', async () => {
    mocks.session = session('signed-out', null);
    const fetchMock = stubFetch(() => json(200, { count: 5 }));
    renderLayout();

    // Rendered in both the top bar and the sidebar (CSS shows one at a time).
    const signIn = screen.getAllByRole('link', { name: 'Sign in' });
    const signUp = screen.getAllByRole('link', { name: 'Sign up' });
    expect(signIn.length).toBeGreaterThan(0);
    expect(signUp.length).toBeGreaterThan(0);
    signIn.forEach((a) => expect(a).toHaveAttribute('href', '/signin'));
    signUp.forEach((a) => expect(a).toHaveAttribute('href', '/signup'));

    expect(screen.queryByRole('link', { name: /Notifications/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Chat/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/unread/)).not.toBeInTheDocument();
    // Give any (wrongly enabled) query a chance to run.
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(fetchMock).not.toHaveBeenCalled();
    expect(screen.queryByLabelText(/unread/)).not.toBeInTheDocument();
  });
});
