// Endpoint functions for account recovery: asking for and using a password-reset link,
// and asking for and following an e-mail confirmation link.
import { api } from './client';

/** Always 202 (the server never says whether an account matched). */
export function requestPasswordReset(login: string): Promise<void> {
  return api.post<void>('/auth/password_reset', { login });
}

/** 204; 400 `invalid_token` (unknown, used or expired); 422 on `new_password`. Ends every session. */
export function confirmPasswordReset(token: string, new_password: string): Promise<void> {
  return api.post<void>('/auth/password_reset/confirm', { token, new_password });
}

/** Signed in: mail me a link proving my address (422 when the account has none). */
export function requestEmailVerification(): Promise<void> {
  return api.post<void>('/users/me/email_verification');
}

/** 204; 400 `invalid_token`. */
export function verifyEmail(token: string): Promise<void> {
  return api.post<void>('/auth/verify_email', { token });
}
