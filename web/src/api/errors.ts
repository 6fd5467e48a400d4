// Turns any thrown value into text a person can act on, chosen by the API error code,
// and extracts per-field messages for forms. Never shows raw JSON.
import { ApiError } from './client';

const MESSAGES: Record<string, string> = {
  invalid_credentials: 'Wrong username/email or password.',
  account_suspended: 'This account is suspended by a moderator and cannot sign in.',
  not_admin: 'Only an admin can do this.',
  username_taken: 'This username is taken. Try another one.',
  email_taken: 'An account with this email already exists. Try signing in.',
  session_expired: 'Your session has expired, please sign in again.',
  unauthorized: 'Please sign in to do this.',
  token_expired: 'Your session has expired, please sign in again.',
  invalid_refresh_token: 'Your session has expired, please sign in again.',
  refresh_token_reused: 'Your session was ended for safety. Please sign in again.',
  csrf_failed: 'Your session is out of date. Reload the page and try again.',
  origin_not_allowed: 'This site is not allowed to talk to the server.',
  forbidden: 'You are not allowed to do this.',
  not_found: 'This could not be found. It may have been deleted.',
  gone: 'This is no longer available.',
  conflict: 'This conflicts with a recent change. Reload and try again.',
  payload_too_large: 'That file is too large.',
  unsupported_media_type: 'That file type is not supported. Use JPEG, PNG, GIF or WebP.',
  malformed_json: 'The request was malformed. Please try again.',
  bad_request: 'The request was malformed. Please try again.',
  network_error: 'Could not reach the server. Check your connection and try again.',
  internal_error: 'Something went wrong on our side. Please try again.',
  unavailable: 'The service is temporarily unavailable. Please try again shortly.',
  bad_response: 'The server sent an unexpected response. Please try again.',
  timeout: 'The server took too long to answer. Please try again.',
  // Chat
  too_many_reactions: 'This message has as many different reactions as it can take. Add one of those instead.',
  message_deleted: 'This message was deleted.',
  // Support desk
  not_org_owner: 'Only an owner of this organization can do this.',
  not_agent: 'Only the agents of this organization can do this.',
  already_agent: 'This person is already an agent of this organization.',
  last_owner: 'An organization needs at least one owner. Make someone else an owner first.',
  slug_taken: 'This address is taken by another organization. Try another one.',
  consultation_closed: 'This consultation is closed. Reopen it to send more messages.',
  consultation_not_closed: 'This consultation is still open.',
  not_customer: 'Only the customer who opened this consultation can do this.',
  // Developer portal and Open API
  domain_taken: 'You have registered this host already.',
  invalid_client: 'This client secret is not valid. It may have been rotated, or its site deleted.',
  // Signing in with providers (oauth_failed arrives only as a redirect's `?error=`)
  oauth_failed: 'Signing in with the provider failed. Try again, or use your password.',
  identity_taken:
    'That account is linked to a Parley account already, or you have linked another account of this provider.',
  last_sign_in_method: 'This is your only way to sign in. Set a password or link another account before unlinking it.',
  fresh_sign_in_required: 'For your safety, sign in with your provider again, then delete the account within 10 minutes.',
  // Password-reset and e-mail confirmation links
  invalid_token: 'This link is not valid any more: it may have been used already or have expired.',
};

function rateLimitedMessage(retryAfter?: number): string {
  if (retryAfter && retryAfter > 0) {
    const secs = Math.ceil(retryAfter);
    const wait = secs >= 120 ? `${Math.ceil(secs / 60)} minutes` : `${secs} second${secs === 1 ? '' : 's'}`;
    return `Too many attempts. Please wait ${wait} and try again.`;
  }
  return 'Too many attempts. Please wait a moment and try again.';
}

interface CodedError {
  code: string;
  message?: string;
  fields?: Record<string, string>;
  retryAfter?: number;
  retry_after?: number;
}

function asCoded(err: unknown): CodedError | null {
  if (err instanceof ApiError) return err;
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return err as CodedError;
  }
  return null;
}

/** A human sentence for any error (ApiError, socket ack error, or anything else). */
export function errorMessage(err: unknown): string {
  if (err === null || err === undefined) return '';
  const coded = asCoded(err);
  if (coded) {
    if (coded.code === 'rate_limited') return rateLimitedMessage(coded.retryAfter ?? coded.retry_after);
    if (coded.code === 'validation_failed') {
      const fields = coded.fields ? Object.values(coded.fields) : [];
      if (fields.length > 0) return 'Please fix the highlighted fields.';
      return coded.message || 'Some values are not valid.';
    }
    const known = MESSAGES[coded.code];
    if (known) return known;
    if (coded.message) return coded.message;
  }
  if (err instanceof Error && err.name === 'AbortError') return 'The request was cancelled.';
  if (err instanceof TypeError) return MESSAGES.network_error;
  return 'Something went wrong. Please try again.';
}

/** Field name → message, for showing beside form fields (empty when none). */
export function fieldErrors(err: unknown): Record<string, string> {
  const coded = asCoded(err);
  if (!coded) return {};
  const out: Record<string, string> = { ...(coded.fields ?? {}) };
  // Conflicts name a field even though the server sends no `fields` for them.
  if (coded.code === 'username_taken' && !out.username) out.username = 'This username is taken.';
  if (coded.code === 'email_taken' && !out.email) out.email = 'An account with this email already exists.';
  if (coded.code === 'slug_taken' && !out.slug) out.slug = 'This address is taken.';
  if (coded.code === 'already_agent' && !out.username) out.username = 'Already an agent here.';
  if (coded.code === 'domain_taken' && !out.host) out.host = 'You have registered this host already.';
  return out;
}
