// Unit tests of the API client: single-flight refresh on 401, session expiry, CSRF header,
// 429 backoff honouring Retry-After, and network errors. `fetch` is mocked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  __resetClientForTests,
  ApiError,
  api,
  backoffDelay,
  getAccessToken,
  getCsrfToken,
  MAX_RATE_LIMIT_RETRIES,
  onSessionExpired,
  parseRetryAfter,
  setTokens,
} from './client';
import type { Session } from './types';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function errorBody(code: string, message = code, fields?: Record<string, string>) {
  return { error: { code, message, ...(fields ? { fields } : {}) } };
}

const session: Session = {
  user: {
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
    email: 'alice@example.com',
    has_password: true,
    email_verified: false,
    role: 'user',
  },
  access_token: 'new-access',
  expires_in: 900,
  csrf_token: 'new-csrf',
};

let fetchMock: ReturnType<typeof vi.fn<Handler>>;

function useFetch(handler: Handler) {
  fetchMock = vi.fn<Handler>(handler);
  vi.stubGlobal('fetch', fetchMock);
}

function calls(path: string): RequestInit[] {
  return fetchMock.mock.calls.filter(([url]) => url.startsWith(`/api/v1${path}`)).map(([, init]) => init);
}

function header(init: RequestInit, name: string): string | undefined {
  return (init.headers as Record<string, string> | undefined)?.[name];
}

