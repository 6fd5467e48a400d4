// An inline "are you sure?" for a destructive action (settings, the developer page):
// the question, Cancel (focused first) and the action, busy while it runs, with its
// error below.
import { Button } from './Button';
import { ErrorBanner } from './ErrorBanner';

interface Props {
  label: string;
  question: string;
  action: string;
  busyAction: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
  /** The box's class, for the page's own styling. */
  className?: string;
}

export function InlineConfirm({
  label,
  question,
  action,
  busyAction,
  busy,
  error,
  onConfirm,
  onCancel,
  className = 'inline-confirm',
}: Props) {
  return (
    <div className={`${className} stack`} role="group" aria-label={label}>
      <p>{question}</p>
      <div className="row">
        <Button onClick={onCancel} disabled={busy} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={onConfirm} busy={busy}>
          {busy ? busyAction : action}
        </Button>
      </div>
      <ErrorBanner error={error} />
    </div>
  );
}
