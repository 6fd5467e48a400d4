// Home: the composer, then my timeline (my posts and those of people I follow), with new posts
// arriving live over the socket. After a reconnect the timeline is re-read to catch up.
import { Link } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { fetchTimeline } from '../../api/posts';
import { useReconnect } from '../../realtime/RealtimeContext';
import { useSession } from '../../session/SessionContext';
import Composer from '../../components/posts/Composer';
import PostList from '../../components/posts/PostList';
import { usePostEvents } from '../../components/posts/usePostEvents';
import EmptyState from '../../components/EmptyState';
import Spinner from '../../components/Spinner';

export default function HomePage() {
  const { status } = useSession();
  const qc = useQueryClient();
  usePostEvents({ prependCreated: true });
  useReconnect(() => void qc.invalidateQueries({ queryKey: ['timeline'] }));

  if (status === 'loading') return <Spinner label="Loading" />;
  if (status !== 'signed-in') {
    // The route normally requires sign-in; this is only a safety net.
    return (
      <EmptyState
        title="Welcome to Parley"
        action={
          <Link to="/explore" className="btn btn-primary">
            Explore posts
          </Link>
        }
      >
        <p>
          <Link to="/signin">Sign in</Link> or <Link to="/signup">sign up</Link> to see your timeline.
        </p>
      </EmptyState>
    );
  }

  return (
    <div className="stack feed-page">
      <h1 className="page-title">Home</h1>
      <Composer />
      <PostList
        queryKey={['timeline']}
        fetchPage={fetchTimeline}
        label="Home timeline"
        empty={
          <EmptyState
            title="Your timeline is empty"
            action={
              <Link to="/explore" className="btn btn-primary">
                Visit Explore
              </Link>
            }
          >
            <p>Follow people to see their posts here, or write your first post above.</p>
          </EmptyState>
        }
      />
    </div>
  );
}
