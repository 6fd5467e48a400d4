// Endpoint functions for comments and threaded replies.
import { api } from './client';
import type { Comment, Page } from './types';

function pageQuery(cursor: string | null) {
  return cursor ? { cursor } : {};
}

/** Top-level comments of a post, oldest first. */
export function fetchComments(postId: string, cursor: string | null): Promise<Page<Comment>> {
  return api.get<Page<Comment>>(`/posts/${encodeURIComponent(postId)}/comments`, pageQuery(cursor));
}

/** Direct replies to a comment, oldest first. */
export function fetchReplies(commentId: string, cursor: string | null): Promise<Page<Comment>> {
  return api.get<Page<Comment>>(`/comments/${encodeURIComponent(commentId)}/replies`, pageQuery(cursor));
}

/** A top-level comment, or a reply when `parentId` is given. */
export function createComment(postId: string, text: string, parentId?: string): Promise<Comment> {
  return api.post<Comment>(
    `/posts/${encodeURIComponent(postId)}/comments`,
    parentId ? { text, parent_id: parentId } : { text },
  );
}

export function deleteComment(id: string): Promise<void> {
  return api.del<void>(`/comments/${encodeURIComponent(id)}`);
}
