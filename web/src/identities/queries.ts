// Server state for signing in with providers: the configured providers (the same for
// every visitor, so cached long) and my linked identities, with the cache edit after
// unlinking one (no list refetch needed).
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { listIdentities, listProviders } from '../api/identities';
import type { Identity } from '../api/types';

export const providersKey = ['auth', 'providers'] as const;
export const identitiesKey = ['identities'] as const;

export function useAuthProviders() {
  return useQuery({
    queryKey: providersKey,
    queryFn: ({ signal }) => listProviders({ signal }).then((page) => page.items),
    staleTime: 10 * 60_000,
  });
}

export function useIdentities() {
  return useQuery({
    queryKey: identitiesKey,
    queryFn: ({ signal }) => listIdentities({ signal }).then((page) => page.items),
  });
}

export function forgetIdentity(qc: QueryClient, provider: string): void {
  qc.setQueryData<Identity[]>(identitiesKey, (old) => old?.filter((i) => i.provider !== provider));
}
