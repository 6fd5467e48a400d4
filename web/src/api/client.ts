// The HTTP client for /api/v1: fetch (and XHR for uploads with progress), tokens kept in
// memory only, CSRF header on unsafe requests, one shared refresh on 401 with one retry,
// and 429 backoff honouring Retry-After. Every failure becomes an ApiError.
import type { ApiErrorBody, Session } from './types';

export const API_BASE = '/api/v1';

/** 429s are retried this many times before the error is surfaced. */
export const MAX_RATE_LIMIT_RETRIES = 3;
/** First exponential backoff step; doubles on each retry. */
export const BACKOFF_BASE_MS = 500;
/** Random extra wait so that clients rate limited together do not retry together. */
export const JITTER_MS = 250;
/** A Retry-After longer than this is surfaced at once (the UI says when to try again)
 * rather than leaving the user in front of a spinner. */
export const MAX_RETRY_WAIT_MS = 30_000;

export class ApiError extends Error {
  status: number;
  code: string;
  fields?: Record<string, string>;
  /** Seconds, from the Retry-After header (429). */
  retryAfter?: number;

  constructor(
    status: number,
    code: string,
    message: string,
    fields?: Record<string, string>,
    retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    if (fields) this.fields = fields;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}

// ---- Token state (memory only: never localStorage / sessionStorage) ----

let accessToken: string | null = null;
let csrfToken: string | null = null;
/** Bumped whenever the credentials change, so a 401 for a request sent with older
 * credentials is simply retried instead of starting another refresh. */
let generation = 0;
let refreshInFlight: Promise<Session | null> | null = null;

const expiredListeners = new Set<() => void>();
const tokenListeners = new Set<() => void>();
const refreshedListeners = new Set<(session: Session) => void>();

export function getAccessToken(): string | null {
  return accessToken;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

export function setTokens(tokens: { accessToken?: string | null; csrfToken: string | null }): void {
  accessToken = tokens.accessToken ?? null;
  csrfToken = tokens.csrfToken;
  generation += 1;
  tokenListeners.forEach((cb) => cb());
}

export function clearTokens(): void {
  if (accessToken === null && csrfToken === null) return;
  accessToken = null;
  csrfToken = null;
  generation += 1;
  tokenListeners.forEach((cb) => cb());
}

/** Called when the session ends because it could not be refreshed. */
export function onSessionExpired(cb: () => void): () => void {
  expiredListeners.add(cb);
  return () => {
    expiredListeners.delete(cb);
  };
}

/** Called whenever the in-memory tokens change (sign-in, refresh, sign-out). */
export function onTokensChanged(cb: () => void): () => void {
  tokenListeners.add(cb);
  return () => {
    tokenListeners.delete(cb);
  };
}

/** Called after each successful refresh, with the new Session (fresh `user` too). */
export function onSessionRefreshed(cb: (session: Session) => void): () => void {
  refreshedListeners.add(cb);
  return () => {
    refreshedListeners.delete(cb);
  };
}

/** Stores the tokens of a Session returned by sign-in / sign-up / refresh / session. */
export function applySession(session: Session): void {
  setTokens({ accessToken: session.access_token ?? null, csrfToken: session.csrf_token });
}

// ---- Helpers ----

type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export function buildUrl(path: string, query?: Query): string {
  let url = API_BASE + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== null && v !== undefined && v !== '') params.append(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Auth endpoints whose 401 is an answer, not an expired access token. */
function isNoRefreshPath(path: string): boolean {
  return (
    path.startsWith('/auth/signin') ||
    path.startsWith('/auth/signup') ||
    path.startsWith('/auth/refresh') ||
    path.startsWith('/auth/session') ||
    path.startsWith('/auth/signout')
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(): Error {
  return new DOMException('The request was aborted.', 'AbortError');
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date). */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs;
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, (date - Date.now()) / 1000);
  return undefined;
}

/** How long to wait before 429 retry number `attempt` (0-based). */
export function backoffDelay(attempt: number, retryAfterSecs: number | undefined): number {
  const exp = BACKOFF_BASE_MS * 2 ** attempt;
  const server = (retryAfterSecs ?? 0) * 1000;
  return Math.max(server, exp) + Math.random() * JITTER_MS;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  500: 'internal_error',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
};

function errorFromBody(status: number, text: string, retryAfter: number | undefined): ApiError {
  let body: Partial<ApiErrorBody> | null = null;
  try {
    body = text ? (JSON.parse(text) as Partial<ApiErrorBody>) : null;
  } catch {
    body = null;
  }
  const e = body?.error;
  const code = typeof e?.code === 'string' ? e.code : (DEFAULT_CODES[status] ?? 'http_error');
  const message = typeof e?.message === 'string' ? e.message : `Request failed (${status}).`;
  const fields = e?.fields && typeof e.fields === 'object' ? e.fields : undefined;
  const ra = retryAfter ?? (typeof e?.retry_after === 'number' ? e.retry_after : undefined);
  return new ApiError(status, code, message, fields, ra);
}

function networkError(): ApiError {
  return new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
}

/** A transport-neutral response, so fetch and XHR share the retry logic. */
interface RawResponse {
  status: number;
  header(name: string): string | null;
  text: string;
}

type Sender = (headers: Record<string, string>) => Promise<RawResponse>;

// ---- Refresh (single flight) ----

async function doRefresh(): Promise<Session | null> {
  let res: Response;
  try {
    // No X-CSRF-Token: the reloaded page has none; the server guards this with the
    // SameSite=Strict, path-scoped refresh cookie and the Origin check.
    res = await fetch(buildUrl('/auth/refresh'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
  } catch {
    throw networkError();
  }
  const text = await res.text();
  if (!res.ok) return null;
  const session = JSON.parse(text) as Session;
  applySession(session);
  refreshedListeners.forEach((cb) => cb(session));
  return session;
}

/**
 * Refreshes the session once for all callers: concurrent callers share one
 * `POST /auth/refresh`. Resolves to the new Session, or null when the refresh token is
 * gone (then the tokens are cleared and, unless `silent`, onSessionExpired fires).
 * A network failure rejects with a network_error ApiError and keeps the session.
 */
export function refreshSession(opts: { silent?: boolean } = {}): Promise<Session | null> {
  if (!refreshInFlight) {
    refreshInFlight = doRefresh()
      .then((session) => {
        if (!session) {
          const hadSession = csrfToken !== null || accessToken !== null;
          clearTokens();
          if (!opts.silent && hadSession) expiredListeners.forEach((cb) => cb());
        }
        return session;
      })
      .finally(() => {
        refreshInFlight = null;
      });
  }
  return refreshInFlight;
}

// ---- The request loop ----

async function run<T>(method: string, path: string, send: Sender, signal?: AbortSignal): Promise<T> {
  let refreshed = false;
  let rateLimitRetries = 0;
  for (;;) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
    const sentWith = generation;

    let res: RawResponse;
    try {
      res = await send(headers);
    } catch (e) {
      if (isAbort(e)) throw e;
      throw e instanceof ApiError ? e : networkError();
    }

    if (res.status === 401 && !refreshed && !isNoRefreshPath(path)) {
      refreshed = true;
      if (sentWith !== generation && csrfToken !== null) continue; // credentials already renewed
      if (csrfToken !== null || accessToken !== null) {
        const session = await refreshSession();
        if (session) continue;
        throw new ApiError(401, 'session_expired', 'Your session has expired, please sign in again.');
      }
    }

    if (res.status === 429 && rateLimitRetries < MAX_RATE_LIMIT_RETRIES) {
      const retryAfter = parseRetryAfter(res.header('Retry-After'));
      if (retryAfter === undefined || retryAfter * 1000 <= MAX_RETRY_WAIT_MS) {
        await sleep(backoffDelay(rateLimitRetries, retryAfter), signal);
        rateLimitRetries += 1;
        continue;
      }
    }

    if (res.status < 200 || res.status >= 300) {
      throw errorFromBody(res.status, res.text, parseRetryAfter(res.header('Retry-After')));
    }
    if (res.status === 204 || res.text === '') return undefined as T;
    try {
      return JSON.parse(res.text) as T;
    } catch {
      throw new ApiError(res.status, 'bad_response', 'The server sent an unreadable response.');
    }
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
}

function request<T>(
  method: string,
  path: string,
  opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const url = buildUrl(path, opts.query);
  const hasBody = opts.body !== undefined;
  const send: Sender = async (headers) => {
    if (hasBody) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: hasBody ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
    const text = await res.text();
    return { status: res.status, header: (n) => res.headers.get(n), text };
  };
  return run<T>(method, path, send, opts.signal);
}

export interface UploadOptions {
  method?: 'POST' | 'PUT';
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

function xhrSend(
  method: string,
  url: string,
  file: File | Blob,
  opts: UploadOptions,
  headers: Record<string, string>,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = false; // same origin: cookies are sent anyway
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && ev.total > 0) opts.onProgress?.(ev.loaded / ev.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) opts.onProgress?.(1);
      resolve({ status: xhr.status, header: (n) => xhr.getResponseHeader(n), text: xhr.responseText });
    };
    xhr.onerror = () => reject(networkError());
    xhr.ontimeout = () => reject(networkError());
    xhr.onabort = () => reject(abortError());
    if (opts.signal) {
      if (opts.signal.aborted) {
        reject(abortError());
        return;
      }
      opts.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    const form = new FormData();
    const name = file instanceof File ? file.name : 'upload';
    form.append('file', file, name);
    xhr.send(form);
  });
}

function upload<T>(path: string, file: File | Blob, opts: UploadOptions = {}): Promise<T> {
  const method = opts.method ?? 'POST';
  const url = buildUrl(path);
  return run<T>(method, path, (headers) => xhrSend(method, url, file, opts, headers), opts.signal);
}

/** Paths are relative to /api/v1, e.g. `api.get<Page<Post>>('/timeline', {cursor})`. */
export const api = {
  get: <T>(path: string, query?: Query, opts?: RequestOptions) =>
    request<T>('GET', path, { query, signal: opts?.signal }),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('POST', path, { body, signal: opts?.signal }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('PUT', path, { body, signal: opts?.signal }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('PATCH', path, { body, signal: opts?.signal }),
  del: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('DELETE', path, { body, signal: opts?.signal }),
  upload,
};

/** For tests: forget all module state. */
export function __resetClientForTests(): void {
  accessToken = null;
  csrfToken = null;
  generation = 0;
  refreshInFlight = null;
  expiredListeners.clear();
  tokenListeners.clear();
  refreshedListeners.clear();
}
