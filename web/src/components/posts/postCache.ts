// Keeps every cached copy of a post in step: the feeds (['timeline'], ['posts',...], ['tag',tag])
// are infinite queries of Page<Post>, and ['post',id] holds one post. Socket events, likes, edits
// and deletes all go through here so that a change shows everywhere at once.
import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { Page, Post } from '../../api/types';

export type PostPages = InfiniteData<Page<Post>, string | null>;

/** Query keys whose data is an infinite list of posts. */
const FEED_ROOTS = new Set(['timeline', 'posts', 'tag']);

function isFeedKey(key: QueryKey): boolean {
  return typeof key[0] === 'string' && FEED_ROOTS.has(key[0]);
}

function isPostPages(data: unknown): data is PostPages {
  return (
    typeof data === 'object' &&
    data !== null &&
    Array.isArray((data as PostPages).pages) &&
    (data as PostPages).pages.every((p) => p && Array.isArray(p.items))
  );
}

function mapFeeds(qc: QueryClient, fn: (items: Post[]) => Post[]) {
  qc.setQueriesData<PostPages>({ predicate: (q) => isFeedKey(q.queryKey) }, (data) => {
    if (!isPostPages(data)) return data;
    let changed = false;
    const pages = data.pages.map((page) => {
      const items = fn(page.items);
      if (items === page.items) return page;
      changed = true;
      return { ...page, items };
    });
    return changed ? { ...data, pages } : data;
  });
}

/** Every cached copy of a post, for rollback after a failed optimistic change. */
export function findCachedPost(qc: QueryClient, id: string): Post | undefined {
  const single = qc.getQueryData<Post>(['post', id]);
  if (single) return single;
  for (const [key, data] of qc.getQueriesData<PostPages>({ predicate: (q) => isFeedKey(q.queryKey) })) {
    if (!isFeedKey(key) || !isPostPages(data)) continue;
    for (const page of data.pages) {
      const hit = page.items.find((p) => p.id === id);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Replaces a post wherever it is cached. `keepLike` keeps the cached `liked_by_me`: socket events
 * carry the post as the public sees it (always `liked_by_me: false`), not as this viewer does.
 */
export function replacePost(qc: QueryClient, post: Post, opts: { keepLike?: boolean } = {}) {
  const merge = (old: Post | undefined): Post =>
    opts.keepLike && old ? { ...post, liked_by_me: old.liked_by_me } : post;
  mapFeeds(qc, (items) => {
    const i = items.findIndex((p) => p.id === post.id);
    if (i < 0) return items;
    const next = items.slice();
    next[i] = merge(items[i]);
    return next;
  });
  const single = qc.getQueryData<Post>(['post', post.id]);
  if (single) qc.setQueryData<Post>(['post', post.id], merge(single));
}

/** Applies a change to a post wherever it is cached (used for optimistic likes). */
export function patchPost(qc: QueryClient, id: string, fn: (p: Post) => Post) {
  mapFeeds(qc, (items) => {
    const i = items.findIndex((p) => p.id === id);
    if (i < 0) return items;
    const next = items.slice();
    next[i] = fn(items[i]);
    return next;
  });
  const single = qc.getQueryData<Post>(['post', id]);
  if (single) qc.setQueryData<Post>(['post', id], fn(single));
}

/** Removes a deleted post from every list and forgets its single-post entry. */
export function removePost(qc: QueryClient, id: string) {
  mapFeeds(qc, (items) => (items.some((p) => p.id === id) ? items.filter((p) => p.id !== id) : items));
  // An open post page keeps its copy (it shows "deleted" itself); unused copies are dropped.
  qc.removeQueries({ queryKey: ['post', id], exact: true, type: 'inactive' });
  qc.removeQueries({ queryKey: ['comments', id], type: 'inactive' });
}

/**
 * Puts a new post at the top of one list, if that list is loaded and does not have it yet
 * (the socket event and the HTTP answer for my own post may arrive in either order).
 */
export function prependPost(qc: QueryClient, key: QueryKey, post: Post) {
  qc.setQueryData<PostPages>(key, (data) => {
    if (!isPostPages(data) || data.pages.length === 0) return data;
    if (data.pages.some((page) => page.items.some((p) => p.id === post.id))) return data;
    const [first, ...rest] = data.pages;
    return { ...data, pages: [{ ...first, items: [post, ...first.items] }, ...rest] };
  });
}
