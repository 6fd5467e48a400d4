// Server state for my signed-in sessions (not the SessionContext of this browser's own
// sign-in): the list (fetched afresh whenever settings opens: sessions come and go on
// other devices), signing one out (ending this one is a sign-out; one already ended
// elsewhere only refreshes the list) and signing out all the others.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client';
import { endOtherSessions, endSession, listSessions } from '../api/sessions';
import type { SignedInSession } from '../api/types';
import { useSession } from '../session/SessionContext';

export const sessionsKey = ['auth', 'sessions'] as const;

export function useSignedInSessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: ({ signal }) => listSessions({ signal }).then((page) => page.items),
    staleTime: 0,
  });
}

export function useEndSession(session: SignedInSession) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { endSessionLocally } = useSession();
  return useMutation({
    mutationFn: async () => {
      try {
        await endSession(session.id);
      } catch (err) {
        // Already ended (elsewhere, or it expired): the refreshed list shows it gone.
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
    },
    onSuccess: () => {
      if (session.current) {
        endSessionLocally();
        navigate('/signin', { replace: true });
        return;
      }
      return qc.invalidateQueries({ queryKey: sessionsKey });
    },
  });
}

export function useEndOtherSessions() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: endOtherSessions,
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionsKey }),
  });
}
