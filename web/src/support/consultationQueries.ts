// Applying consultations to the query cache: every cached list (queues, my consultations)
// through consultationCache.ts, and the consultation's own entry ['consultation', id].
import type { QueryClient } from '@tanstack/react-query';
import type { Consultation } from '../api/types';
import { filterOfKey, setUnreadInPages, upsertInPages, type ConsultationPages } from './consultationCache';
import { consultationKey, consultationsKey } from './keys';

/** A fetch started before this change would overwrite it: fetch again instead. */
function refetchIfInFlight(qc: QueryClient, queryKey: readonly unknown[]) {
  if (qc.getQueryState(queryKey)?.fetchStatus === 'fetching') {
    void qc.invalidateQueries({ queryKey, exact: true });
  }
}

/** A consultation as it now is (an event, or the answer to an action) into every list. */
export function cacheConsultation(qc: QueryClient, c: Consultation, myId: string) {
  for (const [key, data] of qc.getQueriesData<ConsultationPages>({ queryKey: consultationsKey })) {
    const filter = filterOfKey(key, myId);
    if (!filter) continue;
    if (data) {
      const next = upsertInPages(data, c, filter);
      if (next !== data) qc.setQueryData(key, next);
    }
    refetchIfInFlight(qc, key);
  }
  qc.setQueryData<Consultation>(consultationKey(c.id), c);
}

/** Nothing is unread in consultation `id` any more (it is open and read here). */
export function cacheConsultationRead(qc: QueryClient, id: string) {
  for (const [key, data] of qc.getQueriesData<ConsultationPages>({ queryKey: consultationsKey })) {
    if (!data) continue;
    const next = setUnreadInPages(data, id, 0);
    if (next !== data) qc.setQueryData(key, next);
  }
  qc.setQueryData<Consultation>(consultationKey(id), (old) =>
    old && old.unread_count !== 0 ? { ...old, unread_count: 0 } : old,
  );
}
