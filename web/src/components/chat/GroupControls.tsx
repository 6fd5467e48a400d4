// Group chat controls in the conversation header: "Add member" (POST /members) and
// "Leave group" (DELETE /members/me, after a confirmation), each opening a small panel.
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { addMember, leaveConversation } from '../../api/chat';
import { errorMessage, fieldErrors } from '../../api/errors';
import type { Conversation, Page } from '../../api/types';
import { conversationKey, conversationsKey, messagesKey } from '../../chat/chatCache';

type Panel = 'none' | 'add' | 'leave';

export function GroupControls({ conversation }: { conversation: Conversation }) {
  const [panel, setPanel] = useState<Panel>('none');
  const toggle = (p: Panel) => setPanel((cur) => (cur === p ? 'none' : p));
  return (
    <div className="chat-group-controls">
      <div className="row">
        <button type="button" className="btn btn-small" aria-expanded={panel === 'add'} onClick={() => toggle('add')}>
          Add member
        </button>
        <button type="button" className="btn btn-small" aria-expanded={panel === 'leave'} onClick={() => toggle('leave')}>
          Leave
        </button>
      </div>
      {panel === 'add' ? <AddMemberForm conversation={conversation} onDone={() => setPanel('none')} /> : null}
      {panel === 'leave' ? <LeaveConfirm conversation={conversation} onCancel={() => setPanel('none')} /> : null}
    </div>
  );
}

function AddMemberForm({ conversation, onDone }: { conversation: Conversation; onDone: () => void }) {
  const qc = useQueryClient();
  const id = useId();
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = username.trim().replace(/^@/, '').toLowerCase();
    if (!name) {
      setError('Enter a username.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await addMember(conversation.id, name);
      qc.setQueryData(conversationKey(conversation.id), updated);
      qc.setQueryData<Page<Conversation>>(conversationsKey, (old) =>
        old ? { ...old, items: old.items.map((c) => (c.id === updated.id ? updated : c)) } : old,
      );
      onDone();
    } catch (err) {
      const fields = fieldErrors(err);
      setError(fields.username ?? errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <form className="chat-panel stack" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={id}>Username to add</label>
        <input
          id={id}
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          autoFocus
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error ? (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          Add
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function LeaveConfirm({ conversation, onCancel }: { conversation: Conversation; onCancel: () => void }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const leave = async () => {
    setBusy(true);
    try {
      await leaveConversation(conversation.id);
      qc.setQueryData<Page<Conversation>>(conversationsKey, (old) =>
        old ? { ...old, items: old.items.filter((c) => c.id !== conversation.id) } : old,
      );
      navigate('/chat', { replace: true });
      // Forget it once the view is gone: removing a query that is still observed would
      // make the view fetch it again (and get a 404, since I am no longer a member).
      setTimeout(() => {
        qc.removeQueries({ queryKey: conversationKey(conversation.id) });
        qc.removeQueries({ queryKey: messagesKey(conversation.id) });
      }, 500);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <div className="chat-panel stack" role="group" aria-label="Leave this group?">
      <p>Leave this group? You will stop receiving its messages.</p>
      <div className="row">
        <button type="button" className="btn btn-danger btn-small" onClick={() => void leave()} disabled={busy}>
          Leave group
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
    </div>
  );
}
