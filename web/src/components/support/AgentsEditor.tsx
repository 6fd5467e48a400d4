// Settings: the organization's agents with their role and active consultations. Owners add
// someone by username with a role and remove agents (the last owner cannot go: 409
// last_owner, shown here); an agent can leave.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage, fieldErrors } from '../../api/errors';
import { addAgent, removeAgent } from '../../api/support';
import type { Agent, AgentRole, Organization } from '../../api/types';
import { agentsKey, orgKey } from '../../support/keys';
import { useAgents } from '../../support/useOrg';
import { useSession } from '../../session/SessionContext';
import { Avatar } from '../Avatar';
import { Button } from '../Button';
import { ErrorBanner } from '../ErrorBanner';
import { Spinner } from '../Spinner';
import { FormError } from '../FormBits';
import { roleLabel } from './OrgRow';

export function AgentsEditor({ org }: { org: Organization }) {
  const agents = useAgents(org.slug, org);
  const owner = org.my_role === 'owner';
  return (
    <section className="card stack" aria-labelledby="org-agents-title">
      <h2 id="org-agents-title">Agents</h2>
      {agents.isPending ? (
        <Spinner label="Loading the agents" />
      ) : !agents.data ? (
        <ErrorBanner error={agents.error} onRetry={() => void agents.refetch()} />
      ) : (
        <ul className="agent-list" aria-label="Agents">
          {agents.data.map((a) => (
            <AgentRow key={a.id} org={org} agent={a} canRemove={owner} />
          ))}
        </ul>
      )}
      {owner ? <AddAgentForm org={org} /> : null}
    </section>
  );
}

function AgentRow({ org, agent, canRemove }: { org: Organization; agent: Agent; canRemove: boolean }) {
  const qc = useQueryClient();
  const { me } = useSession();
  const self = me?.id === agent.id;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await removeAgent(org.slug, agent.username);
      qc.setQueryData<Agent[]>(agentsKey(org.slug), (old) => old?.filter((a) => a.id !== agent.id));
      if (self) void qc.invalidateQueries({ queryKey: orgKey(org.slug), exact: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const name = agent.display_name || agent.username;
  return (
    <li className="agent-row">
      <Avatar user={agent} size={36} />
      <span className="agent-row-body">
        <span className="row">
          <span className="agent-name">{name}</span>
          <span className="muted small">@{agent.username}</span>
          <span className="support-tag">{roleLabel(agent.role)}</span>
        </span>
        <span className="muted small">
          {agent.active_count} active consultation{agent.active_count === 1 ? '' : 's'}
        </span>
        {error ? (
          <span className="field-error" role="alert">
            {errorMessage(error)}
          </span>
        ) : null}
      </span>
      {canRemove || self ? (
        <Button
          className="btn-small"
          onClick={() => void remove()}
          busy={busy}
          aria-label={self ? 'Leave this organization' : `Remove ${agent.username}`}
        >
          {self ? 'Leave' : 'Remove'}
        </Button>
      ) : null}
    </li>
  );
}

function AddAgentForm({ org }: { org: Organization }) {
  const qc = useQueryClient();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<AgentRole>('agent');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);
  const usernameError = fields.username;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const name = username.trim().replace(/^@/, '').toLowerCase();
    if (!name) return;
    setBusy(true);
    setError(null);
    try {
      const agent = await addAgent(org.slug, name, role);
      qc.setQueryData<Agent[]>(agentsKey(org.slug), (old) => (old ? [...old.filter((a) => a.id !== agent.id), agent] : old));
      void qc.invalidateQueries({ queryKey: agentsKey(org.slug) });
      setUsername('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} aria-label="Add an agent" noValidate>
      <h3>Add an agent</h3>
      <div className="row agent-add-row">
        <div className="field" data-invalid={usernameError ? 'true' : undefined}>
          <label htmlFor="agent-username">Username</label>
          <input
            id="agent-username"
            type="text"
            value={username}
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
            maxLength={31}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={usernameError ? true : undefined}
            aria-describedby={usernameError ? 'agent-username-error' : undefined}
          />
          {usernameError ? (
            <span id="agent-username-error" className="field-error">
              {usernameError}
            </span>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="agent-role">Role</label>
          <select id="agent-role" value={role} onChange={(e) => setRole(e.target.value as AgentRole)}>
            <option value="agent">Agent</option>
            <option value="owner">Owner</option>
          </select>
        </div>
        <Button type="submit" variant="primary" busy={busy} disabled={!username.trim()}>
          Add agent
        </Button>
      </div>
      {!usernameError ? <FormError error={error} /> : null}
    </form>
  );
}
