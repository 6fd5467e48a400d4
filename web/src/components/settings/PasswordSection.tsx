// Settings: change the password (current + new; this session stays signed in, the others
// are signed out and the Sessions list is fetched again), or for an account made through a
// provider that has none yet, "Set a password" with only the new one; after that it is an
// ordinary password change.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrors } from '../../api/errors';
import { changePassword, setPassword } from '../../api/me';
import type { Me } from '../../api/types';
import { useSession } from '../../session/SessionContext';
import { sessionsKey } from '../../sessions/queries';
import { Button } from '../Button';
import { TextField } from '../Field';
import { FormError, Status } from '../FormBits';

export function PasswordSection({ me }: { me: Me }) {
  const { setMe } = useSession();
  const qc = useQueryClient();
  const hasPassword = me.has_password;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localErrors, setLocalErrors] = useState<{ current?: string; next?: string }>({});
  const [saved, setSaved] = useState<string | null>(null);
  const fields = fieldErrors(error);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const local = {
      current: !hasPassword || current ? undefined : 'Enter your current password.',
      next: next.length >= 8 ? undefined : 'At least 8 characters.',
    };
    setLocalErrors(local);
    setSaved(null);
    setError(null);
    if (local.current || local.next) return;
    setBusy(true);
    try {
      if (hasPassword) {
        await changePassword(current, next);
        setSaved('Password changed. Your other sessions were signed out.');
        void qc.invalidateQueries({ queryKey: sessionsKey });
      } else {
        await setPassword(next);
        setMe({ ...me, has_password: true });
        setSaved('Password set. You can now sign in with it too.');
      }
      setCurrent('');
      setNext('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const currentError = localErrors.current ?? fields.current_password;
  const nextError = localErrors.next ?? fields.new_password;

  return (
    <section className="card stack" aria-labelledby="password-title">
      <h2 id="password-title">{hasPassword ? 'Password' : 'Set a password'}</h2>
      {!hasPassword ? (
        <p className="muted">
          You sign in through a linked account. Set a password to sign in with your username or e-mail too.
        </p>
      ) : null}
      <form className="stack" onSubmit={onSubmit} noValidate>
        {hasPassword ? (
          <TextField
            label="Current password"
            name="current_password"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            error={currentError}
            required
          />
        ) : null}
        <TextField
          label="New password"
          name="new_password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={nextError}
          hint="At least 8 characters; avoid common passwords"
          required
        />
        {!currentError && !nextError ? <FormError error={error} /> : null}
        <div className="row">
          <Button type="submit" variant="primary" busy={busy}>
            {hasPassword ? 'Change password' : 'Set password'}
          </Button>
          <Status text={saved} />
        </div>
      </form>
    </section>
  );
}
