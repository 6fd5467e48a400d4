// One registered site: host, tier, when it was registered and last used, and "Rotate
// secret" / "Delete", each behind an inline confirmation. A rotation's answer (with the
// new secret) goes to the page; a deletion leaves the cached list.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { deleteDomain, rotateSecret } from '../../api/developer';
import type { Domain, DomainId, NewSecret } from '../../api/types';
import { forgetDomain, storeDomain, tierLabel } from '../../developer/domains';
import { Button } from '../Button';
import { TimeAgo } from '../TimeAgo';
import { InlineConfirm } from '../InlineConfirm';

type Mode = 'view' | 'confirm-rotate' | 'confirm-delete';

interface Props {
  domain: Domain;
  onRotated: (rotated: NewSecret) => void;
  onDeleted: (id: DomainId) => void;
}

export function DomainRow({ domain, onRotated, onDeleted }: Props) {
  const qc = useQueryClient();
  const [mode, setMode] = useState<Mode>('view');
  const rotate = useMutation({
    mutationFn: () => rotateSecret(domain.id),
    onSuccess: (rotated) => {
      storeDomain(qc, rotated);
      setMode('view');
      onRotated(rotated);
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteDomain(domain.id),
    onSuccess: () => {
      forgetDomain(qc, domain.id);
      onDeleted(domain.id);
    },
  });
  const cancel = () => {
    rotate.reset();
    remove.reset();
    setMode('view');
  };

  return (
    <li className="domain-row stack" aria-label={domain.host}>
      <div className="row-between domain-row-top">
        <span className="row">
          <span className="domain-host">{domain.host}</span>
          <span className="domain-tier">{tierLabel(domain.tier)}</span>
        </span>
        {mode === 'view' ? (
          <span className="row">
            <Button className="btn-small" onClick={() => setMode('confirm-rotate')}>
              Rotate secret
            </Button>
            <Button className="btn-small" variant="danger" onClick={() => setMode('confirm-delete')}>
              Delete
            </Button>
          </span>
        ) : null}
      </div>
      <p className="muted small">
        Registered <TimeAgo iso={domain.created_at} /> · Last used{' '}
        {domain.last_used_at ? <TimeAgo iso={domain.last_used_at} /> : 'never'}
      </p>
      {mode === 'confirm-rotate' ? (
        <InlineConfirm
          className="domain-confirm"
          label="Confirm rotation"
          question={`Rotate the secret of ${domain.host}? The current secret and every token made from it stop working at once.`}
          action="Yes, rotate"
          busyAction="Rotating…"
          busy={rotate.isPending}
          error={rotate.error}
          onConfirm={() => rotate.mutate()}
          onCancel={cancel}
        />
      ) : null}
      {mode === 'confirm-delete' ? (
        <InlineConfirm
          className="domain-confirm"
          label="Confirm deletion"
          question={`Delete ${domain.host}? Its secret and tokens stop working at once.`}
          action="Yes, delete"
          busyAction="Deleting…"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
          onCancel={cancel}
        />
      ) : null}
    </li>
  );
}
