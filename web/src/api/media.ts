// Endpoint functions for media uploads (images attached to posts).
import { api } from './client';
import type { Media } from './types';

export const ACCEPTED_IMAGE_TYPES = 'image/jpeg,image/png,image/gif,image/webp';

/** Upload one image; the answer comes before the thumbnail exists (`status: "processing"`). */
export function uploadMedia(
  file: File | Blob,
  opts: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<Media> {
  return api.upload<Media>('/media', file, { method: 'POST', ...opts });
}

/** One of my uploads (only the uploader may read it). */
export function getMedia(id: string): Promise<Media> {
  return api.get<Media>(`/media/${encodeURIComponent(id)}`);
}

/** At most this many characters in an image's description (`alt_text`). */
export const MAX_ALT_TEXT_CHARS = 1500;

/** Describe one of my uploads (attached to a post or not); '' removes the description. */
export function describeMedia(id: string, altText: string): Promise<Media> {
  return api.patch<Media>(`/media/${encodeURIComponent(id)}`, { alt_text: altText });
}
