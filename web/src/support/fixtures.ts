// Test fixtures for the support desk's logic tests: Consultations with defaults.
import type { Consultation } from '../api/types';
import { alice, bob, msg } from '../chat/fixtures';

export const acme = { slug: 'acme', name: 'Acme', avatar_url: null };

/** A consultation opened `minute` minutes after midnight (UTC, 2024-01-01). */
export function consultation(id: string, minute: number, overrides: Partial<Consultation> = {}): Consultation {
  const at = new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString();
  return {
    id,
    organization: acme,
    customer: bob,
    subject: `subject ${id}`,
    status: 'waiting',
    assignee: null,
    conversation_id: `conv-${id}`,
    unread_count: 0,
    last_message: msg(1, { conversation_id: `conv-${id}`, sender: bob, created_at: at }),
    created_at: at,
    closed_at: null,
    ...overrides,
  };
}

/** A message in `c`'s conversation at `minute`. */
export function activeAt(c: Consultation, minute: number): Consultation {
  const at = new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString();
  return { ...c, last_message: msg(2, { conversation_id: c.conversation_id, sender: alice, created_at: at }) };
}
