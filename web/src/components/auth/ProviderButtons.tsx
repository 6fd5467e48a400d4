// "Continue with <Provider>" for each configured sign-in provider, under an "or" divider:
// plain links, since signing in with a provider is a full navigation to the server, which
// comes back to `returnTo` signed in. Nothing at all (no divider) when none is configured
// or the list cannot be read (the password form still works).
import { providerSignInUrl } from '../../api/identities';
import { useAuthProviders } from '../../identities/queries';
import './providers.css';

interface Props {
  /** The path of this site to come back to once signed in. */
  returnTo: string;
  /** Sign in for 30 days ("Remember me"). */
  remember?: boolean;
}

export function ProviderButtons({ returnTo, remember = false }: Props) {
  const providers = useAuthProviders();
  const items = providers.data ?? [];
  if (items.length === 0) return null;
  return (
    <div className="provider-sign-in stack">
      <p className="provider-divider muted small" aria-hidden="true">
        <span>or</span>
      </p>
      <ul className="provider-list stack" aria-label="Sign in with another account">
        {items.map((p) => (
          <li key={p.name}>
            <a className="btn provider-btn" href={providerSignInUrl(p.name, returnTo, remember)}>
              Continue with {p.display_name}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
