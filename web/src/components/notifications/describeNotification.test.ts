// Unit tests for notification wording and links.
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../api/types';
import { describeNotification, notificationSentence } from './describeNotification';

function make(kind: string, extra: Partial<Notification> = {}): Notification {
  return {
    id: 'n1',
    kind,
    actor: { id: 'u1', username: 'alice', display_name: 'Alice', avatar_url: null },
    post_id: null,
    comment_id: null,
    read: false,
    created_at: '2024-01-01T00:00:00Z',
    ...extra,
  } as Notification;
}

describe('describeNotification', () => {
  it('links a follow to the follower', () => {
    expect(describeNotification(make('follow'))).toEqual({ action: 'followed you', href: '/u/alice' });
    expect(notificationSentence(make('follow'))).toBe('alice followed you');
  });

  it('links a like to the post', () => {
    expect(describeNotification(make('like', { post_id: 'p1' }))).toEqual({
      action: 'liked your post',
      href: '/posts/p1',
    });
    expect(notificationSentence(make('like', { post_id: 'p1' }))).toBe('alice liked your post');
  });

  it('links comments, replies and mentions to the post', () => {
    const n = make('reply', { post_id: 'p1', comment_id: 'c1' });
    expect(describeNotification(n)).toEqual({
      action: 'replied to your comment',
      href: '/posts/p1',
    });
    expect(describeNotification(make('mention', { post_id: 'p1' })).action).toBe('mentioned you');
    expect(describeNotification(make('comment', { post_id: 'p1', comment_id: 'c2' })).href).toBe(
      '/posts/p1',
    );
  });
});
