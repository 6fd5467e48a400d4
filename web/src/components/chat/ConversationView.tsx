// One open conversation: header (back link on phones, title, presence or members, group
// controls), the message history, who is typing, and the composer. Wires the hooks for
// sending, read receipts and typing. (Its history is refetched on every opening, so what
// happened while it was closed shows too.)
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { conversationAvatar, conversationTitle, directPeer, displayName, otherMembers, seenReceipt, seenLabel } from '../../chat/conversations';
import { highestSeq, visiblePending } from '../../chat/messages';
import { typingLabel } from '../../chat/typing';
import { useConversation } from '../../chat/useConversations';
import { useMarkRead } from '../../chat/useMarkRead';
import { useMessages } from '../../chat/useMessages';
import { useOutbox } from '../../chat/useOutbox';
import type { PresenceMap } from '../../chat/usePresence';
import { useSendMessage } from '../../chat/useSendMessage';
import { useTypingIndicator } from '../../chat/useTypingIndicator';
import { Avatar } from '../Avatar';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Spinner } from '../Spinner';
import { TimeAgo } from '../TimeAgo';
import { Composer } from './Composer';
import { GroupControls } from './GroupControls';
import { MessageList } from './MessageList';
import { PresenceDot } from './PresenceDot';

export function ConversationView({ id, myId, presence }: { id: string; myId: string; presence: PresenceMap }) {
  const conversation = useConversation(id);
  const history = useMessages(id);
  const pending = useOutbox(myId, id);
  const { send, retry, discard } = useSendMessage(id);
  const typists = useTypingIndicator(id);
  const [atBottom, setAtBottom] = useState(true);

  const conv = conversation.data;
  const messages = history.messages;
  const shownPending = useMemo(() => visiblePending(pending, messages, myId), [pending, messages, myId]);
  const top = highestSeq(messages);

  useMarkRead({ conversation: conv, myId, highestSeq: top, atBottom: atBottom && history.isSuccess });

  const receipt = useMemo(
    () => (conv ? seenReceipt(messages, conv.members, myId) : null),
    [conv, messages, myId],
  );

  if (conversation.isPending && !conv) return <Spinner label="Loading conversation" />;
  if (!conv) {
    const missing = conversation.error instanceof ApiError && conversation.error.status === 404;
    return (
      <section className="chat-pane" aria-label="Conversation">
        <BackLink />
        {missing ? (
          <EmptyState title="Conversation not found" action={<Link to="/chat">Back to conversations</Link>}>
            <p>It may have been left or never existed.</p>
          </EmptyState>
        ) : (
          <ErrorBanner error={conversation.error} onRetry={() => void conversation.refetch()} />
        )}
      </section>
    );
  }

  const title = conversationTitle(conv, myId);
  const peer = directPeer(conv, myId);
  const peerPresence = peer ? presence[peer.id] : undefined;
  const names = new Map(conv.members.map((m) => [m.id, displayName(m)]));
  const typingNames = typists.map((uid) => names.get(uid) ?? 'Someone');

  return (
    <section className="chat-pane" aria-labelledby="chat-title">
      <header className="chat-header">
        <BackLink />
        <span className="chat-row-avatar">
          <Avatar user={conversationAvatar(conv, myId)} size={40} />
          {peer ? <PresenceDot online={peerPresence?.online ?? false} /> : null}
        </span>
        <div className="chat-header-text">
          <h2 id="chat-title" className="chat-title">
            {title}
          </h2>
          {peer ? (
            <p className="chat-subtitle">
              {peerPresence?.online ? (
                'Online'
              ) : peerPresence?.last_seen_at ? (
                <>
                  Last seen <TimeAgo iso={peerPresence.last_seen_at} className="chat-subtitle" />
                </>
              ) : (
                <Link to={`/u/${peer.username}`}>@{peer.username}</Link>
              )}
            </p>
          ) : (
            <p className="chat-subtitle chat-members">
              Members: {['You', ...otherMembers(conv, myId).map(displayName)].join(', ')}
            </p>
          )}
        </div>
        {conv.kind === 'group' ? <GroupControls conversation={conv} /> : null}
      </header>
      <MessageList
        conversation={conv}
        myId={myId}
        history={history}
        pending={shownPending}
        receipt={receipt ? { messageId: receipt.messageId, label: seenLabel(receipt, conv.kind) } : null}
        onRetry={retry}
        onDiscard={discard}
        onAtBottomChange={setAtBottom}
      />
      <p className="chat-typing" aria-live="polite">
        {typingLabel(typingNames)}
      </p>
      <Composer conversationId={id} onSend={send} />
    </section>
  );
}

function BackLink() {
  return (
    <Link to="/chat" className="chat-back">
      <span aria-hidden="true">←</span>
      <span className="visually-hidden">Back to conversations</span>
    </Link>
  );
}
