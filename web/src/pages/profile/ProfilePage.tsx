// /u/:username — a user's profile (header with follow / message / mute / block buttons, or
// "Edit profile" on your own; once blocked, a note with Unblock and Mute instead) and their
// posts below. An unknown username shows "No such user".
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { fetchAuthorPosts } from '../../api/posts';
import { getUser } from '../../api/users';
import { usePresence } from '../../chat/usePresence';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Spinner } from '../../components/Spinner';
import PostList from '../../components/posts/PostList';
import { BlockMuteButtons } from '../../components/profile/BlockMuteButtons';
import { FollowButton } from '../../components/profile/FollowButton';
import { MessageButton } from '../../components/profile/MessageButton';
import { NoSuchUser } from '../../components/profile/NoSuchUser';
import { ProfileHeader } from '../../components/profile/ProfileHeader';
import { normalizeUsername } from '../../components/profile/username';
import { useSession } from '../../session/SessionContext';

export default function ProfilePage() {
  const { username: raw = '' } = useParams();
  const username = normalizeUsername(raw);
  const { status, me } = useSession();
  const location = useLocation();
  const query = useQuery({
    queryKey: ['user', username],
    queryFn: () => getUser(username),
    enabled: username !== '',
  });
  const user = query.data;
  const isMe = !!me && !!user && me.id === user.id;
  // Live online / last-seen for someone else (the ack and `presence` events).
  const presence = usePresence(user && !isMe ? [user.id] : []);
  const live = user ? presence[user.id] : undefined;

  useEffect(() => {
    if (!user) return;
    const previous = document.title;
    document.title = `${user.display_name || user.username} (@${user.username}) · Parley`;
    return () => {
      document.title = previous;
    };
  }, [user]);

  if (query.isPending) return <Spinner label="Loading profile" />;
  if (query.error instanceof ApiError && query.error.status === 404) return <NoSuchUser username={username} />;
  if (!user) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;

  let actions = null;
  if (isMe) {
    actions = (
      <Link className="btn" to="/settings">
        Edit profile
      </Link>
    );
  } else if (status === 'signed-in') {
    actions = user.blocking ? (
      <>
        <p className="profile-blocked-note muted" role="status">
          You blocked this user. You do not see each other&apos;s posts, and they cannot follow or message you.
        </p>
        <BlockMuteButtons user={user} />
      </>
    ) : (
      <>
        <FollowButton user={user} />
        <MessageButton username={user.username} />
        <BlockMuteButtons user={user} />
      </>
    );
  } else if (status === 'signed-out') {
    actions = (
      <Link className="btn btn-primary" to={`/signin?next=${encodeURIComponent(location.pathname)}`}>
        Sign in to follow
      </Link>
    );
  }

  return (
    <div className="stack-lg profile-page">
      <ProfileHeader
        user={user}
        online={live ? live.online : user.online}
        lastSeenAt={live ? live.last_seen_at : user.last_seen_at}
        actions={actions}
      />
      <section className="stack" aria-labelledby="profile-posts-title">
        <h2 id="profile-posts-title" className="profile-posts-title">
          Posts
        </h2>
        <PostList
          key={username}
          queryKey={['posts', 'author', username]}
          fetchPage={(cursor) => fetchAuthorPosts(username, cursor)}
          label={`Posts by @${user.username}`}
          empty={<EmptyState title={isMe ? 'You have not posted yet' : `@${user.username} has not posted yet`} />}
        />
      </section>
    </div>
  );
}
