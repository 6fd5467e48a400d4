// Usernames are case-insensitive and stored lower-case, so the lower-case form (without a
// leading @) is what cache keys such as ['user', username] use.
export function normalizeUsername(raw: string): string {
  return raw.trim().replace(/^@/, '').toLowerCase();
}
