// One notification: the actor's avatar, "alice liked your post" linking to the post (or the
// profile for a follow), and when. Unread ones are highlighted and say so to screen readers.
import { Link } from 'react-router-dom';
import type { Notification } from '../../api/types';
import { Avatar } from '../Avatar';
import { TimeAgo } from '../TimeAgo';
import { describeNotification } from './describeNotification';
import './notifications.css';

export function NotificationItem({ notification, unread }: { notification: Notification; unread: boolean }) {
  const { action, href } = describeNotification(notification);
  const actor = notification.actor;
  return (
    <li className={unread ? 'notification notification-unread' : 'notification'}>
      <Link
        to={`/u/${encodeURIComponent(actor.username)}`}
        className="notification-avatar"
        // The main link already names the actor; this one is a mouse shortcut only.
        tabIndex={-1}
        aria-hidden="true"
      >
        <Avatar user={actor} size={40} />
      </Link>
      <div className="notification-body">
        <Link to={href} className="notification-link">
          {unread ? (
            <>
              <span className="visually-hidden">Unread:</span>{' '}
            </>
          ) : null}
          <strong>{actor.username}</strong> {action}
        </Link>
        <TimeAgo iso={notification.created_at} />
      </div>
      {unread ? <span className="notification-dot" aria-hidden="true" /> : null}
    </li>
  );
}

export default NotificationItem;
