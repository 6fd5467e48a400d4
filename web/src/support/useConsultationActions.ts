// The actions on a consultation (assign, close, reopen, ask an FAQ entry): each applies
// the answer to the cache at once (the `consultation:updated` and `message:new` events
// that follow change nothing more) and keeps the last error to show.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { assignConsultation, closeConsultation, pickFaq, reopenConsultation } from '../api/support';
import type { Consultation } from '../api/types';
import { cacheMessages } from '../chat/chatCache';
import { cacheConsultation } from './consultationQueries';

export type ConsultationAction = 'assign' | 'close' | 'reopen' | 'faq';

export function useConsultationActions(c: Consultation, myId: string) {
  const qc = useQueryClient();
  const [busy, setBusy] = useState<ConsultationAction | null>(null);
  const [busyFaq, setBusyFaq] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const slug = c.organization.slug;

  const run = useCallback(
    async (action: ConsultationAction, call: () => Promise<Consultation | null>) => {
      setBusy(action);
      setError(null);
      try {
        const updated = await call();
        if (updated) cacheConsultation(qc, updated, myId);
        return true;
      } catch (err) {
        setError(err);
        return false;
      } finally {
        setBusy(null);
      }
    },
    [qc, myId],
  );

  return {
    busy,
    busyFaq,
    error,
    clearError: () => setError(null),
    assign: (username?: string) => run('assign', () => assignConsultation(slug, c.id, username)),
    close: () => run('close', () => closeConsultation(slug, c.id)),
    reopen: () => run('reopen', () => reopenConsultation(slug, c.id)),
    askFaq: async (faqId: string) => {
      setBusyFaq(faqId);
      const ok = await run('faq', async () => {
        const exchange = await pickFaq(slug, c.id, faqId);
        cacheMessages(qc, c.conversation_id, [exchange.question, exchange.answer]);
        return null;
      });
      setBusyFaq(null);
      return ok;
    },
  };
}
