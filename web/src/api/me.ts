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

export function deleteAccount(password: string): Promise<void> {
  return api.del<void>('/users/me', { password });
}
