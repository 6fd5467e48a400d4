// Unit tests for the paged message cache (['messages', id]) and the outbox store.
import { describe, expect, it, vi } from 'vitest';
import type { Message, Page } from '../api/types';
import { msg } from './fixtures';
import { deleteInPages, flattenPages, mergeIntoPages, olderPageParam, type MessagesData } from './messageCache';
import { Outbox } from './outbox';

const page = (items: Message[], next_cursor: string | null = null): Page<Message> => ({ items, next_cursor });

// Newest page first, as the infinite query holds them.
const data = (): MessagesData => ({
  pages: [page([msg(4), msg(5), msg(6)], 'x'), page([msg(1), msg(2), msg(3)])],
  pageParams: [null, 4],
});

describe('message pages', () => {
  it('flattens oldest → newest', () => {
    expect(flattenPages(data()).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(flattenPages(undefined)).toEqual([]);
  });

  it('asks for the page before the lowest seq while there are older ones', () => {
    expect(olderPageParam(page([msg(4), msg(5)], 'cursor'))).toBe(4);
    expect(olderPageParam(page([msg(1)], null))).toBeUndefined();
  });

  it('appends new messages to the newest page, once', () => {
    const d = mergeIntoPages(data(), [msg(7), msg(7), msg(6)]);
    expect(d.pages[0]?.items.map((m) => m.seq)).toEqual([4, 5, 6, 7]);
    expect(mergeIntoPages(d, [msg(7)])).toBe(d);
  });

  it('replaces an edited message in the page that holds it', () => {
    const before = data();
    const d = mergeIntoPages(before, [msg(2, { text: 'edited' })]);
    expect(d.pages[1]?.items[1]?.text).toBe('edited');
    expect(d.pages[0]).toBe(before.pages[0]);
    expect(flattenPages(d)).toHaveLength(6);
  });

  it('marks a deletion wherever the message is', () => {
    const d = deleteInPages(data(), 'm-1');
    expect(d.pages[1]?.items[0]?.deleted).toBe(true);
    expect(deleteInPages(d, 'unknown')).toBe(d);
  });
});

describe('Outbox', () => {
  it('tracks a message through sending, failure, retry and delivery', () => {
    const box = new Outbox();
    const listener = vi.fn();
    box.subscribe(listener);
    box.add('c', 'hello', 'cid');
    expect(box.get('c')).toMatchObject([{ status: 'sending', client_id: 'cid' }]);
    box.failed('c', 'cid', 'Not connected');
    expect(box.get('c')[0]).toMatchObject({ status: 'failed', error: 'Not connected' });
    const again = box.retrying('c', 'cid');
    expect(again).toMatchObject({ status: 'sending', client_id: 'cid', text: 'hello' });
    box.remove('c', 'cid');
    expect(box.get('c')).toEqual([]);
    expect(listener).toHaveBeenCalledTimes(4);
  });

  it('keeps a stable empty array and ignores unknown ids', () => {
    const box = new Outbox();
    expect(box.get('x')).toBe(box.get('y'));
    expect(box.retrying('x', 'nope')).toBeNull();
  });
});
