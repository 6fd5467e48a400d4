// Sign in with username or email + password, optional "Remember me" (30-day refresh
// token), or with a configured provider (which honours both too). Shows the "session
// expired" message, errors by code, `?error=oauth_failed` after a failed provider sign-in,
// "Your password was changed" after a reset (`?reset=1`), links to "Forgot your password?",
// and honours `?next=`.
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { ProviderButtons } from '../../components/auth/ProviderButtons';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { useSession } from '../../session/SessionContext';
import { safeNext } from './nextPath';
import './auth.css';

export default function SignInPage() {
  const { status, signIn, expiredMessage, clearExpiredMessage } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  // The server's word after a failed provider sign-in (the only one it sends here).
  const providerFailed = params.get('error') === 'oauth_failed';
  const passwordReset = params.get('reset') === '1';
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState<{ login?: string; password?: string }>({});

  if (status === 'loading') return <Spinner label="Loading your session" />;
  if (status === 'signed-in' && !busy) return <Navigate to={next} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const m = {
      login: login.trim() ? undefined : 'Enter your username or email.',
      password: password ? undefined : 'Enter your password.',
    };
    setMissing(m);
    if (m.login || m.password) return;
    setBusy(true);
    setError(null);
    try {
      await signIn(login.trim(), password, remember);
      clearExpiredMessage();
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section className="auth-page card stack" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      {providerFailed && !error ? (
        <p className="error-banner" role="alert">
          {errorMessage({ code: 'oauth_failed' })}
        </p>
      ) : null}
      {passwordReset && !error && !providerFailed ? (
        <p className="notice" role="status">
          Your password was changed. Sign in with the new one.
        </p>
      ) : null}
      {expiredMessage && !error && !providerFailed && !passwordReset ? (
        <p className="notice" role="status">
          {expiredMessage}
        </p>
      ) : null}
      {error ? (
        <p className="error-banner" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
      <form className="stack" onSubmit={onSubmit} noValidate>
        <TextField
          label="Username or email"
          name="login"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          error={missing.login}
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={missing.password}
          required
        />
        <label className="checkbox">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          Remember me
        </label>
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
      </form>
      <p className="auth-switch">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <ProviderButtons returnTo={next} remember={remember} />
      <p className="auth-switch muted">
        New to Parley?{' '}
        <Link to={next !== '/' ? `/signup?next=${encodeURIComponent(next)}` : '/signup'}>Create an account</Link>
      </p>
    </section>
  );
}
