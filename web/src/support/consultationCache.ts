// Pure merging of a consultation (from `consultation:updated`, or the answer to assign /
// close / reopen) into a cached list of consultations: an infinite query of pages whose
// key says what it lists (support/keys.ts). The consultation leaves a list whose filter it
// no longer matches (its status changed) and takes its place in one it matches, in the
// server's order: `waiting` oldest first by created_at, any other list most recently
// active first. A place after the last loaded item belongs to a page not loaded yet.
import type { InfiniteData } from '@tanstack/react-query';
import type { Consultation, ConsultationStatus, Page } from '../api/types';

export type ConsultationPages = InfiniteData<Page<Consultation>, string | null>;

export interface ListFilter {
  /** An organization's queue (by slug), or the customer's own list. */
  scope: { queue: string } | { customer: string };
  status: ConsultationStatus | null;
  /** Only this agent's (a username); null: anyone's. */
  assignee: string | null;
}

function time(iso: string | null | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** When it was last active: its last message, its closing, or its opening. */
export function lastActivity(c: Consultation): number {
  return Math.max(time(c.created_at), time(c.last_message?.created_at), time(c.closed_at));
}

/** Whether `c` belongs in the list `filter` describes. */
export function belongsTo(c: Consultation, filter: ListFilter): boolean {
  if ('queue' in filter.scope) {
    if (c.organization.slug !== filter.scope.queue) return false;
  } else if (c.customer.id !== filter.scope.customer) {
    return false;
  }
  if (filter.status !== null && c.status !== filter.status) return false;
  if (filter.assignee !== null && c.assignee?.username !== filter.assignee) return false;
  return true;
}

/** The list's order: negative when `a` comes before `b`. */
export function compareIn(status: ConsultationStatus | null): (a: Consultation, b: Consultation) => number {
  if (status === 'waiting') {
    return (a, b) => time(a.created_at) - time(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }
  return (a, b) => lastActivity(b) - lastActivity(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Applies `c` to the pages of a list; returns `data` itself when nothing changed. */
export function upsertInPages(data: ConsultationPages, c: Consultation, filter: ListFilter): ConsultationPages {
  if (data.pages.length === 0) return data;
  let removed = false;
  const pages = data.pages.map((page) => {
    if (!page.items.some((x) => x.id === c.id)) return page;
    removed = true;
    return { ...page, items: page.items.filter((x) => x.id !== c.id) };
  });
  if (!belongsTo(c, filter)) return removed ? { ...data, pages } : data;

  const before = compareIn(filter.status);
  for (let p = 0; p < pages.length; p++) {
    const page = pages[p] as Page<Consultation>;
    const at = page.items.findIndex((x) => before(c, x) < 0);
    if (at >= 0) {
      pages[p] = { ...page, items: [...page.items.slice(0, at), c, ...page.items.slice(at)] };
      return { ...data, pages };
    }
  }
  const lastIndex = pages.length - 1;
  const last = pages[lastIndex] as Page<Consultation>;
  if (last.next_cursor === null) {
    pages[lastIndex] = { ...last, items: [...last.items, c] };
    return { ...data, pages };
  }
  // Its place is further on, in a page not loaded yet.
  return removed ? { ...data, pages } : data;
}

/** Sets the unread count of consultation `id` wherever the pages hold it. */
export function setUnreadInPages(data: ConsultationPages, id: string, unread: number): ConsultationPages {
  let changed = false;
  const pages = data.pages.map((page) => {
    if (!page.items.some((x) => x.id === id && x.unread_count !== unread)) return page;
    changed = true;
    return { ...page, items: page.items.map((x) => (x.id === id ? { ...x, unread_count: unread } : x)) };
  });
  return changed ? { ...data, pages } : data;
}

/**
 * The filter of a cached list from its query key (support/keys.ts):
 * ['consultations', 'mine', status] or ['consultations', 'queue', slug, status, assignee].
 */
export function filterOfKey(key: readonly unknown[], myId: string): ListFilter | null {
  if (key[0] !== 'consultations') return null;
  const status = (typeof key[2] === 'string' && key[1] === 'mine' ? key[2] : null) as ConsultationStatus | null;
  if (key[1] === 'mine') return { scope: { customer: myId }, status, assignee: null };
  if (key[1] === 'queue' && typeof key[2] === 'string') {
    return {
      scope: { queue: key[2] },
      status: (typeof key[3] === 'string' ? key[3] : null) as ConsultationStatus | null,
      assignee: typeof key[4] === 'string' ? key[4] : null,
    };
  }
  return null;
}
