// One signed-in session in settings: the device (bold; "This device" on the current one),
// its address, how it signed in, when it signed in and was last active, and on any other
// one "Sign out" behind an inline confirmation (the current one signs out as usual).
import { useState } from 'react';
import type { SignedInSession } from '../../api/types';
import { useEndSession } from '../../sessions/queries';
import { Button } from '../Button';
import { TimeAgo } from '../TimeAgo';
import { InlineConfirm } from '../InlineConfirm';

interface Props {
  session: SignedInSession;
  /** "Password", or the provider's display name. */
  method: string;
}

export function SessionRow({ session, method }: Props) {
  const [confirming, setConfirming] = useState(false);
  const end = useEndSession(session);
  const cancel = () => {
    end.reset();
    setConfirming(false);
  };

  return (
    <li className="session-row stack" aria-label={session.current ? `${session.device}, this device` : session.device}>
      <div className="row-between">
        <span className="row session-who">
          <strong className="session-device">{session.device}</strong>
          {session.current ? <span className="session-badge">This device</span> : null}
        </span>
        {!session.current && !confirming ? (
          <Button className="btn-small" onClick={() => setConfirming(true)} aria-label={`Sign out ${session.device}`}>
            Sign out
          </Button>
        ) : null}
      </div>
      <p className="muted small">
        {session.ip ?? 'Unknown address'} · Signed in with {method}
      </p>
      <p className="muted small">
        Signed in <TimeAgo iso={session.created_at} /> · Last active <TimeAgo iso={session.last_active_at} />
      </p>
      {confirming ? (
        <InlineConfirm
          label="Confirm signing out"
          question={`Sign out ${session.device}? It is signed out at once.`}
          action="Yes, sign out"
          busyAction="Signing out…"
          busy={end.isPending}
          error={end.error}
          onConfirm={() => end.mutate()}
          onCancel={cancel}
        />
      ) : null}
    </li>
  );
}
