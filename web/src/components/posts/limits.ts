// Limits the server enforces on posts (docs/api.md), checked early so the UI can explain them.
export const MAX_POST_CHARS = 500;
export const MAX_POST_IMAGES = 4;

/** Characters as the server counts them: Unicode scalar values after trimming. */
export function charCount(text: string): number {
  return [...text.trim()].length;
}
