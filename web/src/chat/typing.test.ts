// Unit tests for typing indicators: incoming expiry and the outgoing throttle/idle stop.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  IDLE_MS,
  THROTTLE_MS,
  TYPING_TTL_MS,
  TypingNotifier,
  activeTypists,
  applyTyping,
  expireTyping,
  nextExpiry,
  stopTyping,
  typingLabel,
  type TypingState,
} from './typing';

const start = (user_id: string) => ({ conversation_id: 'c', user_id, typing: true });
const stop = (user_id: string) => ({ conversation_id: 'c', user_id, typing: false });

describe('incoming typing', () => {
  it('shows a typist until the stop arrives', () => {
    let s: TypingState = {};
    s = applyTyping(s, start('a'), 1000);
    expect(activeTypists(s, 2000)).toEqual(['a']);
    s = applyTyping(s, stop('a'), 3000);
    expect(activeTypists(s, 3000)).toEqual([]);
  });

  it('expires an indicator 10 s after its last start when no stop arrives', () => {
    let s = applyTyping({}, start('a'), 0);
    expect(activeTypists(s, TYPING_TTL_MS - 1)).toEqual(['a']);
    expect(activeTypists(s, TYPING_TTL_MS)).toEqual([]);
    expect(nextExpiry(s)).toBe(TYPING_TTL_MS);
    s = expireTyping(s, TYPING_TTL_MS);
    expect(s).toEqual({});
    expect(nextExpiry(s)).toBeNull();
  });

  it('a repeated start postpones the expiry', () => {
    let s = applyTyping({}, start('a'), 0);
    s = applyTyping(s, start('a'), 5000);
    expect(activeTypists(s, TYPING_TTL_MS + 1000)).toEqual(['a']);
  });

  it('expireTyping keeps the live ones and returns the same object when none lapsed', () => {
    let s = applyTyping({}, start('a'), 0);
    s = applyTyping(s, start('b'), 5000);
    expect(expireTyping(s, 1000)).toBe(s);
    expect(Object.keys(expireTyping(s, TYPING_TTL_MS + 1))).toEqual(['b']);
  });

  it('stopTyping ignores users who are not typing', () => {
    const s: TypingState = {};
    expect(stopTyping(s, 'x')).toBe(s);
  });

  it('labels one, two or many typists', () => {
    expect(typingLabel([])).toBe('');
    expect(typingLabel(['alice'])).toBe('alice is typing…');
    expect(typingLabel(['alice', 'bob'])).toBe('alice and bob are typing…');
    expect(typingLabel(['a', 'b', 'c'])).toBe('3 people are typing…');
  });
});

describe('TypingNotifier', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends typing:true at most once per throttle window', () => {
    const sent: boolean[] = [];
    const n = new TypingNotifier((t) => sent.push(t));
    n.input();
    vi.advanceTimersByTime(1000);
    n.input();
    n.input();
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(THROTTLE_MS);
    n.input();
    expect(sent).toEqual([true, true]);
  });

  it('sends typing:false after the idle delay', () => {
    const sent: boolean[] = [];
    const n = new TypingNotifier((t) => sent.push(t));
    n.input();
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([true, false]);
    expect(n.isTyping).toBe(false);
  });

  it('stop() (on send) sends one typing:false and cancels the idle timer', () => {
    const sent: boolean[] = [];
    const n = new TypingNotifier((t) => sent.push(t));
    n.input();
    n.stop();
    n.stop();
    vi.advanceTimersByTime(IDLE_MS * 2);
    expect(sent).toEqual([true, false]);
  });

  it('stop() without a start sends nothing', () => {
    const sent: boolean[] = [];
    new TypingNotifier((t) => sent.push(t)).stop();
    expect(sent).toEqual([]);
  });
});
