// Server state for the people I block and mute: the whole set of blocked ids (['blocks'],
// every page fetched — the list is small — for chat to hide their messages), the paged lists
// for settings (['blocks', 'paged'], ['mutes', 'paged']), and the block / mute mutations,
// whose answer (the user's fresh profile) replaces ['user', username] and which refresh
// what a block or mute changes: feeds, tag pages, search, notifications, comments.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { User, UserSummary } from '../api/types';
import { blockUser, listBlocks, listMutes, muteUser, unblockUser, unmuteUser } from '../api/users';

export const blocksKey = ['blocks'] as const;
export const mutesKey = ['mutes'] as const;

/** Safety cap on the pages fetched for the blocked set. */
const MAX_BLOCK_PAGES = 50;

/** Everyone I block (every page), for hiding their chat messages. */
export async function fetchAllBlocks(): Promise<UserSummary[]> {
  const out: UserSummary[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_BLOCK_PAGES; i++) {
    const page = await listBlocks(cursor);
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

/** The ids of the people I block; empty while loading or when signed out. */
export function useBlockedIds(enabled = true): ReadonlySet<string> {
  const query = useQuery({ queryKey: blocksKey, queryFn: fetchAllBlocks, enabled, staleTime: 60_000 });
  const users = query.data;
  return useMemo(() => new Set((users ?? []).map((u) => u.id)), [users]);
}

/** One of the settings lists, a page at a time. */
export function usePagedList(kind: 'blocks' | 'mutes') {
  return useInfiniteQuery({
    queryKey: [kind, 'paged'],
    queryFn: ({ pageParam }) => (kind === 'blocks' ? listBlocks(pageParam) : listMutes(pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    staleTime: 0,
  });
}

/** Posts, notifications and search results that a block or mute may have changed. */
const CONTENT_KEYS = [['timeline'], ['posts'], ['tag'], ['search'], ['notifications'], ['comments'], ['replies']];

function refreshAfter(qc: QueryClient, fresh: User, listKey: readonly string[]) {
  qc.setQueryData<User>(['user', fresh.username.toLowerCase()], fresh);
  void qc.invalidateQueries({ queryKey: listKey });
  for (const key of CONTENT_KEYS) void qc.invalidateQueries({ queryKey: key });
}

/** Block (true) or unblock (false) a user. */
export function useBlockMutation(username: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (block: boolean) => (block ? blockUser(username) : unblockUser(username)),
    onSuccess: (fresh, block) => {
      refreshAfter(qc, fresh, blocksKey);
      // A block ends the follows both ways: the follower lists and counts changed.
      if (block) {
        void qc.invalidateQueries({ queryKey: ['followers'] });
        void qc.invalidateQueries({ queryKey: ['following'] });
        const name = fresh.username.toLowerCase();
        void qc.invalidateQueries({ queryKey: ['user'], predicate: (q) => q.queryKey[1] !== name });
      }
    },
  });
}

/** Mute (true) or unmute (false) a user. */
export function useMuteMutation(username: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (mute: boolean) => (mute ? muteUser(username) : unmuteUser(username)),
    onSuccess: (fresh) => refreshAfter(qc, fresh, mutesKey),
  });
}
