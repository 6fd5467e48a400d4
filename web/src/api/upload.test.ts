// api.upload: multipart `file` over XHR with progress, CSRF header, and the shared
// 401 refresh + retry. XMLHttpRequest and fetch (for the refresh) are faked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { __resetClientForTests, api, setTokens } from './client';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: FormData;
}

const sent: Sent[] = [];
let responder: (n: number) => { status: number; body: unknown } = () => ({ status: 200, body: {} });

class FakeXHR {
  status = 0;
  responseText = '';
  withCredentials = false;
  upload: { onprogress: ((ev: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  private method = '';
  private url = '';
  private headers: Record<string, string> = {};
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  getResponseHeader() {
    return null;
  }
  abort() {
    this.onabort?.();
  }
  send(body: FormData) {
    sent.push({ method: this.method, url: this.url, headers: this.headers, body });
    const r = responder(sent.length);
    setTimeout(() => {
      this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
      this.status = r.status;
      this.responseText = JSON.stringify(r.body);
      this.onload?.();
    }, 0);
  }
}

beforeEach(() => {
  __resetClientForTests();
  sent.length = 0;
  vi.stubGlobal('XMLHttpRequest', FakeXHR);
});
afterEach(() => vi.unstubAllGlobals());

describe('api.upload', () => {
  it('sends the file as multipart `file` with the CSRF header and reports progress', async () => {
    setTokens({ accessToken: 'a', csrfToken: 'csrf-u' });
    responder = () => ({ status: 201, body: { id: 'm1', status: 'processing' } });
    const progress: number[] = [];
    const file = new File(['abc'], 'cat.png', { type: 'image/png' });
    const media = await api.upload<{ id: string }>('/media', file, { onProgress: (f) => progress.push(f) });

    expect(media.id).toBe('m1');
    expect(sent[0].method).toBe('POST');
    expect(sent[0].url).toBe('/api/v1/media');
    expect(sent[0].headers['X-CSRF-Token']).toBe('csrf-u');
    expect((sent[0].body.get('file') as File).name).toBe('cat.png');
    expect(progress).toEqual([0.5, 1]);
  });

  it('refreshes once on 401 and re-sends the upload', async () => {
    setTokens({ accessToken: 'old', csrfToken: 'old-csrf' });
    responder = (n) => (n === 1 ? { status: 401, body: { error: { code: 'token_expired', message: 'x' } } } : { status: 200, body: { ok: 1 } });
    const fetchMock = vi.fn(async () =>
      new Response(JSON.stringify({ user: { id: 'u' }, csrf_token: 'new-csrf', access_token: 'new' }), { status: 200 }),
    );
    vi.stubGlobal('fetch', fetchMock);

    await expect(api.upload('/users/me/avatar', new Blob(['x']), { method: 'PUT' })).resolves.toEqual({ ok: 1 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(sent).toHaveLength(2);
    expect(sent[1].method).toBe('PUT');
    expect(sent[1].headers['X-CSRF-Token']).toBe('new-csrf');
  });
});
