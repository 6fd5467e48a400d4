// The developer portal's server state: the query of my registered sites and the cache
// edits after registering, rotating and deleting one (so no list refetch is needed; the
// secret never enters the cache).
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { listDomains } from '../api/developer';
import type { Domain, DomainId, DomainTier, NewSecret } from '../api/types';

export const domainsKey = ['developer', 'domains'] as const;

export function useDomains() {
  return useQuery({
    queryKey: domainsKey,
    queryFn: ({ signal }) => listDomains({ signal }).then((page) => page.items),
  });
}

/** The Domain of a register/rotate answer, without its secret. */
export function withoutSecret(created: NewSecret): Domain {
  const { client_secret: _secret, ...domain } = created;
  return domain;
}

/** Puts a registered or rotated domain in the cached list (replacing the same id). */
export function storeDomain(qc: QueryClient, created: NewSecret): void {
  const domain = withoutSecret(created);
  qc.setQueryData<Domain[]>(domainsKey, (old) => {
    if (!old) return [domain];
    return old.some((d) => d.id === domain.id) ? old.map((d) => (d.id === domain.id ? domain : d)) : [...old, domain];
  });
}

export function forgetDomain(qc: QueryClient, id: DomainId): void {
  qc.setQueryData<Domain[]>(domainsKey, (old) => old?.filter((d) => d.id !== id));
}

export function tierLabel(tier: DomainTier): string {
  return tier === 'premium' ? 'Premium' : 'Free';
}
