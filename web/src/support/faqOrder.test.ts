// Unit tests of FAQ reordering: which positions change when an entry moves.
import { describe, expect, it } from 'vitest';
import type { Faq } from '../api/types';
import { applyPositions, moveFaq } from './faqOrder';

function faq(id: string, position: number): Faq {
  return { id, question: `q ${id}`, answer: `a ${id}`, position, updated_at: '2024-01-01T00:00:00Z' };
}

describe('moveFaq', () => {
  const list = [faq('a', 1), faq('b', 2), faq('c', 3)];

  it('moves an entry up, renumbering only what changes', () => {
    expect(moveFaq(list, 2, 1)).toEqual([
      { id: 'c', position: 2 },
      { id: 'b', position: 3 },
    ]);
  });

  it('moves an entry down to the end', () => {
    expect(moveFaq(list, 0, 2)).toEqual([
      { id: 'b', position: 1 },
      { id: 'c', position: 2 },
      { id: 'a', position: 3 },
    ]);
  });

  it('makes tied or sparse positions distinct', () => {
    const tied = [faq('a', 1), faq('b', 1), faq('c', 7)];
    expect(moveFaq(tied, 1, 0)).toEqual([
      { id: 'a', position: 2 },
      { id: 'c', position: 3 },
    ]);
  });

  it('does nothing out of range or in place', () => {
    expect(moveFaq(list, 0, 0)).toEqual([]);
    expect(moveFaq(list, -1, 0)).toEqual([]);
    expect(moveFaq(list, 0, 3)).toEqual([]);
  });
});

describe('applyPositions', () => {
  it('re-sorts with the new positions, ties in their old order', () => {
    const list = [faq('a', 1), faq('b', 2), faq('c', 3)];
    expect(applyPositions(list, moveFaq(list, 2, 0)).map((f) => f.id)).toEqual(['c', 'a', 'b']);
    expect(applyPositions([faq('x', 1), faq('y', 1)], []).map((f) => f.id)).toEqual(['x', 'y']);
  });
});
