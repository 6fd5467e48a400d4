// Shows an error as a human sentence (by API error code), with an optional retry button.
import { errorMessage } from '../api/errors';

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error === null || error === undefined || error === false) return null;
  return (
    <div className="error-banner" role="alert">
      <span>{errorMessage(error)}</span>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export default ErrorBanner;
