// Cache updates for comment threads: ['comments',postId] (top level) and ['replies',commentId]
// are infinite queries of Page<Comment>, oldest first.
import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { Comment, Page } from '../../api/types';

export type CommentPages = InfiniteData<Page<Comment>, string | null>;

function isThreadKey(key: QueryKey) {
  return key[0] === 'comments' || key[0] === 'replies';
}

/** Adds a new comment at the end of a loaded thread (it is the newest, and lists are oldest first). */
export function appendComment(qc: QueryClient, key: QueryKey, comment: Comment) {
  qc.setQueryData<CommentPages>(key, (data) => {
    if (!data || data.pages.length === 0) return data;
    if (data.pages.some((p) => p.items.some((c) => c.id === comment.id))) return data;
    const pages = data.pages.slice();
    const last = pages[pages.length - 1];
    pages[pages.length - 1] = { ...last, items: [...last.items, comment] };
    return { ...data, pages };
  });
}

/** Changes one comment wherever it is cached (e.g. its reply count). */
export function patchComment(qc: QueryClient, id: string, fn: (c: Comment) => Comment) {
  qc.setQueriesData<CommentPages>({ predicate: (q) => isThreadKey(q.queryKey) }, (data) => {
    if (!data?.pages) return data;
    let changed = false;
    const pages = data.pages.map((page) => {
      if (!page.items.some((c) => c.id === id)) return page;
      changed = true;
      return { ...page, items: page.items.map((c) => (c.id === id ? fn(c) : c)) };
    });
    return changed ? { ...data, pages } : data;
  });
}

/** Drops a deleted comment from its thread and forgets its replies. */
export function removeComment(qc: QueryClient, id: string) {
  qc.setQueriesData<CommentPages>({ predicate: (q) => isThreadKey(q.queryKey) }, (data) => {
    if (!data?.pages) return data;
    let changed = false;
    const pages = data.pages.map((page) => {
      if (!page.items.some((c) => c.id === id)) return page;
      changed = true;
      return { ...page, items: page.items.filter((c) => c.id !== id) };
    });
    return changed ? { ...data, pages } : data;
  });
  qc.removeQueries({ queryKey: ['replies', id] });
}
