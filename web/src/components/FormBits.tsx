// Small pieces shared by forms (settings, the support desk): a polite success line and
// the form-level error banner (when no field took it).
import { errorMessage } from '../api/errors';

export function Status({ text }: { text: string | null }) {
  return (
    <p className="success small" role="status" aria-live="polite">
      {text ?? ''}
    </p>
  );
}

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error-banner" role="alert">
      {errorMessage(error)}
    </p>
  );
}
