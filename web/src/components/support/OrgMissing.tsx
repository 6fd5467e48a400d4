// What an organization's pages show when it cannot be loaded: "not found" for a 404 (with
// a way back to the directory), else the error with a retry.
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';

export function OrgMissing({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (error instanceof ApiError && error.status === 404) {
    return (
      <EmptyState title="Organization not found" action={<Link to="/orgs">Back to the directory</Link>}>
        <p>Check the address, or search the directory.</p>
      </EmptyState>
    );
  }
  return <ErrorBanner error={error} onRetry={onRetry} />;
}
