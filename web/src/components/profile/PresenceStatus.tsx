// A green dot and "Online", or "Last seen 5 min ago" (or "Offline" for someone never seen).
import { TimeAgo } from '../TimeAgo';
import './profile.css';

export function PresenceStatus({ online, lastSeenAt }: { online: boolean; lastSeenAt: string | null }) {
  return (
    <p className="presence-status small">
      <span className={online ? 'presence-dot presence-dot-online' : 'presence-dot'} aria-hidden="true" />
      {online ? (
        <span>Online</span>
      ) : lastSeenAt ? (
        <span>
          Last seen <TimeAgo iso={lastSeenAt} />
        </span>
      ) : (
        <span>Offline</span>
      )}
    </p>
  );
}

export default PresenceStatus;
