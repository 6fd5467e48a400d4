// Applies the realtime post events to the query cache: `post:updated` and `post:deleted` reach
// every cached list and ['post',id]; `post:created` is prepended to the home timeline when
// `prependCreated` is set (only the timeline is sure to contain what these events announce).
import { useQueryClient } from '@tanstack/react-query';
import { useSocketEvent } from '../../realtime/RealtimeContext';
import { prependPost, removePost, replacePost } from './postCache';

export function usePostEvents({ prependCreated = false }: { prependCreated?: boolean } = {}) {
  const qc = useQueryClient();
  useSocketEvent('post:created', (payload) => {
    if (prependCreated && payload?.post) prependPost(qc, ['timeline'], payload.post);
  });
  useSocketEvent('post:updated', (payload) => {
    if (payload?.post) replacePost(qc, payload.post, { keepLike: true });
  });
  useSocketEvent('post:deleted', (payload) => {
    if (payload?.id) removePost(qc, payload.id);
  });
}
