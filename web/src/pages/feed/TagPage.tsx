// A hashtag's feed: the posts carrying #tag, newest first. Tags are stored lower-cased.
import { useParams } from 'react-router-dom';
import { fetchTagPosts } from '../../api/posts';
import PostList from '../../components/posts/PostList';
import EmptyState from '../../components/EmptyState';

export default function TagPage() {
  const { tag: raw = '' } = useParams();
  const tag = raw.replace(/^#/, '').toLowerCase();
  return (
    <div className="stack feed-page">
      <h1 className="page-title">#{tag}</h1>
      <PostList
        key={tag}
        queryKey={['tag', tag]}
        fetchPage={(cursor) => fetchTagPosts(tag, cursor)}
        label={`Posts tagged #${tag}`}
        empty={<EmptyState title={`No posts with #${tag} yet`} />}
      />
    </div>
  );
}
