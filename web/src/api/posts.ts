// Endpoint functions for posts, feeds and likes (docs/api.md "Posts, hashtags, likes, comments").
import { api } from './client';
import type { Page, Post } from './types';

/** The signature every feed fetcher shares, so `PostList` can page any of them. */
export type FetchPostPage = (cursor: string | null) => Promise<Page<Post>>;

function pageQuery(cursor: string | null, extra: Record<string, string> = {}) {
  return cursor ? { ...extra, cursor } : extra;
}

/** Home timeline: my posts and the posts of people I follow, newest first. */
export const fetchTimeline: FetchPostPage = (cursor) =>
  api.get<Page<Post>>('/timeline', pageQuery(cursor));

/** Everyone's posts, newest first (also works signed out). */
export const fetchPublicPosts: FetchPostPage = (cursor) =>
  api.get<Page<Post>>('/posts', pageQuery(cursor));

/** One user's posts, newest first. */
export function fetchAuthorPosts(username: string, cursor: string | null): Promise<Page<Post>> {
  return api.get<Page<Post>>('/posts', pageQuery(cursor, { author: username }));
}

/** Posts carrying a hashtag (the tag without `#`). */
export function fetchTagPosts(tag: string, cursor: string | null): Promise<Page<Post>> {
  return api.get<Page<Post>>(`/tags/${encodeURIComponent(tag)}/posts`, pageQuery(cursor));
}

export function getPost(id: string): Promise<Post> {
  return api.get<Post>(`/posts/${encodeURIComponent(id)}`);
}

export function createPost(text: string, mediaIds: string[] = []): Promise<Post> {
  return api.post<Post>('/posts', mediaIds.length ? { text, media_ids: mediaIds } : { text });
}

export function editPost(id: string, text: string): Promise<Post> {
  return api.patch<Post>(`/posts/${encodeURIComponent(id)}`, { text });
}

export function deletePost(id: string): Promise<void> {
  return api.del<void>(`/posts/${encodeURIComponent(id)}`);
}

/** Like (`true`) or unlike (`false`); both are idempotent and return the updated post. */
export function setLiked(id: string, liked: boolean): Promise<Post> {
  const path = `/posts/${encodeURIComponent(id)}/like`;
  return liked ? api.put<Post>(path) : api.del<Post>(path);
}
