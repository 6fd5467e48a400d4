// Endpoint functions for the developer portal (docs/api.md "Open API for registered
// sites"): my registered sites, registering one, rotating its client secret and deleting
// it. The secret (`client_secret`) comes back only from register and rotate.
import { api } from './client';
import type { Domain, DomainId, DomainTier, NewSecret, Page } from './types';

const DOMAINS = '/developer/domains';
const domain = (id: DomainId) => `${DOMAINS}/${encodeURIComponent(id)}`;

/** My registered sites, oldest first, never their secrets (one page: `next_cursor` is null). */
export function listDomains(opts?: { signal?: AbortSignal }): Promise<Page<Domain>> {
  return api.get<Page<Domain>>(DOMAINS, undefined, opts);
}

/** 201 with the secret, shown this once; 409 `domain_taken`, 422 with a `host` field error. */
export function registerDomain(host: string, tier: DomainTier): Promise<NewSecret> {
  return api.post<NewSecret>(DOMAINS, { host, tier });
}

/** A new secret; the old one and every token made from it stop working at once. */
export function rotateSecret(id: DomainId): Promise<NewSecret> {
  return api.post<NewSecret>(`${domain(id)}/rotate`);
}

/** 204; its tokens stop working at once. */
export function deleteDomain(id: DomainId): Promise<void> {
  return api.del<void>(domain(id));
}
