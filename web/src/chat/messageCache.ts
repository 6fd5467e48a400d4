// Pure helpers over the cached history of one conversation, query key ['messages', id]:
// an infinite query whose first page is the newest (GET /conversations/:id/messages) and
// each next page is older (`before_seq` = the lowest seq held). Items within a page are in
// seq order, as the server sends them. Live events and catch-ups are merged in here.
import type { InfiniteData } from '@tanstack/react-query';
import type { Message, Page } from '../api/types';
import { lowestSeq, markDeleted, mergeMessages } from './messages';

/** The page param: `before_seq` of the page, null for the newest page. */
export type MessagesData = InfiniteData<Page<Message>, number | null>;

/** Every held message, oldest first, once each. */
export function flattenPages(data: MessagesData | undefined): Message[] {
  if (!data) return [];
  const all: Message[] = [];
  for (const page of data.pages) all.push(...page.items);
  return mergeMessages([], all);
}

/** The `before_seq` of the page older than `page`, or undefined when there is none. */
export function olderPageParam(page: Page<Message>): number | undefined {
  if (page.next_cursor === null) return undefined;
  return lowestSeq(page.items) ?? undefined;
}

/**
 * Merges `incoming` (live `message:new` / `message:updated`, a `sync`, a send's ack) into
 * the pages: a message already held is replaced where it is; a new one joins the newest
 * page. Returns `data` itself when nothing changed.
 */
export function mergeIntoPages(data: MessagesData, incoming: readonly Message[]): MessagesData {
  if (incoming.length === 0 || data.pages.length === 0) return data;
  const home = new Map<string, number>();
  data.pages.forEach((page, index) => page.items.forEach((m) => home.set(m.id, index)));
  const perPage = new Map<number, Message[]>();
  for (const m of incoming) {
    const index = home.get(m.id) ?? 0;
    perPage.set(index, [...(perPage.get(index) ?? []), m]);
  }
  let changed = false;
  const pages = data.pages.map((page, index) => {
    const add = perPage.get(index);
    if (!add) return page;
    const items = mergeMessages(page.items, add);
    if (items === page.items) return page;
    changed = true;
    return { ...page, items };
  });
  return changed ? { ...data, pages } : data;
}

/** Applies `message:deleted` wherever the message is held. */
export function deleteInPages(data: MessagesData, id: string): MessagesData {
  let changed = false;
  const pages = data.pages.map((page) => {
    const items = markDeleted(page.items, id);
    if (items === page.items) return page;
    changed = true;
    return { ...page, items };
  });
  return changed ? { ...data, pages } : data;
}
