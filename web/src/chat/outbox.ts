// The outbox: this tab's optimistic messages per conversation, kept at module level so a
// message still "Sending…" (or "Not sent") survives switching conversations. A tiny store
// for useSyncExternalStore; the state transitions themselves live in messages.ts.
import { newPending, pendingFailed, pendingRetrying, type PendingMessage } from './messages';

type Listener = () => void;

const EMPTY: readonly PendingMessage[] = Object.freeze([]);

export class Outbox {
  private byConversation = new Map<string, readonly PendingMessage[]>();
  private listeners = new Set<Listener>();
  /** Whose messages these are: another account signing in in this tab starts empty. */
  private owner: string | null = null;

  /** Binds the outbox to the signed-in user, forgetting another user's messages. */
  claim(userId: string): void {
    if (this.owner === userId) return;
    this.owner = userId;
    this.clear();
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The pending messages of a conversation (a stable array between changes). */
  get(conversationId: string): readonly PendingMessage[] {
    return this.byConversation.get(conversationId) ?? EMPTY;
  }

  /** Queues a new message as "Sending…"; returns it. */
  add(conversationId: string, text: string, clientId: string, mediaIds: string[] = []): PendingMessage {
    const pending = newPending(conversationId, text, clientId, mediaIds);
    this.set(conversationId, [...this.get(conversationId), pending]);
    return pending;
  }

  failed(conversationId: string, clientId: string, error: string): void {
    this.update(conversationId, clientId, (p) => pendingFailed(p, error));
  }

  /** Marks a failed message "Sending…" again; returns it (null when it is gone). */
  retrying(conversationId: string, clientId: string): PendingMessage | null {
    this.update(conversationId, clientId, pendingRetrying);
    return this.get(conversationId).find((p) => p.client_id === clientId) ?? null;
  }

  /** The server stored it (or it was discarded): it leaves the outbox. */
  remove(conversationId: string, clientId: string): void {
    const list = this.get(conversationId);
    if (!list.some((p) => p.client_id === clientId)) return;
    this.set(
      conversationId,
      list.filter((p) => p.client_id !== clientId),
    );
  }

  /** Forgets everything (sign-out). */
  clear(): void {
    if (this.byConversation.size === 0) return;
    this.byConversation = new Map();
    this.notify();
  }

  private update(conversationId: string, clientId: string, f: (p: PendingMessage) => PendingMessage) {
    const list = this.get(conversationId);
    if (!list.some((p) => p.client_id === clientId)) return;
    this.set(
      conversationId,
      list.map((p) => (p.client_id === clientId ? f(p) : p)),
    );
  }

  private set(conversationId: string, list: readonly PendingMessage[]) {
    if (list.length === 0) this.byConversation.delete(conversationId);
    else this.byConversation.set(conversationId, list);
    this.notify();
  }

  private notify() {
    for (const l of this.listeners) l();
  }
}

/** The app's one outbox. */
export const outbox = new Outbox();
