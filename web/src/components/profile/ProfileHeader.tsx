// The top of a profile: large avatar, names, "Follows you", presence, status message, bio,
// joined date, counts (followers / following link to their lists) and the action buttons.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { User } from '../../api/types';
import { Avatar } from '../Avatar';
import { RichText } from '../RichText';
import { PresenceStatus } from './PresenceStatus';
import './profile.css';

export function joinedLabel(createdAt: string): string {
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime())) return '';
  return `Joined ${date.toLocaleDateString(undefined, { month: 'long', year: 'numeric' })}`;
}

function Count({ value, label, to }: { value: number; label: string; to?: string }) {
  const body = (
    <>
      <span className="profile-count-value">{value.toLocaleString()}</span>{' '}
      <span className="profile-count-label">{label}</span>
    </>
  );
  return <li className="profile-count">{to ? <Link to={to}>{body}</Link> : body}</li>;
}

export interface ProfileHeaderProps {
  user: User;
  /** Live presence overrides what the profile said when it was fetched. */
  online: boolean;
  lastSeenAt: string | null;
  actions?: ReactNode;
}

export function ProfileHeader({ user, online, lastSeenAt, actions }: ProfileHeaderProps) {
  const name = user.display_name || user.username;
  const base = `/u/${encodeURIComponent(user.username)}`;
  return (
    <section className="card profile-header" aria-labelledby="profile-name">
      <div className="profile-top">
        <Avatar user={user} size={96} />
        <div className="profile-identity">
          <h1 id="profile-name" className="profile-name">
            {name}
          </h1>
          <p className="profile-handle">
            <span className="muted">@{user.username}</span>
            {user.follows_me ? <span className="profile-tag">Follows you</span> : null}
          </p>
          <PresenceStatus online={online} lastSeenAt={lastSeenAt} />
        </div>
      </div>
      {user.status_message ? (
        <p className="profile-status">
          <span className="visually-hidden">Status: </span>
          {user.status_message}
        </p>
      ) : null}
      {user.bio ? <RichText text={user.bio} className="profile-bio rich-text" /> : null}
      <p className="muted small">{joinedLabel(user.created_at)}</p>
      <ul className="profile-counts" aria-label="Counts">
        <Count value={user.posts_count} label="Posts" />
        <Count value={user.followers_count} label="Followers" to={`${base}/followers`} />
        <Count value={user.following_count} label="Following" to={`${base}/following`} />
      </ul>
      {actions ? <div className="profile-actions">{actions}</div> : null}
    </section>
  );
}

export default ProfileHeader;
