// /consultations and /consultations/:slug/:id — a customer's consultations: the list
// (status, unread count, last message) beside the open one on wide screens, one pane at a
// time on phones, like the chat screen. Owns the live chat and consultation events.
import { Link, useParams } from 'react-router-dom';
import '../../components/chat/chat.css';
import { EmptyState } from '../../components/EmptyState';
import { ConsultationList } from '../../components/support/ConsultationList';
import { ConsultationView } from '../../components/support/ConsultationView';
import '../../components/support/support.css';
import { useChatEvents } from '../../chat/useChatEvents';
import { PHONE_QUERY, useMediaQuery } from '../../chat/useMediaQuery';
import { useSession } from '../../session/SessionContext';
import { consultationPath } from '../../support/paths';
import { useConsultation, useConsultationEvents, useMyConsultations } from '../../support/useConsultations';

export default function MyConsultationsPage() {
  const { slug, id } = useParams<{ slug: string; id: string }>();
  const openId = slug && id ? id : null;
  const { me } = useSession();
  const myId = me?.id ?? '';
  const list = useMyConsultations(myId !== '');
  const phone = useMediaQuery(PHONE_QUERY);
  // The open consultation's conversation (the same query the view below uses).
  const open = useConsultation(slug ?? '', openId ?? '', openId !== null);
  useChatEvents(myId, openId ? (open.data?.conversation_id ?? null) : null);
  useConsultationEvents(myId);

  return (
    <div className={openId ? 'chat-layout chat-layout-open' : 'chat-layout'}>
      <h1 className="visually-hidden">My consultations</h1>
      {phone && openId ? null : (
        <section className="chat-list" aria-labelledby="my-consultations-title">
          <div className="chat-list-header">
            <h2 id="my-consultations-title">My consultations</h2>
            <Link to="/orgs" className="btn btn-small">
              Find support
            </Link>
          </div>
          <ConsultationList
            query={list}
            activeId={openId}
            view="customer"
            myId={myId}
            hrefFor={consultationPath}
            empty="No consultations yet"
          />
        </section>
      )}
      {phone && !openId ? null : (
        <div className="chat-main">
          {openId && slug ? (
            <ConsultationView key={openId} slug={slug} id={openId} myId={myId} view="customer" backTo="/consultations" />
          ) : (
            <div className="chat-placeholder">
              <EmptyState title="Select a consultation">
                <p>Or contact an organization from the support directory.</p>
              </EmptyState>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
