// Reordering the FAQ: moving one entry renumbers the list 1, 2, 3… in its new order and
// returns only the entries whose `position` changes (one PATCH each). Equal positions
// (ties kept by creation order) are thereby made distinct.
import type { Faq } from '../api/types';

export interface PositionPatch {
  id: string;
  position: number;
}

export function moveFaq(list: readonly Faq[], from: number, to: number): PositionPatch[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return [];
  const order = [...list];
  const [moved] = order.splice(from, 1);
  if (!moved) return [];
  order.splice(to, 0, moved);
  const patches: PositionPatch[] = [];
  order.forEach((faq, index) => {
    if (faq.position !== index + 1) patches.push({ id: faq.id, position: index + 1 });
  });
  return patches;
}

/** The list with `patches` applied and sorted again (for an optimistic update). */
export function applyPositions(list: readonly Faq[], patches: readonly PositionPatch[]): Faq[] {
  const next = new Map(patches.map((p) => [p.id, p.position]));
  return list
    .map((f, index) => ({ faq: { ...f, position: next.get(f.id) ?? f.position }, index }))
    .sort((a, b) => a.faq.position - b.faq.position || a.index - b.index)
    .map((x) => x.faq);
}
