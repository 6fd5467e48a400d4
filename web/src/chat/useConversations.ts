// My conversations, ['conversations'] (one Page<Conversation>, most recently active first),
// and one conversation, ['conversation', id], seeded from the list while it loads.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getConversation, listConversations } from '../api/chat';
import type { Conversation, Page } from '../api/types';
import { conversationKey, conversationsKey } from './chatCache';

export function useConversations(enabled = true) {
  return useQuery<Page<Conversation>>({
    queryKey: conversationsKey,
    queryFn: () => listConversations(),
    enabled,
    // Opening the chat screen always shows current counts; live events keep them so.
    refetchOnMount: 'always',
  });
}

export function useConversation(id: string) {
  const qc = useQueryClient();
  return useQuery<Conversation>({
    queryKey: conversationKey(id),
    queryFn: () => getConversation(id),
    placeholderData: () =>
      qc.getQueryData<Page<Conversation>>(conversationsKey)?.items.find((c) => c.id === id),
  });
}
