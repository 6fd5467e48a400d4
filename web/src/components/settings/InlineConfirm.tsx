// An inline "are you sure?" for a destructive settings action: the question, Cancel
// (focused first) and the action, busy while it runs, with its error below.
import { Button } from '../Button';
import { ErrorBanner } from '../ErrorBanner';

interface Props {
  label: string;
  question: string;
  action: string;
  busyAction: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}

export function InlineConfirm({ label, question, action, busyAction, busy, error, onConfirm, onCancel }: Props) {
  return (
    <div className="inline-confirm stack" role="group" aria-label={label}>
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
