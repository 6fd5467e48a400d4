// Small pieces shared by the settings sections: a polite success line and a form's error
// banner (by API error code).
import { errorMessage } from '../../api/errors';

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
