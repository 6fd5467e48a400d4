// The chat screen, /chat and /chat/:id: the conversation list beside the open conversation
// on wide screens; on a phone (< 720 px) /chat shows the list and /chat/:id the
// conversation alone (with a back link). Owns the live chat events while mounted.
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ConversationList } from '../../components/chat/ConversationList';
import { ConversationView } from '../../components/chat/ConversationView';
import { NewChatDialog } from '../../components/chat/NewChatDialog';
import '../../components/chat/chat.css';
import { EmptyState } from '../../components/EmptyState';
import { presenceIds } from '../../chat/conversations';
import { useChatEvents } from '../../chat/useChatEvents';
import { useConversations } from '../../chat/useConversations';
import { PHONE_QUERY, useMediaQuery } from '../../chat/useMediaQuery';
import { usePresence } from '../../chat/usePresence';
import { useSession } from '../../session/SessionContext';

export default function ChatPage() {
  const { id } = useParams<{ id: string }>();
  const openId = id ?? null;
  const { me } = useSession();
  const myId = me?.id ?? '';
  const navigate = useNavigate();
  const [dialogOpen, setDialogOpen] = useState(false);

  const conversations = useConversations(myId !== '');
  useChatEvents(myId, openId);
  const items = conversations.data?.items;
  const watched = useMemo(() => presenceIds(items ?? [], myId), [items, myId]);
  const presence = usePresence(watched);
  // One pane at a time on phones: the CSS hides the other one, and it is not rendered at
  // all so that it neither costs work nor duplicates text (the last message preview).
  const phone = useMediaQuery(PHONE_QUERY);

  return (
    <div className={openId ? 'chat-layout chat-layout-open' : 'chat-layout'}>
      <h1 className="visually-hidden">Chat</h1>
      {phone && openId ? null : (
        <ConversationList
          query={conversations}
          activeId={openId}
          myId={myId}
          presence={presence}
          onNewChat={() => setDialogOpen(true)}
        />
      )}
      {phone && !openId ? null : (
        <div className="chat-main">
          {openId ? (
            <ConversationView key={openId} id={openId} myId={myId} presence={presence} />
          ) : (
            <div className="chat-placeholder">
              <EmptyState title="Select a conversation">
                <p>Choose a chat on the left, or start a new one.</p>
              </EmptyState>
            </div>
          )}
        </div>
      )}
      {dialogOpen ? (
        <NewChatDialog
          onClose={() => setDialogOpen(false)}
          onStarted={(conversation) => {
            setDialogOpen(false);
            navigate(`/chat/${conversation.id}`);
          }}
        />
      ) : null}
    </div>
  );
}
