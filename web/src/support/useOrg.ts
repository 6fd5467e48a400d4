// One organization, ['org', slug], its agents (fetched only for its agents: anyone else
// gets 403) and its FAQ list, searched with `q`.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getOrg, listAgents, listFaqs } from '../api/support';
import type { Organization } from '../api/types';
import { agentsKey, faqsKey, orgKey } from './keys';

export function useOrg(slug: string) {
  return useQuery({ queryKey: orgKey(slug), queryFn: () => getOrg(slug) });
}

/** Whether I am one of its agents (owners are agents too). */
export function isAgent(org: Organization | undefined): boolean {
  return org?.my_role === 'owner' || org?.my_role === 'agent';
}

export function useAgents(slug: string, org: Organization | undefined) {
  return useQuery({
    queryKey: agentsKey(slug),
    queryFn: () => listAgents(slug).then((page) => page.items),
    enabled: isAgent(org),
  });
}

export function useFaqs(slug: string, q = '') {
  const term = q.trim();
  return useQuery({
    queryKey: faqsKey(slug, term),
    queryFn: () => listFaqs(slug, term).then((page) => page.items),
    // The last results stay on screen while the next search loads.
    placeholderData: keepPreviousData,
  });
}
