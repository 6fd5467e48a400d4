// One consultation in a list: who (the organization for its customer, the customer for
// agents), when, the subject and status, the last message and the unread count.
import { Link } from 'react-router-dom';
import type { Consultation } from '../../api/types';
import { displayName, messagePreview } from '../../chat/conversations';
import { lastActivity } from '../../support/consultationCache';
import { Avatar } from '../Avatar';
import { TimeAgo } from '../TimeAgo';
import { orgAvatarUser } from './OrgRow';
import { StatusTag } from './StatusTag';

export function ConsultationRow({
  consultation: c,
  href,
  active,
  view,
  myId,
}: {
  consultation: Consultation;
  href: string;
  active: boolean;
  /** Whose list: the customer's (organizations) or the agents' (customers). */
  view: 'customer' | 'agent';
  myId: string;
}) {
  const unread = active ? 0 : c.unread_count;
  const who = view === 'customer' ? c.organization.name : displayName(c.customer);
  const avatar = view === 'customer' ? orgAvatarUser(c.organization) : c.customer;
  return (
    <li>
      <Link
        to={href}
        className={active ? 'chat-row chat-row-active' : 'chat-row'}
        aria-current={active ? 'page' : undefined}
      >
        <span className="chat-row-avatar">
          <Avatar user={avatar} size={44} />
        </span>
        <span className="chat-row-body">
          <span className="chat-row-top">
            <span className="chat-row-title">{who}</span>
            <TimeAgo iso={new Date(lastActivity(c)).toISOString()} className="chat-row-time" />
          </span>
          <span className="chat-row-top">
            <span className="chat-row-preview chat-row-subject">{c.subject}</span>
            <StatusTag status={c.status} />
          </span>
          <span className="chat-row-bottom">
            <span className={unread > 0 ? 'chat-row-preview chat-row-preview-unread' : 'chat-row-preview'}>
              {messagePreview(c.last_message, myId)}
            </span>
            {unread > 0 ? (
              <span className="badge chat-row-badge">
                {unread > 99 ? '99+' : unread}
                <span className="visually-hidden"> unread</span>
              </span>
            ) : null}
          </span>
        </span>
      </Link>
    </li>
  );
}
