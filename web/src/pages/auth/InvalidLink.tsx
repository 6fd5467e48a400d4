// The banner for a reset or confirmation link the server refused (`invalid_token`, or no
// token in the address at all), with where to go next.
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';

export function InvalidLink({ to, label }: { to: string; label: string }) {
  return (
    <div className="error-banner" role="alert">
      <span>{errorMessage({ code: 'invalid_token' })}</span>
      <Link to={to}>{label}</Link>
    </div>
  );
}
