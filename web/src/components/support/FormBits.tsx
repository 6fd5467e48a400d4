// Small pieces shared by the support desk's forms: the polite "saved" status and the
// form-level error (when no field took it).
import { errorMessage } from '../../api/errors';

export function Saved({ text }: { text: string | null }) {
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
