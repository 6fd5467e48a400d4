// Endpoint functions for the signed-in user's own account (/users/me...).
import { api, type UploadOptions } from './client';
import type { Me } from './types';

export interface ProfilePatch {
  display_name?: string;
  bio?: string;
  status_message?: string;
}

export function updateMe(patch: ProfilePatch): Promise<Me> {
  return api.patch<Me>('/users/me', patch);
}

export function uploadAvatar(file: File | Blob, opts: Omit<UploadOptions, 'method'> = {}): Promise<Me> {
  return api.upload<Me>('/users/me/avatar', file, { ...opts, method: 'PUT' });
}

export function changePassword(current_password: string, new_password: string): Promise<void> {
  return api.put<void>('/users/me/password', { current_password, new_password });
}

/** The first password of an account made through a provider (`Me.has_password` false). */
export function setPassword(new_password: string): Promise<void> {
  return api.put<void>('/users/me/password', { new_password });
}

/**
 * With the password; an account without one sends none, which the server allows only
 * within 10 minutes of a provider sign-in (else 403 `fresh_sign_in_required`).
 */
export function deleteAccount(password?: string): Promise<void> {
  return api.del<void>('/users/me', password === undefined ? {} : { password });
}
