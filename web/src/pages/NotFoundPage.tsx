// Shown for any path the route table does not know.
import { Link } from 'react-router-dom';
import { EmptyState } from '../components/EmptyState';
import { useSession } from '../session/SessionContext';

export default function NotFoundPage() {
  const { status } = useSession();
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title" className="page-title">
        Page not found
      </h1>
      <EmptyState
        title="There is nothing at this address."
        action={
          <Link className="btn btn-primary" to={status === 'signed-in' ? '/' : '/explore'}>
            {status === 'signed-in' ? 'Go to your timeline' : 'Explore posts'}
          </Link>
        }
      >
        <p>The link may be broken, or the page may have been removed.</p>
      </EmptyState>
    </section>
  );
}