beforeEach(() => {
  __resetClientForTests();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('401 → single-flight refresh', () => {
  it('shares one refresh among concurrent 401s and retries each request once', async () => {
    setTokens({ accessToken: 'old-access', csrfToken: 'old-csrf' });
    let refreshed = false;
    useFetch(async (url) => {
      if (url === '/api/v1/auth/refresh') {
        // Slow enough that every request's 401 arrives while it is in flight.
        await new Promise((r) => setTimeout(r, 20));
        refreshed = true;
        return json(200, session);
      }
      if (!refreshed) return json(401, errorBody('token_expired'));
      return json(200, { url });
    });

    const N = 5;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => api.get<{ url: string }>(`/things/${i}`)),
    );

    expect(calls('/auth/refresh')).toHaveLength(1);
    results.forEach((r, i) => expect(r.url).toBe(`/api/v1/things/${i}`));
    for (let i = 0; i < N; i++) expect(calls(`/things/${i}`)).toHaveLength(2); // first try + one retry
    expect(getAccessToken()).toBe('new-access');
    expect(getCsrfToken()).toBe('new-csrf');
  });

  it('does not refresh again for a late 401 of a request sent before the refresh', async () => {
    setTokens({ accessToken: 'old', csrfToken: 'old-csrf' });
    let releaseSlow: () => void = () => undefined;
    const slowGate = new Promise<void>((r) => (releaseSlow = r));
    let slowCalls = 0;
    useFetch(async (url) => {
      if (url === '/api/v1/auth/refresh') return json(200, session);
      if (url === '/api/v1/slow') {
        slowCalls += 1;
        if (slowCalls === 1) {
          await slowGate; // answers 401 only after the other request's refresh finished
          return json(401, errorBody('token_expired'));
        }
        return json(200, { ok: 'slow' });
      }
      return calls('/auth/refresh').length === 0 ? json(401, errorBody('token_expired')) : json(200, { ok: 'fast' });
    });

    const slow = api.get('/slow');
    await expect(api.get('/fast')).resolves.toEqual({ ok: 'fast' });
    releaseSlow();
    await expect(slow).resolves.toEqual({ ok: 'slow' });
    expect(calls('/auth/refresh')).toHaveLength(1);
  });

  it('ends the session when the refresh fails: onSessionExpired fires, tokens cleared', async () => {
    setTokens({ accessToken: 'old', csrfToken: 'old-csrf' });
    const expired = vi.fn();
    onSessionExpired(expired);
    useFetch((url) =>
      url === '/api/v1/auth/refresh'
        ? json(401, errorBody('invalid_refresh_token'))
        : json(401, errorBody('token_expired')),
    );

    const results = await Promise.allSettled([api.get('/a'), api.get('/b'), api.post('/c', { x: 1 })]);

    for (const r of results) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason as ApiError;
      expect(err).toBeInstanceOf(ApiError);
      expect(err.status).toBe(401);
      expect(err.code).toBe('session_expired');
    }
    expect(calls('/auth/refresh')).toHaveLength(1);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(getAccessToken()).toBeNull();
    expect(getCsrfToken()).toBeNull();
  });

  it('retries only once: a second 401 after a successful refresh is surfaced', async () => {
    setTokens({ accessToken: 'old', csrfToken: 'old-csrf' });
    useFetch((url) => (url === '/api/v1/auth/refresh' ? json(200, session) : json(401, errorBody('unauthorized'))));
    await expect(api.get('/x')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(calls('/x')).toHaveLength(2);
    expect(calls('/auth/refresh')).toHaveLength(1);
  });

  it('never refreshes because of the refresh call itself or the sign-in call', async () => {
    setTokens({ accessToken: 'old', csrfToken: 'old-csrf' });
    useFetch(() => json(401, errorBody('invalid_credentials')));
    await expect(api.post('/auth/signin', { login: 'a', password: 'b' })).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credentials',
    });
    await expect(api.post('/auth/refresh')).rejects.toMatchObject({ status: 401 });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('does not try to refresh when there is no session at all', async () => {
    const expired = vi.fn();
    onSessionExpired(expired);
    useFetch(() => json(401, errorBody('unauthorized')));
    await expect(api.get('/timeline')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(calls('/auth/refresh')).toHaveLength(0);
    expect(expired).not.toHaveBeenCalled();
  });
});

describe('CSRF header', () => {
  it('is sent on unsafe methods only', async () => {
    setTokens({ accessToken: 'a', csrfToken: 'csrf-1' });
    useFetch(() => json(200, {}));
    await api.get('/g');
    await api.post('/p', { a: 1 });
    await api.put('/u');
    await api.patch('/pa', { b: 2 });
    await api.del('/d');

    expect(header(calls('/g')[0], 'X-CSRF-Token')).toBeUndefined();
    for (const p of ['/p', '/u', '/pa', '/d']) expect(header(calls(p)[0], 'X-CSRF-Token')).toBe('csrf-1');
  });

  it('uses cookies (same-origin credentials) and never an Authorization header', async () => {
    setTokens({ accessToken: 'secret-access', csrfToken: 'c' });
    useFetch(() => json(200, {}));
    await api.post('/p', { a: 1 });
    const init = calls('/p')[0];
    expect(init.credentials).toBe('same-origin');
    expect(header(init, 'Authorization')).toBeUndefined();
    expect(header(init, 'Content-Type')).toBe('application/json');
    expect(init.body).toBe('{"a":1}');
  });

  it('sends no CSRF header on the refresh call', async () => {
    setTokens({ accessToken: 'a', csrfToken: 'csrf-1' });
    useFetch((url) => (url === '/api/v1/auth/refresh' ? json(200, session) : json(401, errorBody('token_expired'))));
    await api.get('/x').catch(() => undefined);
    expect(header(calls('/auth/refresh')[0], 'X-CSRF-Token')).toBeUndefined();
  });

  it('builds query strings without empty values', async () => {
    useFetch(() => json(200, { items: [], next_cursor: null }));
    await api.get('/posts', { author: 'al ice', cursor: null, limit: 20, q: undefined });
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/posts?author=al+ice&limit=20');
  });
});

describe('429 backoff', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });

  it('waits at least Retry-After before retrying, then succeeds', async () => {
    let n = 0;
    useFetch(() => (++n === 1 ? json(429, errorBody('rate_limited'), { 'Retry-After': '3' }) : json(200, { ok: true })));

    const p = api.get('/limited');
    await vi.advanceTimersByTimeAsync(2999);
    expect(fetchMock).toHaveBeenCalledTimes(1); // still waiting: Retry-After is 3 s
    await vi.advanceTimersByTimeAsync(2000); // 3 s + jitter (< 250 ms) have passed
    await expect(p).resolves.toEqual({ ok: true });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('uses exponential backoff when it exceeds Retry-After', () => {
    expect(backoffDelay(0, 0)).toBeGreaterThanOrEqual(500);
    expect(backoffDelay(2, 1)).toBeGreaterThanOrEqual(2000);
    expect(backoffDelay(0, 3)).toBeGreaterThanOrEqual(3000);
    expect(backoffDelay(0, 3)).toBeLessThan(3250);
  });

  it(`gives up after ${MAX_RATE_LIMIT_RETRIES} retries with rate_limited`, async () => {
    useFetch(() => json(429, errorBody('rate_limited', 'Slow down.'), { 'Retry-After': '1' }));
    const times: number[] = [];
    fetchMock.mockImplementation(() => {
      times.push(Date.now());
      return json(429, errorBody('rate_limited', 'Slow down.'), { 'Retry-After': '1' });
    });

    const p = api.post('/messages', { text: 'hi' });
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    const err = (await settled) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfter).toBe(1);
    expect(fetchMock).toHaveBeenCalledTimes(MAX_RATE_LIMIT_RETRIES + 1);
    // Each wait honours Retry-After (1 s) and grows exponentially (0.5 s, 1 s, 2 s base).
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps[1]).toBeGreaterThanOrEqual(1000);
    expect(gaps[2]).toBeGreaterThanOrEqual(2000);
  });

  it('surfaces a very long Retry-After at once instead of waiting', async () => {
    useFetch(() => json(429, errorBody('rate_limited'), { 'Retry-After': '300' }));
    await expect(api.post('/auth/signin', {})).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 300 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(null)).toBeUndefined();
    const inTen = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(inTen)).toBeGreaterThan(8);
  });
});

describe('errors', () => {
  it('maps the error body to ApiError with code, message and fields', async () => {
    useFetch(() =>
      json(422, errorBody('validation_failed', 'Validation failed.', { username: 'must be 3-30 characters' })),
    );
    const err = (await api.post('/auth/signup', {}).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('Validation failed.');
    expect(err.fields).toEqual({ username: 'must be 3-30 characters' });
  });

  it('falls back to a code by status when the body is not JSON', async () => {
    useFetch(() => new Response('<html>bad gateway</html>', { status: 503 }));
    await expect(api.get('/x')).rejects.toMatchObject({ status: 503, code: 'unavailable' });
  });

  it('turns a network failure into a friendly network_error', async () => {
    useFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const err = (await api.get('/x').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('network_error');
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/could not reach the server/i);
  });

  it('returns undefined for 204', async () => {
    useFetch(() => new Response(null, { status: 204 }));
    await expect(api.del('/posts/1')).resolves.toBeUndefined();
  });
});
