// One user in a list (followers, following, search results): avatar, display name and
// @username, all one link to the profile, with an optional trailing slot (e.g. a button).
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { UserSummary } from '../../api/types';
import { Avatar } from '../Avatar';
import './profile.css';

export interface UserRowProps {
  user: UserSummary;
  /** Rendered after the link, e.g. a Follow button. */
  trailing?: ReactNode;
  avatarSize?: number;
}

export function UserRow({ user, trailing, avatarSize = 44 }: UserRowProps) {
  const name = user.display_name || user.username;
  return (
    <div className="user-row">
      <Link to={`/u/${encodeURIComponent(user.username)}`} className="user-row-link">
        {/* The avatar repeats the name, so it is hidden from the link's accessible name. */}
        <span aria-hidden="true" className="user-row-avatar">
          <Avatar user={user} size={avatarSize} />
        </span>
        <span className="user-row-names">
          <span className="user-row-display">{name}</span>
          <span className="user-row-username">@{user.username}</span>
        </span>
      </Link>
      {trailing ? <div className="user-row-trailing">{trailing}</div> : null}
    </div>
  );
}

export default UserRow;
