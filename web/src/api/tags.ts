// Endpoint functions for hashtag search (the tag feed itself is `fetchTagPosts` in posts.ts).
import { api } from './client';
import type { Page, TagCount } from './types';

export type { TagCount };

/** Hashtags starting with `q` (a leading `#` is ignored by the server), with post counts. */
export function searchTags(q: string, limit = 20): Promise<Page<TagCount>> {
  return api.get<Page<TagCount>>('/tags', { q, limit: String(limit) });
}
