// `/reset-password?token=…` (the link in the reset mail): a new password, typed twice.
// Success ends every session of the account, so this browser's too, and sends the user to
// `/signin?reset=1`; a used, expired or missing token gets a link to ask for a new one.
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { confirmPasswordReset } from '../../api/recovery';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { FormError } from '../../components/FormBits';
import { useSession } from '../../session/SessionContext';
import { InvalidLink } from './InvalidLink';
import './auth.css';

function isInvalidToken(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'invalid_token';
}

export default function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const { status, endSessionLocally } = useSession();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [local, setLocal] = useState<{ password?: string; confirm?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fields = fieldErrors(error);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const m = {
      password: password.length >= 8 ? undefined : 'At least 8 characters.',
      confirm: confirm === password ? undefined : 'The passwords do not match.',
    };
    setLocal(m);
    setError(null);
    if (m.password || m.confirm) return;
    setBusy(true);
    try {
      await confirmPasswordReset(token, password);
      // The server ended every session of the account, this browser's included.
      if (status === 'signed-in') endSessionLocally();
      navigate('/signin?reset=1', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const invalid = !token || isInvalidToken(error);
  const passwordError = local.password ?? fields.new_password;

  return (
    <section className="auth-page card stack" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      {invalid ? (
        <InvalidLink to="/forgot-password" label="Ask for a new link" />
      ) : (
        <form className="stack" onSubmit={onSubmit} noValidate>
          <TextField
            label="New password"
            name="new_password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={passwordError}
            hint="At least 8 characters; avoid common passwords"
            required
          />
          <TextField
            label="Confirm new password"
            name="confirm_password"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={local.confirm}
            required
          />
          {!passwordError && !local.confirm ? <FormError error={error} /> : null}
          <Button type="submit" variant="primary" busy={busy}>
            Set new password
          </Button>
        </form>
      )}
    </section>
  );
}
