// Turns what the user typed in the search box into the two searches to run:
// a leading `#` searches hashtags only, a leading `@` people only, anything else both.
// Terms the server would reject (422) are dropped here so the page never shows an
// error for something the user is still typing.

export interface SearchTerms {
  /** Prefix for `GET /users?q=`, or null to skip the people search. */
  users: string | null;
  /** Prefix for `GET /tags?q=` (no `#`), or null to skip the hashtag search. */
  tags: string | null;
}

/** Same rule as the server's hashtags: letters (any script), digits or `_`. */
const TAG_RE = /^[\p{L}\p{N}_]+$/u;
const MAX_USER_QUERY = 50;
const MAX_TAG = 100;

function userTerm(raw: string): string | null {
  const term = raw.trim();
  if (!term || [...term].length > MAX_USER_QUERY) return null;
  return term;
}

function tagTerm(raw: string): string | null {
  const term = raw.trim();
  if (!term || [...term].length > MAX_TAG || !TAG_RE.test(term)) return null;
  return term.toLowerCase();
}

export function parseSearch(input: string): SearchTerms {
  const q = input.trim();
  if (q.startsWith('#')) return { users: null, tags: tagTerm(q.slice(1)) };
  if (q.startsWith('@')) return { users: userTerm(q.slice(1)), tags: null };
  return { users: userTerm(q), tags: tagTerm(q) };
}

/** Which sections the page shows for this input (a `#…` query has no People section). */
export function searchMode(input: string): 'all' | 'tags' | 'users' {
  const q = input.trim();
  if (q.startsWith('#')) return 'tags';
  if (q.startsWith('@')) return 'users';
  return 'all';
}
