// Settings: the provider accounts linked to mine (each with "Unlink"), "Link <Provider>"
// for each configured provider not linked yet (the server answers with the provider's URL
// and the browser goes there; it comes back here), and the outcome of a failed link that
// the server reports as `?error=identity_taken` / `?error=oauth_failed`.
import { useMutation } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { startLink } from '../../api/identities';
import type { AuthProvider } from '../../api/types';
import { leaveFor } from '../../identities/leave';
import { useAuthProviders, useIdentities } from '../../identities/queries';
import { Button } from '../Button';
import { ErrorBanner } from '../ErrorBanner';
import { Spinner } from '../Spinner';
import { IdentityRow } from './IdentityRow';

/** The sentence for the `?error=` word a link callback came back with, if any. */
function linkFailure(word: string | null): string | null {
  if (word === 'identity_taken') return errorMessage({ code: 'identity_taken' });
  if (word === 'oauth_failed') return 'Linking the account failed. Please try again.';
  return null;
}

function LinkButton({ provider }: { provider: AuthProvider }) {
  const link = useMutation({
    mutationFn: () => startLink(provider.name),
    onSuccess: ({ authorize_url }) => leaveFor(authorize_url),
  });
  return (
    <li className="stack">
      <div>
        <Button busy={link.isPending || link.isSuccess} onClick={() => link.mutate()}>
          Link {provider.display_name}
        </Button>
      </div>
      <ErrorBanner error={link.error} />
    </li>
  );
}

export function LinkedAccounts() {
  const [params, setParams] = useSearchParams();
  const providers = useAuthProviders();
  const identities = useIdentities();
  const failure = linkFailure(params.get('error'));
  const linked = identities.data ?? [];
  const linkable = (providers.data ?? []).filter((p) => !linked.some((i) => i.provider === p.name));

  // Nothing to show or do when no provider is configured and none was ever linked.
  const none = providers.isSuccess && providers.data.length === 0 && identities.isSuccess && linked.length === 0;
  if (none && !failure) return null;

  const dismiss = () =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        next.delete('error');
        return next;
      },
      { replace: true },
    );

  return (
    <section className="card stack" aria-labelledby="linked-title">
      <h2 id="linked-title">Linked accounts</h2>
      {failure ? (
        <div className="error-banner" role="alert">
          <span>{failure}</span>
          <button type="button" className="btn btn-small" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
      {identities.isPending ? <Spinner label="Loading linked accounts" /> : null}
      <ErrorBanner error={identities.error} onRetry={() => void identities.refetch()} />
      {identities.isSuccess ? (
        linked.length > 0 ? (
          <ul className="identity-list stack" aria-label="Linked accounts">
            {linked.map((identity) => (
              <IdentityRow key={identity.provider} identity={identity} />
            ))}
          </ul>
        ) : (
          <p className="muted">No linked accounts. Link one to sign in with it.</p>
        )
      ) : null}
      {identities.isSuccess && linkable.length > 0 ? (
        <ul className="stack" aria-label="Link another account">
          {linkable.map((p) => (
            <LinkButton key={p.name} provider={p} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
