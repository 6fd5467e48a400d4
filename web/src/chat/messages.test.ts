// Unit tests for merging/deduplicating message lists and the optimistic state transitions.
import { describe, expect, it } from 'vitest';
import { alice, bob, msg } from './fixtures';
import {
  highestSeq,
  leavesGap,
  lowestSeq,
  markDeleted,
  mergeMessages,
  newPending,
  pendingFailed,
  pendingRetrying,
  visiblePending,
} from './messages';

describe('mergeMessages', () => {
  it('orders by seq whatever the arrival order', () => {
    const merged = mergeMessages([msg(3), msg(1)], [msg(4), msg(2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('keeps one entry per id (a live message:new that a sync returns again)', () => {
    const merged = mergeMessages([msg(1), msg(2)], [msg(2), msg(3), msg(3)]);
    expect(merged.map((m) => m.id)).toEqual(['m-1', 'm-2', 'm-3']);
  });

  it('returns the same array when nothing changed', () => {
    const held = [msg(1), msg(2)];
    expect(mergeMessages(held, [])).toBe(held);
    expect(mergeMessages(held, [msg(2)])).toBe(held);
  });

  it('applies an edit (message:updated)', () => {
    const edited = msg(2, { text: 'fixed', edited_at: '2024-01-02T00:00:00Z' });
    const merged = mergeMessages([msg(1), msg(2)], [edited]);
    expect(merged[1]).toBe(edited);
  });

  it('never resurrects a deleted message from a stale copy', () => {
    const held = markDeleted([msg(1), msg(2)], 'm-2');
    const merged = mergeMessages(held, [msg(2)]);
    expect(merged[1]?.deleted).toBe(true);
    expect(merged[1]?.text).toBe('');
  });
});

describe('markDeleted', () => {
  it('empties the message but keeps its place', () => {
    const out = markDeleted([msg(1), msg(2), msg(3)], 'm-2');
    expect(out.map((m) => [m.seq, m.deleted])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it('is a no-op for an unknown id', () => {
    const held = [msg(1)];
    expect(markDeleted(held, 'nope')).toBe(held);
  });
});

describe('seq helpers', () => {
  it('finds the highest and lowest seq', () => {
    expect(highestSeq([])).toBe(0);
    expect(lowestSeq([])).toBeNull();
    expect(highestSeq([msg(4), msg(9), msg(2)])).toBe(9);
    expect(lowestSeq([msg(4), msg(9), msg(2)])).toBe(2);
  });

  it('detects a gap (a missed message) but not the next one or a duplicate', () => {
    const held = [msg(1), msg(2)];
    expect(leavesGap(held, msg(3))).toBe(false);
    expect(leavesGap(held, msg(2))).toBe(false);
    expect(leavesGap(held, msg(5))).toBe(true);
    expect(leavesGap([], msg(7))).toBe(false);
  });
});

describe('optimistic messages', () => {
  it('moves sending → failed → sending, keeping the client_id', () => {
    const p = newPending('c-1', 'hi', 'cid-1', [], new Date('2024-01-01T00:00:00Z'));
    expect(p).toMatchObject({ status: 'sending', client_id: 'cid-1', error: null });
    const failed = pendingFailed(p, 'timeout');
    expect(failed).toMatchObject({ status: 'failed', client_id: 'cid-1', error: 'timeout' });
    const again = pendingRetrying(failed);
    expect(again).toMatchObject({ status: 'sending', client_id: 'cid-1', error: null });
    expect(again.created_at).toBe(p.created_at);
  });

  it('hides a pending message once its stored copy is held (dedupe by client_id)', () => {
    const pending = [newPending('c-1', 'a', 'cid-a'), newPending('c-1', 'b', 'cid-b')];
    const stored = [msg(1, { sender: alice, client_id: 'cid-a' })];
    expect(visiblePending(pending, stored, alice.id).map((p) => p.client_id)).toEqual(['cid-b']);
  });

  it("matches client_ids per sender: someone else's equal client_id is not mine", () => {
    const pending = [newPending('c-1', 'a', 'cid-a')];
    const stored = [msg(1, { sender: bob, client_id: 'cid-a' })];
    expect(visiblePending(pending, stored, alice.id)).toHaveLength(1);
  });
});
