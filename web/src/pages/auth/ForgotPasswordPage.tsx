// "Forgot your password?": asks for a username or e-mail and requests a reset link. The
// server answers the same whether an account matched or not, and so does this page: after
// submitting it always shows the same "check your inbox" message, even on an error.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { requestPasswordReset } from '../../api/recovery';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import './auth.css';

export const RESET_SENT_MESSAGE =
  "If an account matches, we've sent a link to its e-mail address. Check your inbox (and spam).";

export default function ForgotPasswordPage() {
  const [login, setLogin] = useState('');
  const [missing, setMissing] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const value = login.trim();
    setMissing(value ? undefined : 'Enter your username or email.');
    if (!value) return;
    setBusy(true);
    try {
      await requestPasswordReset(value);
    } catch {
      // Deliberately the same answer: nothing here may tell whether the account exists.
    } finally {
      setBusy(false);
      setSent(true);
    }
  };

  return (
    <section className="auth-page card stack" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Reset your password</h1>
      {sent ? (
        <p className="notice" role="status">
          {RESET_SENT_MESSAGE}
        </p>
      ) : (
        <>
          <p className="muted">Enter your username or e-mail and we'll send a link to set a new password.</p>
          <form className="stack" onSubmit={onSubmit} noValidate>
            <TextField
              label="Username or email"
              name="login"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={login}
              onChange={(e) => setLogin(e.target.value)}
              error={missing}
              required
            />
            <Button type="submit" variant="primary" busy={busy}>
              Send reset link
            </Button>
          </form>
        </>
      )}
      <p className="auth-switch muted">
        <Link to="/signin">Back to sign in</Link>
      </p>
    </section>
  );
}
