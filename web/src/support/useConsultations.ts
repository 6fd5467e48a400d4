// The consultation lists and one consultation as queries, and the live
// `consultation:updated` events that keep every cached list current without polling.
import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { getConsultation, listMyConsultations, listQueue } from '../api/support';
import type { Consultation, ConsultationStatus, Page } from '../api/types';
import { useReconnect, useSocketEvent } from '../realtime/RealtimeContext';
import type { ConsultationPages } from './consultationCache';
import { cacheConsultation } from './consultationQueries';
import { consultationKey, consultationsKey, myConsultationsKey, queueKey } from './keys';

function pagesOptions() {
  return {
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<Consultation>) => last.next_cursor ?? undefined,
    // Opening a list always shows it current; live events keep it so.
    refetchOnMount: 'always' as const,
  };
}

/** An organization's queue for its agents: by status and/or assignee (a username). */
export function useQueue(slug: string, status: ConsultationStatus | null, assignee: string | null, enabled: boolean) {
  return useInfiniteQuery<Page<Consultation>, Error, InfiniteData<Page<Consultation>, string | null>, readonly unknown[], string | null>({
    queryKey: queueKey(slug, status, assignee),
    queryFn: ({ pageParam }) =>
      listQueue(slug, { status: status ?? undefined, assignee: assignee ?? undefined }, pageParam),
    enabled,
    ...pagesOptions(),
  });
}

/** My consultations as a customer (every status). */
export function useMyConsultations(enabled = true) {
  return useInfiniteQuery<Page<Consultation>, Error, InfiniteData<Page<Consultation>, string | null>, readonly unknown[], string | null>({
    queryKey: myConsultationsKey(null),
    queryFn: ({ pageParam }) => listMyConsultations(null, pageParam),
    enabled,
    ...pagesOptions(),
  });
}

/** One consultation, seeded from any cached list while it loads. */
export function useConsultation(slug: string, id: string, enabled = true) {
  const qc = useQueryClient();
  return useQuery<Consultation>({
    queryKey: consultationKey(id),
    queryFn: () => getConsultation(slug, id),
    enabled: enabled && slug !== '' && id !== '',
    placeholderData: () => {
      for (const [, data] of qc.getQueriesData<ConsultationPages>({ queryKey: consultationsKey })) {
        const found = data?.pages.flatMap((p) => p.items).find((c) => c.id === id);
        if (found) return found;
      }
      return undefined;
    },
  });
}

/** Every consultation in the cached pages, once each, in order. */
export function flattenConsultations(data: ConsultationPages | undefined): Consultation[] {
  if (!data) return [];
  const seen = new Set<string>();
  const out: Consultation[] = [];
  for (const page of data.pages) {
    for (const c of page.items) {
      if (!seen.has(c.id)) {
        seen.add(c.id);
        out.push(c);
      }
    }
  }
  return out;
}

/** Merges `consultation:updated` into the cache while mounted; a re-connect refetches. */
export function useConsultationEvents(myId: string) {
  const qc = useQueryClient();
  useSocketEvent('consultation:updated', (payload) => {
    if (payload?.consultation) cacheConsultation(qc, payload.consultation, myId);
  });
  useReconnect(() => {
    void qc.invalidateQueries({ queryKey: consultationsKey });
    void qc.invalidateQueries({ queryKey: ['consultation'] });
  });
}
