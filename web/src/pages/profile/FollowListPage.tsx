// /u/:username/followers and /u/:username/following — a paged list of people, each row
// linking to their profile, with tabs to switch between the two lists.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, NavLink, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { listFollows, type FollowSide } from '../../api/users';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Spinner } from '../../components/Spinner';
import { NoSuchUser } from '../../components/profile/NoSuchUser';
import { PagedUserList } from '../../components/profile/PagedUserList';
import { normalizeUsername } from '../../components/profile/username';
import '../../components/profile/profile.css';

// Re-exported so list screens can import the row from here too.
export { UserRow } from '../../components/profile/UserRow';

const TITLES: Record<FollowSide, (u: string) => string> = {
  followers: (u) => `People following @${u}`,
  following: (u) => `People @${u} follows`,
};

const EMPTY: Record<FollowSide, (u: string) => string> = {
  followers: (u) => `Nobody follows @${u} yet`,
  following: (u) => `@${u} does not follow anyone yet`,
};

export default function FollowListPage({ kind }: { kind: FollowSide }) {
  const { username: raw = '' } = useParams();
  const username = normalizeUsername(raw);
  const base = `/u/${encodeURIComponent(username)}`;

  const query = useInfiniteQuery({
    queryKey: [kind, username],
    queryFn: ({ pageParam }) => listFollows(username, kind, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: username !== '',
  });

  let body;
  if (query.isPending) {
    body = <Spinner label={`Loading ${kind}`} />;
  } else if (query.error instanceof ApiError && query.error.status === 404 && !query.data) {
    return <NoSuchUser username={username} />;
  } else if (!query.data) {
    body = <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  } else {
    // A person may move between pages while the list changes; show each once.
    const seen = new Set<string>();
    const users = query.data.pages.flatMap((p) => p.items).filter((u) => !seen.has(u.id) && seen.add(u.id));
    body =
      users.length === 0 ? (
        <EmptyState title={EMPTY[kind](username)} />
      ) : (
        <PagedUserList query={query} users={users} label={TITLES[kind](username)} />
      );
  }

  return (
    <div className="stack follow-list-page">
      <p className="small">
        <Link to={base}>
          <span aria-hidden="true">← </span>@{username}
        </Link>
      </p>
      <h1 className="page-title">{TITLES[kind](username)}</h1>
      <nav aria-label="Follow lists">
        <ul className="follow-tabs">
          <li>
            <NavLink to={`${base}/followers`}>Followers</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/following`}>Following</NavLink>
          </li>
        </ul>
      </nav>
      <section className="card">{body}</section>
    </div>
  );
}
