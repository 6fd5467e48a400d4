// Unit tests of a consultation's conversation helpers: the customer's "Seen" from the
// agents' shared read marker, and typing names from either side.
import { describe, expect, it } from 'vitest';
import type { Agent } from '../api/types';
import { alice, bob, carol, msg } from '../chat/fixtures';
import { consultation } from './fixtures';
import { agentsSeenReceipt, standInConversation, typistName } from './supportConversation';

describe('agentsSeenReceipt', () => {
  const c = consultation('a', 1);
  const messages = [
    msg(1, { sender: bob }),
    msg(2, { kind: 'auto', sender: null }),
    msg(3, { sender: bob }),
  ];

  it("sits under the customer's latest message the agents have read", () => {
    expect(agentsSeenReceipt(messages, c, bob.id, 2)?.messageId).toBe('m-1');
    expect(agentsSeenReceipt(messages, c, bob.id, 3)?.messageId).toBe('m-3');
  });

  it('is absent before any agent has read', () => {
    expect(agentsSeenReceipt(messages, c, bob.id, 0)).toBeNull();
  });
});

describe('typistName', () => {
  const agents: Agent[] = [{ ...carol, role: 'agent', active_count: 0 }];
  const c = consultation('a', 1, { assignee: alice, status: 'active' });

  it('names the customer and the agents', () => {
    expect(typistName(bob.id, c, 'agent', agents)).toBe('Bob');
    expect(typistName(alice.id, c, 'customer', [])).toBe('Alice');
    expect(typistName(carol.id, c, 'agent', agents)).toBe('carol');
  });

  it('falls back to the organization for the customer', () => {
    expect(typistName('u-someone', c, 'customer', [])).toBe('Acme');
    expect(typistName('u-someone', c, 'agent', [])).toBe('Another agent');
  });
});

describe('standInConversation', () => {
  it('is a support conversation of the customer, titled by the subject', () => {
    const conv = standInConversation(consultation('a', 1));
    expect(conv).toMatchObject({ id: 'conv-a', kind: 'support', title: 'subject a' });
    expect(conv.members.map((m) => m.id)).toEqual([bob.id]);
  });
});
