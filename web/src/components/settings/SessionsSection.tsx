// Settings: the sessions signed in to my account (this one marked "This device"), each
// other one with "Sign out", and "Sign out all other sessions" (both behind an inline
// confirmation), which then says how many were signed out.
import { useState } from 'react';
import type { AuthProvider } from '../../api/types';
import { useAuthProviders } from '../../identities/queries';
import { useEndOtherSessions, useSignedInSessions } from '../../sessions/queries';
import { Button } from '../Button';
import { ErrorBanner } from '../ErrorBanner';
import { Spinner } from '../Spinner';
import { Status } from '../FormBits';
import { InlineConfirm } from '../InlineConfirm';
import { SessionRow } from './SessionRow';

/** How a session signed in: "Password", the provider's display name, or its raw name. */
export function signInMethod(signedInWith: string, providers: readonly AuthProvider[]): string {
  if (signedInWith === 'password') return 'Password';
  return providers.find((p) => p.name === signedInWith)?.display_name ?? signedInWith;
}

function endedText(n: number): string {
  return `Signed out ${n} other ${n === 1 ? 'session' : 'sessions'}.`;
}

export function SessionsSection() {
  const sessions = useSignedInSessions();
  const providers = useAuthProviders();
  // Here rather than beside its button, which leaves once no other session is left.
  const others = useEndOtherSessions();
  const [confirming, setConfirming] = useState(false);
  const list = sessions.data ?? [];
  const hasOthers = list.some((s) => !s.current);

  const ask = () => {
    others.reset();
    setConfirming(true);
  };
  const cancel = () => {
    others.reset();
    setConfirming(false);
  };
  const confirm = () => others.mutate(undefined, { onSuccess: () => setConfirming(false) });

  return (
    <section className="card stack" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p className="muted">Where your account is signed in. Sign out any session you do not recognise.</p>
      {sessions.isPending ? <Spinner label="Loading sessions" /> : null}
      <ErrorBanner error={sessions.error} onRetry={() => void sessions.refetch()} />
      {sessions.isSuccess ? (
        <ul className="session-list stack" aria-label="Sessions">
          {list.map((s) => (
            <SessionRow key={s.id} session={s} method={signInMethod(s.signed_in_with, providers.data ?? [])} />
          ))}
        </ul>
      ) : null}
      {confirming ? (
        <InlineConfirm
          label="Confirm signing out all other sessions"
          question="Sign out every session except this one? They are signed out at once."
          action="Yes, sign out all others"
          busyAction="Signing out…"
          busy={others.isPending}
          error={others.error}
          onConfirm={confirm}
          onCancel={cancel}
        />
      ) : hasOthers ? (
        <div>
          <Button variant="danger" onClick={ask}>
            Sign out all other sessions
          </Button>
        </div>
      ) : null}
      <Status text={others.isSuccess ? endedText(others.data.ended) : null} />
    </section>
  );
}
