// SessionProvider: restores the session on load from the cookie, falling back to refresh,
// and shows "signed-out" without an expiry message when neither works; the query cache is
// dropped when a session ends, not when a page load finds none.
import { render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { __resetClientForTests, api, getAccessToken, getCsrfToken } from '../api/client';
import { SessionProvider, useSession } from './SessionContext';

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

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function Probe() {
  const { status, me: who, expiredMessage } = useSession();
  return (
    <p>
      {status}:{who?.username ?? 'nobody'}:{expiredMessage ?? 'no-message'}
    </p>
  );
}

function renderProvider(qc = new QueryClient()) {
  return render(
    <MemoryRouter>
      <QueryClientProvider client={qc}>
        <SessionProvider>
          <Probe />
        </SessionProvider>
      </QueryClientProvider>
    </MemoryRouter>,
  );
}

beforeEach(() => __resetClientForTests());
afterEach(() => vi.unstubAllGlobals());

describe('SessionProvider restore', () => {
  const status = (signed_in: boolean, refreshable: boolean) => json(200, { signed_in, refreshable });

  it('uses GET /auth/session when the access cookie is valid', async () => {
    const fetchMock = vi.fn(async (url: string) => {
      if (url === '/api/v1/auth/status') return status(true, true);
      return url === '/api/v1/auth/session' ? json(200, { user: me, csrf_token: 'c1' }) : json(500, {});
    });
    vi.stubGlobal('fetch', fetchMock);
    renderProvider();
    await waitFor(() => expect(screen.getByText('signed-in:alice:no-message')).toBeInTheDocument());
    expect(getCsrfToken()).toBe('c1');
    expect(getAccessToken()).toBeNull();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('refreshes when only the refresh cookie is left', async () => {
    const fetchMock = vi.fn(async (url: string) => {
      if (url === '/api/v1/auth/status') return status(false, true);
      if (url === '/api/v1/auth/refresh') return json(200, { user: me, csrf_token: 'c2', access_token: 'a2', expires_in: 900 });
      return json(500, {});
    });
    vi.stubGlobal('fetch', fetchMock);
    renderProvider();
    await waitFor(() => expect(screen.getByText('signed-in:alice:no-message')).toBeInTheDocument());
    expect(getAccessToken()).toBe('a2');
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual(['/api/v1/auth/status', '/api/v1/auth/refresh']);
  });

  it('falls back to POST /auth/refresh when the session is 401 after all', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/v1/auth/status') return status(true, true);
        return url === '/api/v1/auth/session'
          ? json(401, { error: { code: 'unauthorized', message: 'x' } })
          : json(200, { user: me, csrf_token: 'c2', access_token: 'a2', expires_in: 900 });
      }),
    );
    renderProvider();
    await waitFor(() => expect(screen.getByText('signed-in:alice:no-message')).toBeInTheDocument());
    expect(getAccessToken()).toBe('a2');
  });

  it('is signed out after one request, without a failed one or an expiry message, when there is no session', async () => {
    const fetchMock = vi.fn(async (url: string) =>
      url === '/api/v1/auth/status' ? status(false, false) : json(401, { error: { code: 'unauthorized', message: 'x' } }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const qc = new QueryClient();
    qc.setQueryData(['posts', 'public'], ['public feed']);
    renderProvider(qc);
    await waitFor(() => expect(screen.getByText('signed-out:nobody:no-message')).toBeInTheDocument());
    expect(fetchMock).toHaveBeenCalledTimes(1);
    // Nobody was signed in: public data loaded meanwhile stays.
    expect(qc.getQueryData(['posts', 'public'])).toEqual(['public feed']);
  });

  it('ends the session with a message when a refresh fails later', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/v1/auth/status') return status(true, true);
        if (url === '/api/v1/auth/session') return json(200, { user: me, csrf_token: 'c1' });
        return json(401, { error: { code: 'invalid_refresh_token', message: 'x' } });
      }),
    );
    const qc = new QueryClient();
    renderProvider(qc);
    await waitFor(() => expect(screen.getByText('signed-in:alice:no-message')).toBeInTheDocument());
    qc.setQueryData(['timeline'], ['alice only']);
    await expect(api.get('/timeline')).rejects.toMatchObject({ code: 'session_expired' });
    await waitFor(() =>
      expect(
        screen.getByText('signed-out:nobody:Your session has expired, please sign in again.'),
      ).toBeInTheDocument(),
    );
    expect(getCsrfToken()).toBeNull();
    await waitFor(() => expect(qc.getQueryData(['timeline'])).toBeUndefined());
  });
});
