// Where to go after signing in: the `?next=` path if it is a local path, else home.
// Only same-app paths are accepted so that a crafted link cannot send users elsewhere.
export function safeNext(raw: string | null): string {
  if (!raw) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw.startsWith('/signin') || raw.startsWith('/signup')) return '/';
  return raw;
}
