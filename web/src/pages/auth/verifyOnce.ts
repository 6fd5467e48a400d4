// Follows an e-mail confirmation link at most once per token and page load: React's strict
// mode runs effects twice, and a second POST of a used token would answer `invalid_token`.
import { verifyEmail } from '../../api/recovery';

const attempts = new Map<string, Promise<void>>();

export function verifyOnce(token: string): Promise<void> {
  let attempt = attempts.get(token);
  if (!attempt) {
    attempt = verifyEmail(token);
    attempts.set(token, attempt);
    // A failure may be passing (network): a later visit may try again.
    attempt.catch(() => attempts.delete(token));
  }
  return attempt;
}
