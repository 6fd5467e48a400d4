// `/verify-email?token=…` (the link in the confirmation mail): proves the address on load,
// then says so, or shows the invalid-link message. Works signed out; signed in, it fetches
// the session again so that `me.email_verified` (the settings badge) is up to date.
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { getSession } from '../../api/auth';
import { FormError } from '../../components/FormBits';
import { Spinner } from '../../components/Spinner';
import { useSession } from '../../session/SessionContext';
import { InvalidLink } from './InvalidLink';
import { verifyOnce } from './verifyOnce';
import './auth.css';

type Outcome = { kind: 'pending' } | { kind: 'verified' } | { kind: 'invalid' } | { kind: 'failed'; error: unknown };

export default function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { status, setMe } = useSession();
  const [outcome, setOutcome] = useState<Outcome>(token ? { kind: 'pending' } : { kind: 'invalid' });
  const refreshed = useRef(false);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    verifyOnce(token).then(
      () => {
        if (!cancelled) setOutcome({ kind: 'verified' });
      },
      (err: unknown) => {
        if (cancelled) return;
        const invalid = err instanceof ApiError && err.code === 'invalid_token';
        setOutcome(invalid ? { kind: 'invalid' } : { kind: 'failed', error: err });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [token]);

  // Signed in (perhaps only once the session is restored): pick up `email_verified`.
  useEffect(() => {
    if (outcome.kind !== 'verified' || status !== 'signed-in' || refreshed.current) return;
    refreshed.current = true;
    getSession().then(
      (session) => setMe(session.user),
      () => {
        // The page still says the truth; the badge catches up on the next page load.
      },
    );
  }, [outcome.kind, status, setMe]);

  const next = status === 'signed-in' ? { to: '/settings', label: 'Go to settings' } : { to: '/signin', label: 'Sign in' };

  return (
    <section className="auth-page card stack" aria-labelledby="verify-title">
      <h1 id="verify-title">Confirm your e-mail</h1>
      {outcome.kind === 'pending' ? <Spinner label="Confirming your e-mail address" /> : null}
      {outcome.kind === 'verified' ? (
        <>
          <p className="notice" role="status">
            Your e-mail address is confirmed.
          </p>
          <p className="auth-switch">
            <Link to={next.to}>{next.label}</Link>
          </p>
        </>
      ) : null}
      {outcome.kind === 'invalid' ? (
        <InvalidLink
          to={status === 'signed-in' ? '/settings' : '/signin'}
          label={status === 'signed-in' ? 'Send a new one from settings' : 'Sign in to send a new one'}
        />
      ) : null}
      {outcome.kind === 'failed' ? <FormError error={outcome.error} /> : null}
    </section>
  );
}
