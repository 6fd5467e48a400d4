// /orgs/:slug/inbox and /orgs/:slug/inbox/:id — an organization's support inbox for its
// agents: the queue in tabs (Waiting, Active, Closed, and Mine: assigned to me) beside the
// open consultation, one pane at a time on phones. The queues follow
// `consultation:updated` live; nothing polls. Anyone else is told it is for agents.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { ConsultationStatus } from '../../api/types';
import '../../components/chat/chat.css';
import { EmptyState } from '../../components/EmptyState';
import { Spinner } from '../../components/Spinner';
import { ConsultationList } from '../../components/support/ConsultationList';
import { ConsultationView } from '../../components/support/ConsultationView';
import { OrgMissing } from '../../components/support/OrgMissing';
import '../../components/support/support.css';
import { useChatEvents } from '../../chat/useChatEvents';
import { PHONE_QUERY, useMediaQuery } from '../../chat/useMediaQuery';
import { useSession } from '../../session/SessionContext';
import { inboxPath } from '../../support/paths';
import { useConsultation, useConsultationEvents, useQueue } from '../../support/useConsultations';
import { isAgent, useAgents, useOrg } from '../../support/useOrg';

type TabKey = 'waiting' | 'active' | 'closed' | 'mine';

const TABS: ReadonlyArray<{ key: TabKey; label: string; status: ConsultationStatus | null; empty: string }> = [
  { key: 'waiting', label: 'Waiting', status: 'waiting', empty: 'Nobody is waiting' },
  { key: 'active', label: 'Active', status: 'active', empty: 'No active consultations' },
  { key: 'closed', label: 'Closed', status: 'closed', empty: 'No closed consultations' },
  { key: 'mine', label: 'Mine', status: null, empty: 'Nothing is assigned to you' },
];

export default function InboxPage() {
  const { slug = '', id } = useParams<{ slug: string; id: string }>();
  const openId = id ?? null;
  const { me } = useSession();
  const myId = me?.id ?? '';
  const org = useOrg(slug);
  const agent = isAgent(org.data);
  const agents = useAgents(slug, org.data);
  const [tab, setTab] = useState<TabKey>('waiting');
  const current = TABS.find((t) => t.key === tab) ?? TABS[0];
  const queue = useQueue(
    slug,
    current?.status ?? null,
    tab === 'mine' ? (me?.username ?? null) : null,
    agent && myId !== '',
  );
  const open = useConsultation(slug, openId ?? '', agent && openId !== null);
  useChatEvents(myId, openId ? (open.data?.conversation_id ?? null) : null);
  useConsultationEvents(myId);
  const phone = useMediaQuery(PHONE_QUERY);

  if (org.isPending) return <Spinner label="Loading the organization" />;
  if (!org.data) return <OrgMissing error={org.error} onRetry={() => void org.refetch()} />;
  const base = `/orgs/${encodeURIComponent(slug)}`;
  if (!agent) {
    return (
      <EmptyState title="This inbox is for agents" action={<Link to={base}>Back to {org.data.name}</Link>}>
        <p>Only the agents and owners of {org.data.name} see its consultations.</p>
      </EmptyState>
    );
  }

  return (
    <div className={openId ? 'chat-layout chat-layout-open' : 'chat-layout'}>
      <h1 className="visually-hidden">Support inbox: {org.data.name}</h1>
      {phone && openId ? null : (
        <section className="chat-list" aria-labelledby="inbox-title">
          <div className="chat-list-header">
            <h2 id="inbox-title">Support inbox</h2>
            <Link to={base} className="small">
              {org.data.name}
            </Link>
          </div>
          <div className="support-tabs" role="tablist" aria-label="Queue">
            {TABS.map((t) => (
              <button
                key={t.key}
                type="button"
                role="tab"
                id={`inbox-tab-${t.key}`}
                aria-selected={t.key === tab}
                aria-controls="inbox-panel"
                className="support-tab"
                onClick={() => setTab(t.key)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div
            id="inbox-panel"
            role="tabpanel"
            aria-labelledby={`inbox-tab-${tab}`}
            className="support-tabpanel"
          >
            <ConsultationList
              query={queue}
              activeId={openId}
              view="agent"
              myId={myId}
              hrefFor={(c) => inboxPath(slug, c.id)}
              empty={current?.empty ?? 'Nothing here'}
            />
          </div>
        </section>
      )}
      {phone && !openId ? null : (
        <div className="chat-main">
          {openId ? (
            <ConsultationView
              key={openId}
              slug={slug}
              id={openId}
              myId={myId}
              view="agent"
              agents={agents.data ?? []}
              backTo={inboxPath(slug)}
            />
          ) : (
            <div className="chat-placeholder">
              <EmptyState title="Select a consultation">
                <p>New ones arrive in Waiting as customers write.</p>
              </EmptyState>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
