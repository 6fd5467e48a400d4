// Endpoint functions for signing in with providers (docs/api.md "Accounts and sessions"):
// the configured providers, the browser URL that starts a provider sign-in, and my linked
// identities (list, link, unlink). Signing in is a top-level navigation, never a fetch.
import { API_BASE, api } from './client';
import type { AuthProvider, Identity, OAuthRedirect, Page } from './types';

const IDENTITIES = '/users/me/identities';
const identity = (provider: string) => `${IDENTITIES}/${encodeURIComponent(provider)}`;

/** The configured providers, in the server's order (one page: `next_cursor` is null). */
export function listProviders(opts?: { signal?: AbortSignal }): Promise<Page<AuthProvider>> {
  return api.get<Page<AuthProvider>>('/auth/providers', undefined, opts);
}

/**
 * Where the browser goes to sign in (or sign up) with `provider`; the server comes back to
 * `returnTo` (a path of this site) signed in, or to `/signin?error=oauth_failed`.
 */
export function providerSignInUrl(provider: string, returnTo: string, remember = false): string {
  // Encoded as a query value; `/` may stay as it is there, which keeps the URL readable.
  const query = `return_to=${encodeURIComponent(returnTo).replace(/%2F/g, '/')}`;
  return `${API_BASE}/auth/oauth/${encodeURIComponent(provider)}?${query}${remember ? '&remember=true' : ''}`;
}

/** My linked providers, oldest first. */
export function listIdentities(opts?: { signal?: AbortSignal }): Promise<Page<Identity>> {
  return api.get<Page<Identity>>(IDENTITIES, undefined, opts);
}

/**
 * Starts linking `provider` to my account: the answer's `authorize_url` is where the
 * browser goes next; the provider's answer comes back to `returnTo` (default `/settings`),
 * with `?error=identity_taken` or `?error=oauth_failed` when linking failed.
 */
export function startLink(provider: string, returnTo?: string): Promise<OAuthRedirect> {
  return api.post<OAuthRedirect>(identity(provider), returnTo ? { return_to: returnTo } : {});
}

/** 204; 404 when not linked, 409 `last_sign_in_method` when it is my only way to sign in. */
export function unlinkIdentity(provider: string): Promise<void> {
  return api.del<void>(identity(provider));
}
