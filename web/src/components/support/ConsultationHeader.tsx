// The header of an open consultation: back link (phones), who it is with, the subject, its
// status and assignee, and the actions: for agents "Assign to me", assign to another agent
// and Close; for its customer the FAQ shortcut, Close, and Reopen once closed.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Agent, Consultation } from '../../api/types';
import { displayName } from '../../chat/conversations';
import type { useConsultationActions } from '../../support/useConsultationActions';
import { Avatar } from '../Avatar';
import { Button } from '../Button';
import { orgAvatarUser } from './OrgRow';
import { StatusTag } from './StatusTag';

export function ConsultationHeader({
  consultation: c,
  view,
  myId,
  agents,
  actions,
  backTo,
  faqOpen,
  onToggleFaq,
}: {
  consultation: Consultation;
  view: 'customer' | 'agent';
  myId: string;
  agents: readonly Agent[];
  actions: ReturnType<typeof useConsultationActions>;
  backTo: string;
  faqOpen: boolean;
  onToggleFaq: () => void;
}) {
  const closed = c.status === 'closed';
  const who = view === 'customer' ? c.organization.name : displayName(c.customer);
  const assignee = c.assignee ? (c.assignee.id === myId ? 'you' : displayName(c.assignee)) : null;
  return (
    <header className="chat-header">
      <Link to={backTo} className="chat-back">
        <span aria-hidden="true">←</span>
        <span className="visually-hidden">Back to consultations</span>
      </Link>
      <span className="chat-row-avatar">
        <Avatar user={view === 'customer' ? orgAvatarUser(c.organization) : c.customer} size={40} />
      </span>
      <div className="chat-header-text">
        <h2 id="chat-title" className="chat-title">
          {c.subject}
        </h2>
        <p className="chat-subtitle row">
          <StatusTag status={c.status} />
          <span>{who}</span>
          {assignee ? <span>· Assigned to {assignee}</span> : view === 'agent' && !closed ? <span>· Unassigned</span> : null}
        </p>
      </div>
      <div className="support-controls">
        {view === 'customer' && !closed ? (
          <button type="button" className="btn btn-small" aria-expanded={faqOpen} onClick={onToggleFaq}>
            FAQ
          </button>
        ) : null}
        {view === 'agent' && !closed && c.assignee?.id !== myId ? (
          <Button variant="primary" className="btn-small" busy={actions.busy === 'assign'} onClick={() => void actions.assign()}>
            Assign to me
          </Button>
        ) : null}
        {view === 'agent' && !closed ? <AssignTo consultation={c} agents={agents} actions={actions} /> : null}
        {!closed ? (
          <Button className="btn-small" busy={actions.busy === 'close'} onClick={() => void actions.close()}>
            Close
          </Button>
        ) : view === 'customer' ? (
          <Button variant="primary" className="btn-small" busy={actions.busy === 'reopen'} onClick={() => void actions.reopen()}>
            Reopen
          </Button>
        ) : null}
      </div>
    </header>
  );
}

function AssignTo({
  consultation: c,
  agents,
  actions,
}: {
  consultation: Consultation;
  agents: readonly Agent[];
  actions: ReturnType<typeof useConsultationActions>;
}) {
  const others = agents.filter((a) => a.id !== c.assignee?.id);
  const [username, setUsername] = useState('');
  const chosen = others.some((a) => a.username === username) ? username : '';
  if (others.length === 0) return null;
  return (
    <form
      className="row support-assign"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) void actions.assign(chosen);
      }}
    >
      <label htmlFor="assign-to" className="visually-hidden">
        Assign to
      </label>
      <select id="assign-to" value={chosen} onChange={(e) => setUsername(e.target.value)}>
        <option value="">Assign to…</option>
        {others.map((a) => (
          <option key={a.id} value={a.username}>
            {displayName(a)} ({a.active_count} active)
          </option>
        ))}
      </select>
      <Button type="submit" className="btn-small" disabled={!chosen} busy={actions.busy === 'assign'}>
        Assign
      </Button>
    </form>
  );
}
