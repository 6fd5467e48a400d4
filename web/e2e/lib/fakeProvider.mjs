// A tiny GitHub-style OAuth provider for the end-to-end run (node:http on 127.0.0.1, a
// random port, no dependencies): /authorize sends the browser straight back with a code
// (no login page: the person is always "octo-e2e"), /token trades a code once for an
// access token after checking the client's id and secret and the PKCE verifier (S256),
// and /user and /user/emails answer as GitHub's API does. `env` points `parley serve`'s
// `github` preset at it. Anything else it is asked is a 4xx, logged for the failure report.

import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export const FAKE_USER = { id: 4242, login: 'octo-e2e', name: 'Octo E2E', email: null };
export const FAKE_EMAIL = 'octo-e2e@example.test';
const CLIENT_ID = 'e2e-client';
const CLIENT_SECRET = 'e2e-secret';

const token = () => randomBytes(18).toString('base64url');

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

async function readBody(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 64 * 1024) throw new Error('body too large');
  }
  return text;
}

export async function startFakeProvider() {
  /** code → {challenge, redirectUri}; deleted when used. */
  const codes = new Map();
  /** Access tokens handed out. */
  const tokens = new Set();
  /** What went wrong (a refused request), for the failure report. */
  const refusals = [];
  const refuse = (res, status, why) => {
    refusals.push(why);
    send(res, status, { error: 'invalid_request', error_description: why });
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/authorize') {
        const q = url.searchParams;
        const redirect = q.get('redirect_uri');
        const state = q.get('state');
        const challenge = q.get('code_challenge');
        if (q.get('client_id') !== CLIENT_ID) return refuse(res, 400, `authorize: unknown client_id ${q.get('client_id')}`);
        if (!redirect || !state || !challenge) return refuse(res, 400, 'authorize: redirect_uri, state and code_challenge are required');
        if (q.get('code_challenge_method') !== 'S256') return refuse(res, 400, 'authorize: code_challenge_method must be S256');
        const code = token();
        codes.set(code, { challenge, redirect });
        const back = new URL(redirect);
        back.searchParams.set('code', code);
        back.searchParams.set('state', state);
        return send(res, 302, '', { Location: back.toString() });
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = new URLSearchParams(await readBody(req));
        if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) {
          return refuse(res, 401, 'token: wrong client_id or client_secret');
        }
        if (form.get('grant_type') !== 'authorization_code') return refuse(res, 400, 'token: grant_type must be authorization_code');
        const code = form.get('code') ?? '';
        const issued = codes.get(code);
        codes.delete(code);
        if (!issued) return refuse(res, 400, 'token: unknown or used code');
        if (form.get('redirect_uri') !== issued.redirect) return refuse(res, 400, 'token: redirect_uri differs from /authorize');
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) {
          return refuse(res, 400, 'token: code_verifier does not match the code_challenge');
        }
        const access = token();
        tokens.add(access);
        return send(res, 200, { access_token: access, token_type: 'bearer', scope: 'read:user,user:email' });
      }
      if (req.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/emails')) {
        const auth = req.headers.authorization ?? '';
        if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice('Bearer '.length))) {
          return refuse(res, 401, `${url.pathname}: no valid bearer token`);
        }
        if (url.pathname === '/user') return send(res, 200, FAKE_USER);
        return send(res, 200, [{ email: FAKE_EMAIL, primary: true, verified: true }]);
      }
      return refuse(res, 404, `no such endpoint: ${req.method} ${url.pathname}`);
    } catch (err) {
      refusals.push(`error: ${err.message}`);
      if (!res.headersSent) send(res, 500, { error: 'server_error' });
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    refusals,
    env: {
      PARLEY_OAUTH_PROVIDERS: 'github',
      PARLEY_OAUTH_GITHUB_CLIENT_ID: CLIENT_ID,
      PARLEY_OAUTH_GITHUB_CLIENT_SECRET: CLIENT_SECRET,
      PARLEY_OAUTH_GITHUB_AUTH_URL: `${base}/authorize`,
      PARLEY_OAUTH_GITHUB_TOKEN_URL: `${base}/token`,
      PARLEY_OAUTH_GITHUB_USERINFO_URL: `${base}/user`,
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
