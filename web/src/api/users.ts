// Endpoint functions for users: profiles, follows, follower lists, user search, blocks and mutes
// (the signed-in user's own account is in me.ts).
import { api } from './client';
import type { Page, User, UserSummary } from './types';

/** Query parameters without the unset ones (the client's query type is string-valued). */
function query(params: Record<string, string | number | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') out[key] = String(value);
  }
  return out;
}

export function getUser(username: string): Promise<User> {
  return api.get<User>(`/users/${encodeURIComponent(username)}`);
}

/** Follow (idempotent); the server answers with the followee's updated profile. */
export function followUser(username: string): Promise<User> {
  return api.put<User>(`/users/${encodeURIComponent(username)}/follow`);
}

/** Unfollow (idempotent); the server answers with the followee's updated profile. */
export function unfollowUser(username: string): Promise<User> {
  return api.del<User>(`/users/${encodeURIComponent(username)}/follow`);
}

export type FollowSide = 'followers' | 'following';

export function listFollows(
  username: string,
  side: FollowSide,
  cursor?: string | null,
): Promise<Page<UserSummary>> {
  return api.get<Page<UserSummary>>(`/users/${encodeURIComponent(username)}/${side}`, query({ cursor }));
}

export function listFollowers(username: string, cursor?: string | null): Promise<Page<UserSummary>> {
  return listFollows(username, 'followers', cursor);
}

export function listFollowing(username: string, cursor?: string | null): Promise<Page<UserSummary>> {
  return listFollows(username, 'following', cursor);
}

/** Users whose username or display name starts with `q` (1–50 characters). */
export function searchUsers(
  q: string,
  cursor?: string | null,
  limit?: number,
): Promise<Page<UserSummary>> {
  return api.get<Page<UserSummary>>('/users', query({ q, cursor, limit }));
}

/** Block (idempotent; ends the follows both ways); answers the blocked user's updated profile. */
export function blockUser(username: string): Promise<User> {
  return api.put<User>(`/users/${encodeURIComponent(username)}/block`);
}

/** Unblock (idempotent); answers the user's updated profile. */
export function unblockUser(username: string): Promise<User> {
  return api.del<User>(`/users/${encodeURIComponent(username)}/block`);
}

/** Mute (idempotent; the muted user is not told); answers the user's updated profile. */
export function muteUser(username: string): Promise<User> {
  return api.put<User>(`/users/${encodeURIComponent(username)}/mute`);
}

/** Unmute (idempotent); answers the user's updated profile. */
export function unmuteUser(username: string): Promise<User> {
  return api.del<User>(`/users/${encodeURIComponent(username)}/mute`);
}

/** The people I block, most recent first. */
export function listBlocks(cursor?: string | null): Promise<Page<UserSummary>> {
  return api.get<Page<UserSummary>>('/users/me/blocks', query({ cursor }));
}

/** The people I mute, most recent first. */
export function listMutes(cursor?: string | null): Promise<Page<UserSummary>> {
  return api.get<Page<UserSummary>>('/users/me/mutes', query({ cursor }));
}
