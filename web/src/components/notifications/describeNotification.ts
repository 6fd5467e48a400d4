// What a notification says and where it leads, by kind (the server's kinds are
// follow, like, comment, reply and mention; see crates/parley-server/src/views.rs).
import type { Notification } from '../../api/types';

export interface NotificationView {
  /** The sentence after the actor's name, e.g. "liked your post". */
  action: string;
  /** Where clicking the notification goes. */
  href: string;
}

const ACTIONS: Record<string, string> = {
  follow: 'followed you',
  like: 'liked your post',
  comment: 'commented on your post',
  reply: 'replied to your comment',
  mention: 'mentioned you',
};

export function describeNotification(n: Notification): NotificationView {
  const profile = `/u/${encodeURIComponent(n.actor.username)}`;
  const action = ACTIONS[n.kind] ?? 'did something';
  if (n.kind === 'follow' || !n.post_id) return { action, href: profile };
  // Comments, replies and mentions in comments also lead to the post: its page shows the thread.
  return { action, href: `/posts/${encodeURIComponent(n.post_id)}` };
}

/** The full sentence, e.g. "alice liked your post" (also the link's accessible name). */
export function notificationSentence(n: Notification): string {
  return `${n.actor.username} ${describeNotification(n).action}`;
}
