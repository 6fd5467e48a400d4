// The "How to call the API" examples, built from the Parley server's origin (the page's
// own): trade the client secret for a token, then call the data endpoints with it.

/** The requests, language-neutral. */
export function httpExample(origin: string): string {
  return [
    `POST ${origin}/open/v1/token`,
    'Content-Type: application/json',
    '',
    '{"client_secret": "pcs_…"}',
    '',
    '→ {"token": "…", "token_type": "Bearer", "expires_in": 1800}',
    '',
    `GET ${origin}/open/v1/tags/{tag}/posts`,
    `GET ${origin}/open/v1/posts/mine`,
    `GET ${origin}/open/v1/users/{username}`,
    'Authorization: Bearer <token>',
  ].join('\n');
}

/** The same from JavaScript on the registered site (or its server). */
export function fetchExample(origin: string): string {
  return [
    `const parley = '${origin}';`,
    '',
    'const res = await fetch(`${parley}/open/v1/token`, {',
    "  method: 'POST',",
    "  headers: { 'Content-Type': 'application/json' },",
    "  body: JSON.stringify({ client_secret: 'pcs_…' }),",
    '});',
    'const { token } = await res.json();',
    '',
    'const headers = { Authorization: `Bearer ${token}` };',
    'const tagged = await fetch(`${parley}/open/v1/tags/news/posts`, { headers });',
    'const mine = await fetch(`${parley}/open/v1/posts/mine`, { headers });',
    'const { items, next_cursor } = await tagged.json();',
  ].join('\n');
}
