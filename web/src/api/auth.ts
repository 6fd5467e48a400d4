// Endpoint functions for /auth: sign up, sign in, refresh, sign out, session restore.
// Browser mode: never sends `client: "native"`, so the server sets HttpOnly cookies.
import { api } from './client';
import type { Session } from './types';

export interface SignUpInput {
  username: string;
  email: string;
  password: string;
  display_name?: string;
}

export function signUp(input: SignUpInput): Promise<Session> {
  const body: SignUpInput = { username: input.username, email: input.email, password: input.password };
  if (input.display_name && input.display_name.trim()) body.display_name = input.display_name.trim();
  return api.post<Session>('/auth/signup', body);
}

export function signIn(login: string, password: string, remember: boolean): Promise<Session> {
  return api.post<Session>('/auth/signin', { login, password, remember });
}

export function signOut(): Promise<void> {
  return api.post<void>('/auth/signout');
}

/** The current session from the cookie (no tokens except csrf_token); 401 if none. */
export function getSession(): Promise<Session> {
  return api.get<Session>('/auth/session');
}

/** What a page load may try: never an error, so a signed-out visit logs no failed request. */
export interface SessionStatus {
  signed_in: boolean;
  refreshable: boolean;
}

export function getStatus(): Promise<SessionStatus> {
  return api.get<SessionStatus>('/auth/status');
}
