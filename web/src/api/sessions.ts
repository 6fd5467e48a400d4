// Endpoint functions for my signed-in sessions (docs/api.md "Accounts and sessions"): the
// list (this one marked `current`), signing one out, and signing out all the others.
import { api } from './client';
import type { Page, SessionsEnded, SignedInSession } from './types';

const SESSIONS = '/auth/sessions';

/** My live sessions, most recently active first (one page: `next_cursor` is null). */
export function listSessions(opts?: { signal?: AbortSignal }): Promise<Page<SignedInSession>> {
  return api.get<Page<SignedInSession>>(SESSIONS, undefined, opts);
}

/**
 * 204: signed out at once (ending the current one clears this browser's cookies too);
 * 404 when it is not one of my live sessions (e.g. already ended elsewhere).
 */
export function endSession(id: string): Promise<void> {
  return api.del<void>(`${SESSIONS}/${encodeURIComponent(id)}`);
}

/** Signs out every session but this one; says how many ended. */
export function endOtherSessions(): Promise<SessionsEnded> {
  return api.post<SessionsEnded>(`${SESSIONS}/sign_out_others`);
}
