// Typing indicators, both ways, without React so they are unit-tested:
// - incoming: who is typing in a conversation, each entry lapsing TYPING_TTL_MS after its
//   last `typing: true` (the server sends a stop by itself too, but it is volatile and may
//   be lost, so the client never trusts an indicator forever);
// - outgoing: TypingNotifier turns keystrokes into few events: `typing: true` at most once
//   per THROTTLE_MS while typing, `typing: false` after IDLE_MS without input or on send.

/** An incoming indicator lapses this long after its last `typing: true`. */
export const TYPING_TTL_MS = 10_000;
/** Outgoing `typing: true` is repeated at most this often while typing continues. */
export const THROTTLE_MS = 3_000;
/** Outgoing `typing: false` after this long without a keystroke. */
export const IDLE_MS = 4_000;

/** user_id → when the indicator lapses (ms since the epoch). */
export type TypingState = Readonly<Record<string, number>>;

import type { TypingEvent } from '../api/types';

export type { TypingEvent };

/** Applies one `typing` event received at `now`. */
export function applyTyping(state: TypingState, event: TypingEvent, now: number): TypingState {
  if (event.typing) return { ...state, [event.user_id]: now + TYPING_TTL_MS };
  return stopTyping(state, event.user_id);
}

/** Removes `userId`'s indicator (a stop, or a message from them arrived). */
export function stopTyping(state: TypingState, userId: string): TypingState {
  if (!(userId in state)) return state;
  const next = { ...state };
  delete next[userId];
  return next;
}

/** Drops the lapsed indicators; returns `state` itself when none lapsed. */
export function expireTyping(state: TypingState, now: number): TypingState {
  const keys = Object.keys(state);
  const live = keys.filter((k) => (state[k] ?? 0) > now);
  if (live.length === keys.length) return state;
  const next: Record<string, number> = {};
  for (const k of live) next[k] = state[k] as number;
  return next;
}

/** Who is typing at `now`, in a stable order. */
export function activeTypists(state: TypingState, now: number): string[] {
  return Object.keys(state)
    .filter((k) => (state[k] ?? 0) > now)
    .sort();
}

/** When the next indicator lapses (null when none is held): when to re-render. */
export function nextExpiry(state: TypingState): number | null {
  let next: number | null = null;
  for (const at of Object.values(state)) if (next === null || at < next) next = at;
  return next;
}

/** "alice is typing…", "alice and bob are typing…", "3 people are typing…". */
export function typingLabel(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

export interface Clock {
  now(): number;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (cb, ms) => globalThis.setTimeout(cb, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Turns keystrokes into throttled `typing` events for one conversation. */
export class TypingNotifier {
  private typing = false;
  private lastSent = 0;
  private idleTimer: unknown = null;

  constructor(
    private readonly emit: (typing: boolean) => void,
    private readonly clock: Clock = realClock,
  ) {}

  /** A keystroke that leaves text in the box. */
  input(): void {
    const now = this.clock.now();
    if (!this.typing || now - this.lastSent >= THROTTLE_MS) {
      this.typing = true;
      this.lastSent = now;
      this.emit(true);
    }
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.clock.setTimeout(() => this.stop(), IDLE_MS);
  }

  /** Sent, emptied, idle, or leaving the conversation: one stop if a start was sent. */
  stop(): void {
    if (this.idleTimer !== null) {
      this.clock.clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (!this.typing) return;
    this.typing = false;
    this.emit(false);
  }

  get isTyping(): boolean {
    return this.typing;
  }
}
