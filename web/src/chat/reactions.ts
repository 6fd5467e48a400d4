// Pure helpers for reactions on chat messages: the picker's emoji, whether I reacted,
// a chip's title, and comparing two messages' reactions (so an update that only changes
// reactions is not mistaken for "nothing changed"). No React, so it is unit-tested.
import type { Reaction } from '../api/types';

/** The emoji offered by the "Add reaction" picker, in order. */
export const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏', '🎉', '👀'] as const;

export function reactedByMe(reaction: Reaction, myId: string): boolean {
  return reaction.user_ids.includes(myId);
}

/** "You reacted with 👍", "You and 2 others reacted with 👍", "1 person reacted with 👍". */
export function reactionTitle(reaction: Reaction, myId: string): string {
  const mine = reactedByMe(reaction, myId);
  const others = reaction.count - (mine ? 1 : 0);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  let who: string;
  if (!mine) who = plural(others, 'person', 'people');
  else if (others <= 0) who = 'You';
  else who = `You and ${plural(others, 'other', 'others')}`;
  return `${who} reacted with ${reaction.emoji}`;
}

/** True when both lists hold the same emoji, counts and people, in the same order. */
export function sameReactions(a: readonly Reaction[], b: readonly Reaction[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((r, i) => {
    const o = b[i];
    return (
      o !== undefined &&
      r.emoji === o.emoji &&
      r.count === o.count &&
      r.user_ids.length === o.user_ids.length &&
      r.user_ids.every((id, j) => id === o.user_ids[j])
    );
  });
}
