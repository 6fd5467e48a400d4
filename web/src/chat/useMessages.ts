// A conversation's history, ['messages', id]: an infinite query whose first page is the
// newest and whose next pages go back in time (`before_seq`). Live events are merged into
// the same cache by useChatEvents, so this only loads; the result is oldest → newest.
import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { useMemo } from 'react';
import { listMessages } from '../api/chat';
import type { Message, Page } from '../api/types';
import { messagesKey } from './chatCache';
import { flattenPages, olderPageParam } from './messageCache';

export function useMessages(conversationId: string) {
  const query = useInfiniteQuery<
    Page<Message>,
    Error,
    InfiniteData<Page<Message>, number | null>,
    readonly ['messages', string],
    number | null
  >({
    queryKey: messagesKey(conversationId),
    queryFn: ({ pageParam }) => listMessages(conversationId, { beforeSeq: pageParam }),
    initialPageParam: null,
    getNextPageParam: (last) => olderPageParam(last),
    // Refetched on every opening (edits and deletions made while away), never on focus:
    // live events and catch-ups keep an open conversation current.
    staleTime: 0,
    refetchOnWindowFocus: false,
  });
  const messages = useMemo(() => flattenPages(query.data), [query.data]);
  return { ...query, messages };
}
