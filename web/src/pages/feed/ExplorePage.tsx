// Explore: everyone's posts, newest first. Open to signed-out visitors too.
import { Link } from 'react-router-dom';
import { fetchPublicPosts } from '../../api/posts';
import { useSession } from '../../session/SessionContext';
import PostList from '../../components/posts/PostList';
import EmptyState from '../../components/EmptyState';

export default function ExplorePage() {
  const { status } = useSession();
  return (
    <div className="stack feed-page">
      <h1 className="page-title">Explore</h1>
      {status === 'signed-out' && (
        <p className="muted">
          <Link to="/signup">Join Parley</Link> to post, like and comment.
        </p>
      )}
      <PostList
        queryKey={['posts', 'public']}
        fetchPage={fetchPublicPosts}
        label="Public feed"
        empty={<EmptyState title="No posts yet">Nobody has posted anything yet.</EmptyState>}
      />
    </div>
  );
}
