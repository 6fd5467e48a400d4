// Keeps every cached copy of a post in step: feeds, the single post, socket merges.
import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { Post } from '../../api/types';
import { findCachedPost, patchPost, prependPost, removePost, replacePost, type PostPages } from './postCache';

function post(id: string, extra: Partial<Post> = {}): Post {
  return {
    id,
    author: { id: 'u1', username: 'alice', display_name: 'Alice', avatar_url: null },
    text: `post ${id}`,
    hashtags: [],
    media: [],
    like_count: 0,
    comment_count: 0,
    liked_by_me: false,
    created_at: '2026-01-01T00:00:00Z',
    edited_at: null,
    ...extra,
  };
}

function pages(...lists: Post[][]): PostPages {
  return {
    pages: lists.map((items, i) => ({ items, next_cursor: i < lists.length - 1 ? `c${i}` : null })),
    pageParams: lists.map((_, i) => (i === 0 ? null : `c${i - 1}`)),
  };
}

function ids(qc: QueryClient, key: unknown[]) {
  return qc.getQueryData<PostPages>(key)?.pages.map((p) => p.items.map((x) => x.id));
}

describe('postCache', () => {
  it('prepends a new post once, and only to a loaded list', () => {
    const qc = new QueryClient();
    qc.setQueryData(['timeline'], pages([post('b')], [post('a')]));
    prependPost(qc, ['timeline'], post('c'));
    prependPost(qc, ['timeline'], post('c'));
    prependPost(qc, ['posts', 'public'], post('c'));
    expect(ids(qc, ['timeline'])).toEqual([['c', 'b'], ['a']]);
    expect(qc.getQueryData(['posts', 'public'])).toBeUndefined();
  });

  it('replaces a post in every feed and the single-post entry', () => {
    const qc = new QueryClient();
    qc.setQueryData(['timeline'], pages([post('a')]));
    qc.setQueryData(['tag', 'x'], pages([post('z')], [post('a')]));
    qc.setQueryData(['post', 'a'], post('a'));
    replacePost(qc, post('a', { text: 'edited' }));
    expect(qc.getQueryData<PostPages>(['timeline'])?.pages[0].items[0].text).toBe('edited');
    expect(qc.getQueryData<PostPages>(['tag', 'x'])?.pages[1].items[0].text).toBe('edited');
    expect(qc.getQueryData<Post>(['post', 'a'])?.text).toBe('edited');
  });

  it('keeps my like state when merging a socket update (which is always liked_by_me: false)', () => {
    const qc = new QueryClient();
    qc.setQueryData(['timeline'], pages([post('a', { liked_by_me: true, like_count: 1 })]));
    replacePost(qc, post('a', { text: 'edited', like_count: 1 }), { keepLike: true });
    const a = findCachedPost(qc, 'a');
    expect(a?.liked_by_me).toBe(true);
    expect(a?.text).toBe('edited');
  });

  it('patches and removes everywhere, leaving other queries alone', () => {
    const qc = new QueryClient();
    qc.setQueryData(['timeline'], pages([post('a'), post('b')]));
    qc.setQueryData(['posts', 'author', 'alice'], pages([post('a')]));
    qc.setQueryData(['me'], { id: 'u1' });
    patchPost(qc, 'a', (p) => ({ ...p, like_count: 5 }));
    expect(findCachedPost(qc, 'a')?.like_count).toBe(5);
    removePost(qc, 'a');
    expect(ids(qc, ['timeline'])).toEqual([['b']]);
    expect(ids(qc, ['posts', 'author', 'alice'])).toEqual([[]]);
    expect(qc.getQueryData(['me'])).toEqual({ id: 'u1' });
  });
});
