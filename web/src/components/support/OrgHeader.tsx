// An organization's profile at the top of its pages: avatar, name, @slug, my role, hidden
// or not, and its description; `actions` go beside it.
import type { ReactNode } from 'react';
import type { Organization } from '../../api/types';
import { Avatar } from '../Avatar';
import { orgAvatarUser, roleLabel } from './OrgRow';

export function OrgHeader({ org, actions, title }: { org: Organization; actions?: ReactNode; title?: string }) {
  const role = roleLabel(org.my_role);
  return (
    <header className="card org-header">
      <div className="org-header-top">
        <Avatar user={orgAvatarUser(org)} size={72} />
        <div className="org-header-identity">
          <h1 className="org-name">{title ?? org.name}</h1>
          <p className="row small muted">
            <span>@{org.slug}</span>
            {title ? <span>{org.name}</span> : null}
            {role ? <span className="support-tag">{role}</span> : null}
            {org.visibility === 'hidden' ? <span className="support-tag">Hidden</span> : null}
          </p>
        </div>
      </div>
      {org.description && !title ? <p className="org-description">{org.description}</p> : null}
      {actions ? <div className="row">{actions}</div> : null}
    </header>
  );
}
