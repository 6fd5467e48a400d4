// One linked provider account in settings: the provider, the e-mail it gave (or "No
// e-mail"), when it was linked and last used, and "Unlink" (409 `last_sign_in_method`, when
// it is the account's only way to sign in, is shown beside it).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unlinkIdentity } from '../../api/identities';
import type { Identity } from '../../api/types';
import { forgetIdentity } from '../../identities/queries';
import { Button } from '../Button';
import { ErrorBanner } from '../ErrorBanner';
import { TimeAgo } from '../TimeAgo';

export function IdentityRow({ identity }: { identity: Identity }) {
  const qc = useQueryClient();
  const unlink = useMutation({
    mutationFn: () => unlinkIdentity(identity.provider),
    onSuccess: () => forgetIdentity(qc, identity.provider),
  });

  return (
    <li className="identity-row stack" aria-label={identity.display_name}>
      <div className="row-between">
        <span className="stack identity-who">
          <span className="identity-provider">{identity.display_name}</span>
          <span className="muted small">{identity.email ?? 'No e-mail'}</span>
        </span>
        <Button
          className="btn-small"
          busy={unlink.isPending}
          onClick={() => unlink.mutate()}
          aria-label={`Unlink ${identity.display_name}`}
        >
          Unlink
        </Button>
      </div>
      <p className="muted small">
        Linked <TimeAgo iso={identity.created_at} /> · Last used <TimeAgo iso={identity.last_used_at} />
      </p>
      <ErrorBanner error={unlink.error} />
    </li>
  );
}
