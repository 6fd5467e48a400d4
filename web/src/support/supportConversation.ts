// Pure helpers for a consultation's conversation: a stand-in Conversation until the real
// one loads, the "Seen" receipt its customer gets from the agents' shared read marker, and
// the names of who is typing.
import type { Agent, Consultation, Conversation, Member, Message } from '../api/types';
import { displayName, seenReceipt, type SeenReceipt } from '../chat/conversations';

export function standInConversation(c: Consultation): Conversation {
  return {
    id: c.conversation_id,
    kind: 'support',
    title: c.subject,
    members: [{ ...c.customer, last_read_seq: 0 }],
    last_message: c.last_message,
    unread_count: c.unread_count,
    last_seq: c.last_message?.seq ?? 0,
    created_at: c.created_at,
  };
}

/**
 * The receipt under the customer's latest message the organization's agents have read:
 * agents share one read marker (`agentsSeq`, from their `read` events).
 */
export function agentsSeenReceipt(
  messages: readonly Message[],
  c: Consultation,
  myId: string,
  agentsSeq: number,
): SeenReceipt | null {
  if (agentsSeq <= 0) return null;
  const org: Member = {
    id: `org:${c.organization.slug}`,
    username: c.organization.slug,
    display_name: c.organization.name,
    avatar_url: c.organization.avatar_url,
    last_read_seq: agentsSeq,
  };
  return seenReceipt(messages, [org], myId);
}

/** Who a typing user id is, seen from `view`. */
export function typistName(
  userId: string,
  c: Consultation,
  view: 'customer' | 'agent',
  agents: readonly Agent[],
): string {
  if (userId === c.customer.id) return displayName(c.customer);
  if (c.assignee?.id === userId) return displayName(c.assignee);
  const agent = agents.find((a) => a.id === userId);
  if (agent) return displayName(agent);
  return view === 'customer' ? c.organization.name : 'Another agent';
}
