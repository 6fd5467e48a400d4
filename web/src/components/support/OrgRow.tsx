// One organization in the directory: avatar, name, @slug, description, and my role there.
import { Link } from 'react-router-dom';
import type { Organization } from '../../api/types';
import { Avatar } from '../Avatar';

/** An organization as an Avatar "user" (its initials come from the name). */
export function orgAvatarUser(org: { slug: string; name: string; avatar_url: string | null }) {
  return { username: org.slug, display_name: org.name, avatar_url: org.avatar_url };
}

export function roleLabel(role: Organization['my_role']): string | null {
  if (role === 'owner') return 'Owner';
  if (role === 'agent') return 'Agent';
  return null;
}

export function OrgRow({ org }: { org: Organization }) {
  const role = roleLabel(org.my_role);
  return (
    <li>
      <Link to={`/orgs/${encodeURIComponent(org.slug)}`} className="org-row">
        <Avatar user={orgAvatarUser(org)} size={44} />
        <span className="org-row-body">
          <span className="org-row-top">
            <span className="org-row-name">{org.name}</span>
            {role ? <span className="support-tag">{role}</span> : null}
          </span>
          <span className="org-row-slug muted small">@{org.slug}</span>
          {org.description ? <span className="org-row-description">{org.description}</span> : null}
        </span>
      </Link>
    </li>
  );
}
