// Unit tests for the reaction helpers, and for merging: an update that only changes a
// message's reactions must replace the held copy.
import { describe, expect, it } from 'vitest';
import { msg } from './fixtures';
import { markDeleted, mergeMessages } from './messages';
import { QUICK_EMOJI, reactedByMe, reactionTitle, sameReactions } from './reactions';

const thumbs = (user_ids: string[]) => ({ emoji: '👍', count: user_ids.length, user_ids });

describe('reaction helpers', () => {
  it('offers the eight common emoji', () => {
    expect(QUICK_EMOJI).toEqual(['👍', '❤️', '😂', '😮', '😢', '🙏', '🎉', '👀']);
  });

  it('knows my reactions and says who reacted', () => {
    expect(reactedByMe(thumbs(['u-bob', 'u-alice']), 'u-alice')).toBe(true);
    expect(reactedByMe(thumbs(['u-bob']), 'u-alice')).toBe(false);
    expect(reactionTitle(thumbs(['u-alice']), 'u-alice')).toBe('You reacted with 👍');
    expect(reactionTitle(thumbs(['u-alice', 'u-bob']), 'u-alice')).toBe('You and 1 other reacted with 👍');
    expect(reactionTitle(thumbs(['u-bob', 'u-carol']), 'u-alice')).toBe('2 people reacted with 👍');
  });

  it('compares emoji, counts and people in order', () => {
    expect(sameReactions([thumbs(['a'])], [thumbs(['a'])])).toBe(true);
    expect(sameReactions([thumbs(['a'])], [thumbs(['b'])])).toBe(false);
    expect(sameReactions([thumbs(['a'])], [thumbs(['a', 'b'])])).toBe(false);
    expect(sameReactions([], [thumbs(['a'])])).toBe(false);
  });
});

describe('merging reactions', () => {
  it('replaces a message whose reactions alone changed', () => {
    const held = [msg(1), msg(2)];
    const merged = mergeMessages(held, [msg(2, { reactions: [thumbs(['u-bob'])] })]);
    expect(merged).not.toBe(held);
    expect(merged[1]?.reactions).toEqual([thumbs(['u-bob'])]);
    expect(mergeMessages(merged, [msg(2, { reactions: [thumbs(['u-bob'])] })])).toBe(merged);
  });

  it('drops the reactions of a deleted message', () => {
    const [deleted] = markDeleted([msg(1, { reactions: [thumbs(['u-bob'])] })], 'm-1');
    expect(deleted?.reactions).toEqual([]);
  });
});
