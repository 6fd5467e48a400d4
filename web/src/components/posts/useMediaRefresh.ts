// While any image of a post is still `processing`, re-reads the post now and then and swaps in
// the fresh media, so the thumbnail replaces the original without a reload. (GET /media/:id only
// answers the uploader, so the post itself is re-read.) Only the media change: a like in flight
// is not overwritten.
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { getPost } from '../../api/posts';
import { ApiError } from '../../api/client';
import type { Post } from '../../api/types';
import { patchPost, removePost } from './postCache';

const INTERVAL_MS = 1500;
/** Thumbnails take well under a second; give up after about two minutes. */
const MAX_TRIES = 80;

export function useMediaRefresh(post: Post) {
  const qc = useQueryClient();
  const processing = post.media.some((m) => m.status === 'processing');

  useEffect(() => {
    if (!processing) return;
    let cancelled = false;
    let tries = 0;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      tries += 1;
      try {
        const fresh = await getPost(post.id);
        if (cancelled) return;
        patchPost(qc, post.id, (p) => ({ ...p, media: fresh.media }));
        if (fresh.media.some((m) => m.status === 'processing') && tries < MAX_TRIES) {
          timer = setTimeout(tick, INTERVAL_MS);
        }
      } catch (err) {
        if (cancelled) return;
        if (err instanceof ApiError && err.status === 404) {
          removePost(qc, post.id);
        } else if (tries < MAX_TRIES) {
          timer = setTimeout(tick, INTERVAL_MS * 2);
        }
      }
    };
    timer = setTimeout(tick, INTERVAL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [processing, post.id, qc]);
}
