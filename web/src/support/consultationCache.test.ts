// Unit tests of merging a consultation into cached lists: the order of each list (waiting
// oldest first, the others most recently active first), leaving a status tab when the
// status changes, and not inserting past the loaded pages.
import { describe, expect, it } from 'vitest';
import type { Consultation, Page } from '../api/types';
import { alice, bob } from '../chat/fixtures';
import {
  belongsTo,
  filterOfKey,
  setUnreadInPages,
  upsertInPages,
  type ConsultationPages,
  type ListFilter,
} from './consultationCache';
import { activeAt, consultation } from './fixtures';
import { myConsultationsKey, queueKey } from './keys';

function pages(...lists: Array<{ items: Consultation[]; next?: string | null }>): ConsultationPages {
  return {
    pages: lists.map((l): Page<Consultation> => ({ items: l.items, next_cursor: l.next ?? null })),
    pageParams: lists.map((_, i) => (i === 0 ? null : `c${i}`)),
  };
}

const ids = (data: ConsultationPages) => data.pages.map((p) => p.items.map((c) => c.id));

const waiting: ListFilter = { scope: { queue: 'acme' }, status: 'waiting', assignee: null };
const active: ListFilter = { scope: { queue: 'acme' }, status: 'active', assignee: null };

describe('upsertInPages: the waiting queue, oldest first', () => {
  const a = consultation('a', 1);
  const b = consultation('b', 5);

  it('appends a new consultation at the end when all pages are loaded', () => {
    const data = pages({ items: [a, b] });
    expect(ids(upsertInPages(data, consultation('n', 9), waiting))).toEqual([['a', 'b', 'n']]);
  });

  it('puts an older one before newer ones', () => {
    const data = pages({ items: [a, b] });
    expect(ids(upsertInPages(data, consultation('m', 3), waiting))).toEqual([['a', 'm', 'b']]);
  });

  it('keeps a waiting one in place when a message arrives (order is by creation)', () => {
    const data = pages({ items: [a, b] });
    const next = upsertInPages(data, activeAt(a, 30), waiting);
    expect(ids(next)).toEqual([['a', 'b']]);
    expect(next.pages[0]?.items[0]?.last_message?.seq).toBe(2);
  });

  it('does not insert past the loaded pages when more are to come', () => {
    const data = pages({ items: [a, b], next: 'more' });
    expect(upsertInPages(data, consultation('n', 9), waiting)).toBe(data);
  });

  it('removes it when it is assigned (no longer waiting)', () => {
    const data = pages({ items: [a, b] });
    const next = upsertInPages(data, { ...a, status: 'active', assignee: alice }, waiting);
    expect(ids(next)).toEqual([['b']]);
  });

  it('ignores another organization and leaves the data untouched', () => {
    const data = pages({ items: [a, b] });
    const other = consultation('x', 2, { organization: { slug: 'globex', name: 'Globex', avatar_url: null } });
    expect(upsertInPages(data, other, waiting)).toBe(data);
  });
});

describe('upsertInPages: other lists, most recently active first', () => {
  const a = { ...consultation('a', 1), status: 'active' as const, assignee: alice };
  const b = { ...consultation('b', 5), status: 'active' as const, assignee: alice };

  it('moves one with a new message to the top, across pages', () => {
    const data = pages({ items: [b], next: 'p2' }, { items: [a] });
    expect(ids(upsertInPages(data, activeAt(a, 40), active))).toEqual([['a', 'b'], []]);
  });

  it('inserts a newly assigned one by its activity', () => {
    const data = pages({ items: [activeAt(b, 20), a] });
    const c = { ...consultation('c', 10), status: 'active' as const, assignee: alice };
    expect(ids(upsertInPages(data, c, active))).toEqual([['b', 'c', 'a']]);
  });

  it('fills the "mine" tab by assignee only', () => {
    const mine: ListFilter = { scope: { queue: 'acme' }, status: null, assignee: 'alice' };
    const data = pages({ items: [] });
    expect(ids(upsertInPages(data, a, mine))).toEqual([['a']]);
    const toBob = { ...a, assignee: bob };
    expect(ids(upsertInPages(pages({ items: [a] }), toBob, mine))).toEqual([[]]);
  });

  it('moves a closed one out of the active tab', () => {
    const closed = { ...a, status: 'closed' as const, closed_at: '2024-01-01T01:00:00.000Z' };
    expect(ids(upsertInPages(pages({ items: [b, a] }), closed, active))).toEqual([['b']]);
    const closedTab: ListFilter = { ...active, status: 'closed' };
    expect(ids(upsertInPages(pages({ items: [] }), closed, closedTab))).toEqual([['a']]);
  });
});

describe('belongsTo: a customer list', () => {
  it('holds only my own consultations, any status', () => {
    const mine: ListFilter = { scope: { customer: bob.id }, status: null, assignee: null };
    expect(belongsTo(consultation('a', 1), mine)).toBe(true);
    expect(belongsTo(consultation('a', 1, { status: 'closed' }), mine)).toBe(true);
    expect(belongsTo(consultation('a', 1, { customer: alice }), mine)).toBe(false);
  });
});

describe('setUnreadInPages', () => {
  it('sets the count where held, and keeps the data when nothing changes', () => {
    const data = pages({ items: [consultation('a', 1, { unread_count: 3 }), consultation('b', 2)] });
    const next = setUnreadInPages(data, 'a', 0);
    expect(next.pages[0]?.items.map((c) => c.unread_count)).toEqual([0, 0]);
    expect(setUnreadInPages(next, 'a', 0)).toBe(next);
  });
});

describe('filterOfKey', () => {
  it('reads the filter back from the query keys', () => {
    expect(filterOfKey(myConsultationsKey(null), 'me')).toEqual({ scope: { customer: 'me' }, status: null, assignee: null });
    expect(filterOfKey(queueKey('acme', 'waiting', null), 'me')).toEqual(waiting);
    expect(filterOfKey(queueKey('acme', null, 'alice'), 'me')).toEqual({
      scope: { queue: 'acme' },
      status: null,
      assignee: 'alice',
    });
    expect(filterOfKey(['conversations'], 'me')).toBeNull();
  });
});
