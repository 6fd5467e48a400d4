// Settings: delete the account. With a password, it confirms with the password. An account
// without one (made through a provider) confirms by signing in with a linked provider
// again: that sign-in comes back to `/settings?confirm_delete=1`, where the final
// confirmation sends no password (the server allows it for 10 minutes after such a
// sign-in, else 403 `fresh_sign_in_required`, which offers the sign-in again).
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { providerSignInUrl } from '../../api/identities';
import { deleteAccount } from '../../api/me';
import type { Me } from '../../api/types';
import { useAuthProviders, useIdentities } from '../../identities/queries';
import { useSession } from '../../session/SessionContext';
import { Button } from '../Button';
import { TextField } from '../Field';
import { FormError } from '../FormBits';

/** Where a confirming provider sign-in comes back to. */
export const CONFIRM_DELETE_PATH = '/settings?confirm_delete=1';

function ReSignInLinks() {
  const providers = useAuthProviders();
  const identities = useIdentities();
  const configured = new Set((providers.data ?? []).map((p) => p.name));
  const usable = (identities.data ?? []).filter((i) => configured.has(i.provider));
  if (providers.isPending || identities.isPending) return null;
  if (usable.length === 0) {
    return <p className="muted">Set a password above first; then confirm the deletion with it.</p>;
  }
  return (
    <ul className="stack" aria-label="Confirm by signing in again">
      {usable.map((i) => (
        <li key={i.provider}>
          <a className="btn btn-wrap" href={providerSignInUrl(i.provider, CONFIRM_DELETE_PATH)}>
            Confirm by signing in with {i.display_name} again
          </a>
        </li>
      ))}
    </ul>
  );
}

export function DeleteAccountSection({ me }: { me: Me }) {
  const { endSessionLocally } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [password, setPassword] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fields = fieldErrors(error);
  const hasPassword = me.has_password;
  const stale = error instanceof ApiError && error.code === 'fresh_sign_in_required';
  // Without a password: the final step only right after a confirming sign-in.
  const final = !hasPassword && params.get('confirm_delete') === '1' && !stale;
  const ready = confirmed && (hasPassword ? Boolean(password) : final);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      await deleteAccount(hasPassword ? password : undefined);
      endSessionLocally();
      navigate('/explore', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section className="card stack danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete account</h2>
      <p className="muted">
        This permanently deletes your account, your posts, comments and messages. It cannot be undone.
      </p>
      {!hasPassword && !final ? (
        <>
          {stale ? <FormError error={error} /> : null}
          <p className="muted">Your account has no password. To confirm that it is you, sign in again first.</p>
          <ReSignInLinks />
        </>
      ) : (
        <form className="stack" onSubmit={onSubmit} noValidate>
          {hasPassword ? (
            <TextField
              label="Password to confirm"
              name="delete_password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={fields.password}
            />
          ) : (
            <p>You signed in again. You can delete your account now.</p>
          )}
          <label className="checkbox">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
            I understand that this deletes my account for good
          </label>
          {!fields.password ? <FormError error={error} /> : null}
          <div>
            <Button type="submit" variant="danger" busy={busy} disabled={!ready}>
              Delete account
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
