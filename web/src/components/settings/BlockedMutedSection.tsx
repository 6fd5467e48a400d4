// Settings: the people I block and the people I mute, two paged lists (most recent first),
// each person with Unblock / Unmute (at once, no confirmation: it is easily undone).
import type { UserSummary } from '../../api/types';
import { useBlockMutation, useMuteMutation, usePagedList } from '../../blocks/queries';
import { Button } from '../Button';
import { ErrorBanner } from '../ErrorBanner';
import { errorMessage } from '../../api/errors';
import { Spinner } from '../Spinner';
import { PagedUserList } from '../profile/PagedUserList';

type Kind = 'blocks' | 'mutes';

const TEXT: Record<Kind, { title: string; label: string; empty: string; loading: string }> = {
  blocks: { title: 'Blocked', label: 'People you block', empty: 'You do not block anyone', loading: 'Loading blocked people' },
  mutes: { title: 'Muted', label: 'People you mute', empty: 'You do not mute anyone', loading: 'Loading muted people' },
};

function LiftButton({ kind, user }: { kind: Kind; user: UserSummary }) {
  const block = useBlockMutation(user.username);
  const mute = useMuteMutation(user.username);
  const mutation = kind === 'blocks' ? block : mute;
  const verb = kind === 'blocks' ? 'Unblock' : 'Unmute';
  return (
    <span className="follow-button">
      <Button busy={mutation.isPending} onClick={() => mutation.mutate(false)} aria-label={`${verb} @${user.username}`}>
        {verb}
      </Button>
      {mutation.isError ? (
        <span className="field-error" role="alert">
          {errorMessage(mutation.error)}
        </span>
      ) : null}
    </span>
  );
}

function PeopleList({ kind }: { kind: Kind }) {
  const query = usePagedList(kind);
  const text = TEXT[kind];
  let body;
  if (query.isPending) body = <Spinner label={text.loading} />;
  else if (!query.data) body = <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  else {
    const seen = new Set<string>();
    const users = query.data.pages.flatMap((p) => p.items).filter((u) => !seen.has(u.id) && seen.add(u.id));
    body =
      users.length === 0 ? (
        <p className="muted">{text.empty}</p>
      ) : (
        <PagedUserList
          query={query}
          users={users}
          label={text.label}
          trailing={(u) => <LiftButton kind={kind} user={u} />}
        />
      );
  }
  return (
    <div className="stack">
      <h3>{text.title}</h3>
      {body}
    </div>
  );
}

export function BlockedMutedSection() {
  return (
    <section className="card stack" aria-labelledby="blocked-muted-title">
      <h2 id="blocked-muted-title">Blocked and muted</h2>
      <p className="muted">
        Blocked people and you do not see each other&apos;s posts, and they cannot follow or message you. Muted people&apos;s
        posts leave your feeds and search; they are not told.
      </p>
      <PeopleList kind="blocks" />
      <PeopleList kind="mutes" />
    </section>
  );
}
