// The conversation list: each conversation with its avatar, title, last message and time,
// unread badge and (direct chats) a presence dot; the "New chat" button; loading, empty
// and error states. Its order and counts follow the live events (useChatEvents).
import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import type { Conversation, Page } from '../../api/types';
import type { PresenceMap } from '../../chat/usePresence';
import {
  conversationAvatar,
  conversationTitle,
  directPeer,
  lastActivity,
  messagePreview,
} from '../../chat/conversations';
import { Avatar } from '../Avatar';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Spinner } from '../Spinner';
import { TimeAgo } from '../TimeAgo';
import { PresenceDot } from './PresenceDot';

interface Props {
  query: UseQueryResult<Page<Conversation>>;
  activeId: string | null;
  myId: string;
  presence: PresenceMap;
  onNewChat: () => void;
}

export function ConversationList({ query, activeId, myId, presence, onNewChat }: Props) {
  const items = query.data?.items ?? [];
  return (
    <section className="chat-list" aria-labelledby="chat-list-title">
      <div className="chat-list-header">
        <h2 id="chat-list-title">Chats</h2>
        <button type="button" className="btn btn-primary btn-small" onClick={onNewChat}>
          New chat
        </button>
      </div>
      {query.isPending ? (
        <Spinner label="Loading conversations" />
      ) : query.isError && items.length === 0 ? (
        <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No conversations yet">
          <p>Start one with “New chat”, or from someone’s profile.</p>
        </EmptyState>
      ) : (
        <ul className="chat-list-items" aria-label="Conversations">
          {items.map((c) => (
            <ConversationRow
              key={c.id}
              conversation={c}
              active={c.id === activeId}
              myId={myId}
              online={presenceOf(c, myId, presence)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Online state of a direct chat's peer: null for groups (no dot). */
function presenceOf(c: Conversation, myId: string, presence: PresenceMap): boolean | null {
  const peer = directPeer(c, myId);
  if (!peer) return null;
  return presence[peer.id]?.online ?? false;
}

function ConversationRow({
  conversation,
  active,
  myId,
  online,
}: {
  conversation: Conversation;
  active: boolean;
  myId: string;
  online: boolean | null;
}) {
  const title = conversationTitle(conversation, myId);
  const unread = active ? 0 : conversation.unread_count;
  return (
    <li>
      <Link
        to={`/chat/${conversation.id}`}
        className={active ? 'chat-row chat-row-active' : 'chat-row'}
        aria-current={active ? 'page' : undefined}
      >
        <span className="chat-row-avatar">
          <Avatar user={conversationAvatar(conversation, myId)} size={44} />
          {online !== null ? <PresenceDot online={online} /> : null}
        </span>
        <span className="chat-row-body">
          <span className="chat-row-top">
            <span className="chat-row-title">{title}</span>
            <TimeAgo iso={lastActivity(conversation)} className="chat-row-time" />
          </span>
          <span className="chat-row-bottom">
            <span className={unread > 0 ? 'chat-row-preview chat-row-preview-unread' : 'chat-row-preview'}>
              {messagePreview(conversation.last_message, myId)}
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
