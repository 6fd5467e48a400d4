// Developer portal endpoint functions: paths, methods, bodies and the CSRF header of
// list / register / rotate / delete, and the 409 domain_taken error. `fetch` is mocked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { __resetClientForTests, ApiError, setTokens } from './client';
import { deleteDomain, listDomains, registerDomain, rotateSecret } from './developer';
import type { Domain, NewSecret } from './types';

type Handler = (url: string, init: RequestInit) => Response;

const domain: Domain = {
  id: 'd1',
  host: 'localhost:3000',
  tier: 'free',
  created_at: '2026-12-07T14:00:00Z',
  last_used_at: null,
};
const created: NewSecret = { ...domain, client_secret: 'pcs_first' };

function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

let fetchMock: ReturnType<typeof vi.fn<Handler>>;

function useFetch(handler: Handler) {
  fetchMock = vi.fn<Handler>(handler);
  vi.stubGlobal('fetch', fetchMock);
}

function lastCall(): { url: string; method: string; body: unknown; csrf: string | undefined } {
  const [url, init] = fetchMock.mock.calls[fetchMock.mock.calls.length - 1];
  const headers = init.headers as Record<string, string>;
  return {
    url,
    method: init.method ?? 'GET',
    body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    csrf: headers['X-CSRF-Token'],
  };
}

beforeEach(() => {
  __resetClientForTests();
  setTokens({ accessToken: 'access', csrfToken: 'csrf' });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('developer endpoints', () => {
  it('lists my domains', async () => {
    useFetch(() => json(200, { items: [domain], next_cursor: null }));
    await expect(listDomains()).resolves.toEqual({ items: [domain], next_cursor: null });
    expect(lastCall()).toMatchObject({ url: '/api/v1/developer/domains', method: 'GET' });
  });

  it('registers a host with its tier and returns the secret', async () => {
    useFetch(() => json(201, created));
    await expect(registerDomain('localhost:3000', 'free')).resolves.toEqual(created);
    expect(lastCall()).toEqual({
      url: '/api/v1/developer/domains',
      method: 'POST',
      body: { host: 'localhost:3000', tier: 'free' },
      csrf: 'csrf',
    });
  });

  it('rotates and deletes by id', async () => {
    useFetch(() => json(200, { ...created, client_secret: 'pcs_second' }));
    await expect(rotateSecret('d1')).resolves.toMatchObject({ client_secret: 'pcs_second' });
    expect(lastCall()).toMatchObject({ url: '/api/v1/developer/domains/d1/rotate', method: 'POST', csrf: 'csrf' });

    useFetch(() => new Response(null, { status: 204 }));
    await expect(deleteDomain('d1')).resolves.toBeUndefined();
    expect(lastCall()).toMatchObject({ url: '/api/v1/developer/domains/d1', method: 'DELETE', csrf: 'csrf' });
  });

  it('surfaces domain_taken as an ApiError', async () => {
    useFetch(() => json(409, { error: { code: 'domain_taken', message: 'taken' } }));
    const err = await registerDomain('localhost:3000', 'premium').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'domain_taken' });
  });
});
