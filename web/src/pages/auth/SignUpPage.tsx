// Create an account (username, email, password, optional display name), or with one click
// through a configured provider. Rules are checked here first for quick feedback; the
// server's field errors are shown beside the fields.
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { errorMessage, fieldErrors } from '../../api/errors';
import { ProviderButtons } from '../../components/auth/ProviderButtons';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { useSession } from '../../session/SessionContext';
import { safeNext } from './nextPath';
import './auth.css';

interface Form {
  username: string;
  email: string;
  password: string;
  display_name: string;
}

type Errors = Partial<Record<keyof Form, string>>;

function validate(f: Form): Errors {
  const e: Errors = {};
  if (!/^[a-z0-9_]{3,30}$/i.test(f.username)) e.username = '3–30 letters a–z, digits or _.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) e.email = 'Enter a valid email address.';
  if (f.password.length < 8) e.password = 'At least 8 characters.';
  else if (f.password.length > 128) e.password = 'At most 128 characters.';
  if (f.display_name.length > 50) e.display_name = 'At most 50 characters.';
  return e;
}

export default function SignUpPage() {
  const { status, signUp } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const [form, setForm] = useState<Form>({ username: '', email: '', password: '', display_name: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (status === 'loading') return <Spinner label="Loading your session" />;
  if (status === 'signed-in' && !busy) return <Navigate to={next} replace />;

  const set = (k: keyof Form) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [k]: e.target.value }));
    if (errors[k]) setErrors((old) => ({ ...old, [k]: undefined }));
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const local = validate(form);
    setErrors(local);
    setError(null);
    if (Object.values(local).some(Boolean)) return;
    setBusy(true);
    try {
      await signUp({
        username: form.username.trim().toLowerCase(),
        email: form.email.trim(),
        password: form.password,
        display_name: form.display_name.trim() || undefined,
      });
      navigate(next, { replace: true });
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(err);
      setBusy(false);
    }
  };

  const anyFieldError = Object.values(errors).some(Boolean);

  return (
    <section className="auth-page card stack" aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      {error && !anyFieldError ? (
        <p className="error-banner" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
      <form className="stack" onSubmit={onSubmit} noValidate>
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={form.username}
          onChange={set('username')}
          error={errors.username}
          hint="3–30 characters: letters, digits and _"
          required
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
          error={errors.email}
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          error={errors.password}
          hint="At least 8 characters; avoid common passwords"
          required
        />
        <TextField
          label="Display name (optional)"
          name="display_name"
          autoComplete="name"
          value={form.display_name}
          onChange={set('display_name')}
          error={errors.display_name}
        />
        <Button type="submit" variant="primary" busy={busy}>
          Sign up
        </Button>
      </form>
      <ProviderButtons returnTo={next} />
      <p className="auth-switch muted">
        Already have an account?{' '}
        <Link to={next !== '/' ? `/signin?next=${encodeURIComponent(next)}` : '/signin'}>Sign in to your account</Link>
      </p>
    </section>
  );
}
