// Registering a site: its host (a host name with an optional port, checked here for a
// scheme or path before asking the server) and its tier. The answer, with the secret,
// goes to the page; the list is updated from it.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrors } from '../../api/errors';
import { registerDomain } from '../../api/developer';
import type { DomainTier, NewSecret } from '../../api/types';
import { storeDomain } from '../../developer/domains';
import { Button } from '../Button';
import { ErrorBanner } from '../ErrorBanner';
import { TextField } from '../Field';

/** A local reason to refuse `host` before sending it (the server decides the rest). */
export function hostProblem(host: string): string | undefined {
  if (!host) return 'Enter the host name of your site.';
  if (host.includes('://') || host.includes('/')) return 'Only the host and port: no http://, https:// or path.';
  if (/\s/.test(host)) return 'A host name has no spaces.';
  return undefined;
}

export function RegisterDomainForm({ onRegistered }: { onRegistered: (created: NewSecret) => void }) {
  const qc = useQueryClient();
  const [host, setHost] = useState('');
  const [tier, setTier] = useState<DomainTier>('free');
  const [localError, setLocalError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const hostError = localError ?? fieldErrors(error).host;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const value = host.trim();
    const problem = hostProblem(value);
    setLocalError(problem);
    setError(null);
    if (problem) return;
    setBusy(true);
    try {
      const created = await registerDomain(value, tier);
      storeDomain(qc, created);
      setHost('');
      onRegistered(created);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="register-domain-title">
      <h2 id="register-domain-title">Register a site</h2>
      <form className="stack" onSubmit={(e) => void onSubmit(e)} aria-label="Register a site" noValidate>
        <TextField
          label="Host"
          name="host"
          value={host}
          placeholder="shop.example.com"
          autoCapitalize="none"
          autoComplete="off"
          spellCheck={false}
          maxLength={260}
          onChange={(e) => setHost(e.target.value)}
          error={hostError}
          hint="A host name with an optional port, without scheme or path: shop.example.com or localhost:3000."
        />
        <div className="field">
          <label htmlFor="domain-tier">Tier</label>
          <select
            id="domain-tier"
            value={tier}
            aria-describedby="domain-tier-hint"
            onChange={(e) => setTier(e.target.value as DomainTier)}
          >
            <option value="free">Free</option>
            <option value="premium">Premium</option>
          </select>
          <span id="domain-tier-hint" className="field-hint">
            The tier decides how many calls a minute the site may make.
          </span>
        </div>
        {!hostError ? <ErrorBanner error={error} /> : null}
        <div>
          <Button type="submit" variant="primary" busy={busy}>
            Register site
          </Button>
        </div>
      </form>
    </section>
  );
}
