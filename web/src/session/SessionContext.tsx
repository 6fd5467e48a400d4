// Who is signed in: restores the session on load (GET /auth/status, then GET /auth/session
// or POST /auth/refresh), signs in/up/out, and ends the session with a message when the
// API client reports that it could not be refreshed. Also exports <RequireAuth/>.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import * as auth from '../api/auth';
import {
  ApiError,
  applySession,
  clearTokens,
  onSessionExpired,
  onSessionRefreshed,
  refreshSession,
} from '../api/client';
import type { Me, Session } from '../api/types';
import { Spinner } from '../components/Spinner';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out';

export const EXPIRED_MESSAGE = 'Your session has expired, please sign in again.';

export interface SessionValue {
  status: SessionStatus;
  me: Me | null;
  signIn(login: string, password: string, remember: boolean): Promise<Me>;
  signUp(input: auth.SignUpInput): Promise<Me>;
  signOut(): Promise<void>;
  setMe(me: Me): void;
  /** Set when the session ended by itself; shown on the sign-in page. */
  expiredMessage: string | null;
  clearExpiredMessage(): void;
  /** Forget the session locally (e.g. after deleting the account). */
  endSessionLocally(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [me, setMeState] = useState<Me | null>(null);
  const [expiredMessage, setExpiredMessage] = useState<string | null>(null);

  const setMe = useCallback(
    (next: Me) => {
      setMeState(next);
      queryClient.setQueryData(['me'], next);
    },
    [queryClient],
  );

  const start = useCallback(
    (session: Session) => {
      applySession(session);
      setMe(session.user);
      setStatus('signed-in');
    },
    [setMe],
  );

  const endSessionLocally = useCallback(() => {
    clearTokens();
    setMeState(null);
    setStatus('signed-out');
  }, []);

  // Another user may sign in next: drop everything cached for this one, but only once the
  // signed-out screens have rendered. Cleared earlier, a last render of the signed-in
  // screens re-creates their queries and fetches them without a session (401s). A page
  // load that finds no session has nobody's data to drop: clearing then would only orphan
  // a public query already in flight (Explore's feed), leaving its screen loading forever.
  const wasSignedIn = useRef(false);
  useEffect(() => {
    if (status === 'signed-in') wasSignedIn.current = true;
    if (status === 'signed-out' && wasSignedIn.current) {
      wasSignedIn.current = false;
      queryClient.clear();
    }
  }, [status, queryClient]);

  // Restore the session on page load. GET /auth/status first says what is worth trying,
  // so a signed-out visitor costs no failed (console-logged) request.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const { signed_in, refreshable } = await auth.getStatus();
        if (signed_in) {
          try {
            const session = await auth.getSession();
            if (!cancelled) start(session);
            return;
          } catch (e) {
            // Signed out between the two calls: a refresh may still work.
            if (!(e instanceof ApiError) || e.status !== 401) throw e;
          }
        } else if (!refreshable) {
          if (!cancelled) setStatus('signed-out');
          return;
        }
        const session = await refreshSession({ silent: true });
        if (cancelled) return;
        if (session) start(session);
        else setStatus('signed-out');
      } catch {
        if (!cancelled) setStatus('signed-out');
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [start]);

  useEffect(() => {
    const offExpired = onSessionExpired(() => {
      setExpiredMessage(EXPIRED_MESSAGE);
      endSessionLocally();
    });
    const offRefreshed = onSessionRefreshed((session) => setMe(session.user));
    return () => {
      offExpired();
      offRefreshed();
    };
  }, [endSessionLocally, setMe]);

  const signIn = useCallback(
    async (login: string, password: string, remember: boolean) => {
      const session = await auth.signIn(login, password, remember);
      queryClient.clear();
      setExpiredMessage(null);
      start(session);
      return session.user;
    },
    [queryClient, start],
  );

  const signUp = useCallback(
    async (input: auth.SignUpInput) => {
      const session = await auth.signUp(input);
      queryClient.clear();
      setExpiredMessage(null);
      start(session);
      return session.user;
    },
    [queryClient, start],
  );

  const signOut = useCallback(async () => {
    // The request takes the CSRF token when it is sent; forgetting the tokens right away
    // tells the socket (which the server closes during sign-out) not to try a refresh.
    const request = auth.signOut();
    clearTokens();
    try {
      await request;
    } catch {
      // Signed out locally regardless: the cookies expire on their own.
    } finally {
      setExpiredMessage(null);
      endSessionLocally();
    }
  }, [endSessionLocally]);

  const clearExpiredMessage = useCallback(() => setExpiredMessage(null), []);

  const value = useMemo<SessionValue>(
    () => ({
      status,
      me,
      signIn,
      signUp,
      signOut,
      setMe,
      expiredMessage,
      clearExpiredMessage,
      endSessionLocally,
    }),
    [status, me, signIn, signUp, signOut, setMe, expiredMessage, clearExpiredMessage, endSessionLocally],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}

/** Guards signed-in routes: wraps `children`, or renders the nested route's <Outlet/>. */
export function RequireAuth({ children }: { children?: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <Spinner label="Loading your session" />;
  if (status === 'signed-out') {
    const next = location.pathname + location.search + location.hash;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children ?? <Outlet />}</>;
}
