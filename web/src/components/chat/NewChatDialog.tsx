// The "New chat" dialog: pick one or more people (typed usernames, with suggestions from
// GET /users?q=), optionally a group title, then POST /conversations. One person and no
// title opens (or reopens) the direct chat; otherwise a group is created.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { startConversation } from '../../api/chat';
import { errorMessage, fieldErrors } from '../../api/errors';
import type { Conversation, Page, UserSummary } from '../../api/types';
import { searchUsers } from '../../api/users';
import { conversationKey, conversationsKey } from '../../chat/chatCache';
import { displayName } from '../../chat/conversations';
import { useSession } from '../../session/SessionContext';
import { Avatar } from '../Avatar';
import { Modal } from './Modal';

const USERNAME = /^[a-z0-9_]{3,30}$/;
const SEARCH_DELAY_MS = 250;

function normalise(raw: string): string {
  return raw.trim().replace(/^@/, '').toLowerCase();
}

/** Debounced user search for the suggestions (errors just mean no suggestions). */
function useUserSuggestions(q: string): UserSummary[] {
  const [found, setFound] = useState<UserSummary[]>([]);
  useEffect(() => {
    const query = normalise(q);
    if (query.length === 0) {
      setFound([]);
      return;
    }
    let cancelled = false;
    const t = setTimeout(() => {
      searchUsers(query, null, 6)
        .then((page) => !cancelled && setFound(page.items))
        .catch(() => !cancelled && setFound([]));
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [q]);
  return found;
}

export function NewChatDialog({
  onClose,
  onStarted,
}: {
  onClose: () => void;
  onStarted: (conversation: Conversation) => void;
}) {
  const qc = useQueryClient();
  const { me } = useSession();
  const ids = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [people, setPeople] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [title, setTitle] = useState('');
  const [peopleError, setPeopleError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const suggestions = useUserSuggestions(draft).filter(
    (u) => u.id !== me?.id && !people.includes(u.username),
  );

  const add = (raw: string): boolean => {
    const name = normalise(raw);
    if (!name) return false;
    if (!USERNAME.test(name)) {
      setPeopleError('A username is 3–30 letters, digits or _.');
      return false;
    }
    if (name === me?.username) {
      setPeopleError('You are in the chat already; add someone else.');
      return false;
    }
    setPeopleError(null);
    setPeople((p) => (p.includes(name) ? p : [...p, name]));
    setDraft('');
    inputRef.current?.focus();
    return true;
  };

  const onDraftKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      // Enter adds the typed name; the form is submitted with the button.
      e.preventDefault();
      add(draft);
    } else if (e.key === 'Backspace' && draft === '' && people.length > 0) {
      setPeople((p) => p.slice(0, -1));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A name typed but not yet added counts too.
    if (draft.trim() && !add(draft)) return;
    const typed = normalise(draft);
    const all = typed && !people.includes(typed) ? [...people, typed] : people;
    if (all.length === 0) {
      setPeopleError('Add at least one person.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const conversation = await startConversation(all, title);
      qc.setQueryData(conversationKey(conversation.id), conversation);
      qc.setQueryData<Page<Conversation>>(conversationsKey, (old) =>
        old && !old.items.some((c) => c.id === conversation.id)
          ? { ...old, items: [conversation, ...old.items] }
          : old,
      );
      void qc.invalidateQueries({ queryKey: conversationsKey });
      onStarted(conversation);
    } catch (err) {
      const fields = fieldErrors(err);
      if (fields.usernames) setPeopleError(fields.usernames);
      else setError(err);
      setBusy(false);
    }
  };

  return (
    <Modal title="New chat" onClose={onClose} initialFocus={inputRef}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field" data-invalid={peopleError ? 'true' : undefined}>
          <label htmlFor={`${ids}-people`}>Add people</label>
          {people.length > 0 ? (
            <ul className="chat-chips" aria-label="People in the new chat">
              {people.map((name) => (
                <li key={name} className="chat-chip">
                  <span>@{name}</span>
                  <button
                    type="button"
                    className="chat-chip-remove"
                    aria-label={`Remove ${name}`}
                    onClick={() => setPeople((p) => p.filter((n) => n !== name))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="row chat-add-row">
            <input
              ref={inputRef}
              id={`${ids}-people`}
              type="text"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              placeholder="username"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onDraftKey}
              aria-invalid={peopleError ? true : undefined}
              aria-describedby={peopleError ? `${ids}-people-error` : `${ids}-people-hint`}
            />
            <button type="button" className="btn" onClick={() => add(draft)} disabled={!draft.trim()}>
              Add
            </button>
          </div>
          {peopleError ? (
            <p id={`${ids}-people-error`} className="field-error" role="alert">
              {peopleError}
            </p>
          ) : (
            <p id={`${ids}-people-hint`} className="field-hint">
              Type a username and press Enter, or pick a suggestion.
            </p>
          )}
          {suggestions.length > 0 ? (
            <ul className="chat-suggestions" aria-label="Suggestions">
              {suggestions.map((u) => (
                <li key={u.id}>
                  <button
                    type="button"
                    className="chat-suggestion"
                    aria-label={`Add ${u.username}`}
                    onClick={() => add(u.username)}
                  >
                    <Avatar user={u} size={28} />
                    <span>{displayName(u)}</span>
                    <span className="muted">@{u.username}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-title`}>Group title (optional)</label>
          <input
            id={`${ids}-title`}
            type="text"
            maxLength={100}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-describedby={`${ids}-title-hint`}
          />
          <p id={`${ids}-title-hint`} className="field-hint">
            With a title or more than one person, this becomes a group chat.
          </p>
        </div>
        {error ? (
          <p className="error-banner" role="alert">
            {errorMessage(error)}
          </p>
        ) : null}
        <div className="row chat-dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy || undefined}>
            Start chat
          </button>
        </div>
      </form>
    </Modal>
  );
}
