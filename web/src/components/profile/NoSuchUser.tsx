// What a profile or follow list shows for a username that does not exist (404).
import { Link } from 'react-router-dom';
import { EmptyState } from '../EmptyState';

export function NoSuchUser({ username }: { username: string }) {
  return (
    <EmptyState
      title="No such user"
      action={
        <Link className="btn" to="/search">
          Search people
        </Link>
      }
    >
      There is nobody called @{username} here.
    </EmptyState>
  );
}

export default NoSuchUser;
