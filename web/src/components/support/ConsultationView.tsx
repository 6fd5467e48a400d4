// An open consultation: the header (status, organization or customer, actions), the FAQ
// shortcut for its customer, and its conversation through the chat's own pieces (history,
// typing, read receipts, composer). Closed: the composer is disabled (and a send that
// raced the closing answers 409 consultation_closed, shown here and in the message).
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import type { Agent, Consultation } from '../../api/types';
import { seenLabel, seenReceipt } from '../../chat/conversations';
import { highestSeq, visiblePending } from '../../chat/messages';
import { typingLabel } from '../../chat/typing';
import { useConversation } from '../../chat/useConversations';
import { useMarkRead } from '../../chat/useMarkRead';
import { useMessages } from '../../chat/useMessages';
import { useOutbox } from '../../chat/useOutbox';
import { useSendMessage } from '../../chat/useSendMessage';
import { useTypingIndicator } from '../../chat/useTypingIndicator';
import { useSocketEvent } from '../../realtime/RealtimeContext';
import { cacheConsultationRead } from '../../support/consultationQueries';
import { consultationKey } from '../../support/keys';
import { agentsSeenReceipt, standInConversation, typistName } from '../../support/supportConversation';
import { useConsultationActions } from '../../support/useConsultationActions';
import { useConsultation } from '../../support/useConsultations';
import { Composer } from '../chat/Composer';
import { MessageList } from '../chat/MessageList';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Spinner } from '../Spinner';
import { ConsultationHeader } from './ConsultationHeader';
import { FaqBrowser } from './FaqBrowser';

interface Props {
  slug: string;
  id: string;
  myId: string;
  view: 'customer' | 'agent';
  agents?: readonly Agent[];
  backTo: string;
}

export function ConsultationView({ slug, id, myId, view, agents = [], backTo }: Props) {
  const query = useConsultation(slug, id);
  if (query.isPending && !query.data) return <Spinner label="Loading consultation" />;
  if (!query.data) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <section className="chat-pane" aria-label="Consultation">
        {missing ? (
          <EmptyState title="Consultation not found" action={<Link to={backTo}>Back to consultations</Link>}>
            <p>It may never have existed, or it is not yours to see.</p>
          </EmptyState>
        ) : (
          <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />
        )}
      </section>
    );
  }
  return <ConsultationChat consultation={query.data} myId={myId} view={view} agents={agents} backTo={backTo} />;
}

/** The agents' shared read marker, as their `read` events move it (customer side). */
function useAgentsReadSeq(conversationId: string, customerId: string): number {
  const [seq, setSeq] = useState(0);
  useSocketEvent('read', (e) => {
    if (e?.conversation_id === conversationId && e.user_id !== customerId) setSeq((s) => Math.max(s, e.seq));
  });
  return seq;
}

function ConsultationChat({
  consultation: c,
  myId,
  view,
  agents,
  backTo,
}: {
  consultation: Consultation;
  myId: string;
  view: 'customer' | 'agent';
  agents: readonly Agent[];
  backTo: string;
}) {
  const qc = useQueryClient();
  const cid = c.conversation_id;
  const conversation = useConversation(cid);
  const conv = conversation.data ?? standInConversation(c);
  const history = useMessages(cid);
  const pending = useOutbox(myId, cid);
  const [sendError, setSendError] = useState<unknown>(null);
  const { send, retry, discard } = useSendMessage(cid, {
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'consultation_closed') {
        setSendError(err);
        void qc.invalidateQueries({ queryKey: consultationKey(c.id) });
      }
    },
  });
  const typists = useTypingIndicator(cid);
  const agentsSeq = useAgentsReadSeq(cid, c.customer.id);
  const actions = useConsultationActions(c, myId);
  const [atBottom, setAtBottom] = useState(true);
  const [faqOpen, setFaqOpen] = useState(false);
  const closed = c.status === 'closed';

  const messages = history.messages;
  const shownPending = useMemo(() => visiblePending(pending, messages, myId), [pending, messages, myId]);
  const top = highestSeq(messages);
  const reading = atBottom && history.isSuccess;
  useMarkRead({ conversation: conv, myId, highestSeq: top, atBottom: reading });
  useEffect(() => {
    if (reading && top > 0) cacheConsultationRead(qc, c.id);
  }, [reading, top, qc, c.id, c.unread_count]);
  // A reopened consultation takes messages again.
  useEffect(() => {
    if (!closed) setSendError(null);
  }, [closed]);

  const receipt = useMemo(() => {
    if (view === 'customer') {
      const r = agentsSeenReceipt(messages, c, myId, agentsSeq);
      return r ? { messageId: r.messageId, label: `Seen by ${c.organization.name}` } : null;
    }
    const r = seenReceipt(messages, conv.members, myId);
    return r ? { messageId: r.messageId, label: seenLabel(r, 'direct') } : null;
  }, [view, messages, c, myId, agentsSeq, conv.members]);

  const typingNames = typists.map((uid) => typistName(uid, c, view, agents));

  return (
    <section className="chat-pane" aria-labelledby="chat-title">
      <ConsultationHeader
        consultation={c}
        view={view}
        myId={myId}
        agents={agents}
        actions={actions}
        backTo={backTo}
        faqOpen={faqOpen && !closed}
        onToggleFaq={() => setFaqOpen((o) => !o)}
      />
      {actions.error || sendError ? (
        <div className="support-banner">
          <ErrorBanner error={actions.error ?? sendError} />
        </div>
      ) : null}
      {view === 'customer' && faqOpen && !closed ? (
        <section className="support-faq-panel stack" aria-label="Frequently asked questions">
          <p className="small muted">Pick a question: the answer comes at once.</p>
          <FaqBrowser
            slug={c.organization.slug}
            busyId={actions.busyFaq}
            onPick={(faq) => {
              void actions.askFaq(faq.id).then((ok) => ok && setFaqOpen(false));
            }}
          />
        </section>
      ) : null}
      <MessageList
        conversation={conv}
        myId={myId}
        history={history}
        pending={shownPending}
        receipt={receipt}
        onRetry={retry}
        onDiscard={discard}
        onAtBottomChange={setAtBottom}
      />
      <p className="chat-typing" aria-live="polite">
        {typingLabel(typingNames)}
      </p>
      {closed ? (
        <p className="support-closed" role="status">
          This consultation is closed.{view === 'customer' ? ' Reopen it to write again.' : ''}
        </p>
      ) : null}
      <Composer
        conversationId={cid}
        onSend={send}
        disabled={closed}
        disabledHint="Closed"
      />
    </section>
  );
}
