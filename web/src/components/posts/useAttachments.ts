// The images being attached to a new post. Each one uploads as soon as it is picked (with
// progress), then shows the server's preview: the original while the thumbnail is processing
// (polled every second via GET /media/:id), the thumbnail once ready. A description saved
// meanwhile (PATCH /media/:id) is kept apart from the polled media so a late poll cannot undo it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { getMedia, uploadMedia } from '../../api/media';
import { errorMessage } from '../../api/errors';
import { ApiError } from '../../api/client';
import type { Media } from '../../api/types';
import { MAX_POST_IMAGES } from './limits';

export interface Attachment {
  key: string;
  name: string;
  /** A local object URL: shown until the server's copy is known. */
  localUrl: string;
  /** 0..1 while uploading. */
  progress: number;
  state: 'uploading' | 'uploaded' | 'error';
  media?: Media;
  error?: string;
  /** The description saved from the composer (wins over `media.alt_text`). */
  altText?: string;
}

/** The description an attachment shows: the one saved here, else the server's. */
export function altTextOf(a: Attachment): string {
  return a.altText ?? a.media?.alt_text ?? '';
}

const POLL_MS = 1000;
const MAX_POLLS = 120;

/** Upload errors per image: the server's field reason (e.g. too many pixels) beats a generic line. */
export function uploadErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const reason = err.fields ? Object.values(err.fields)[0] : undefined;
    if (reason) return reason.charAt(0).toUpperCase() + reason.slice(1);
    if (err.status === 413) return 'This image is too large.';
    if (err.status === 415) return 'This file type is not supported. Use JPEG, PNG, GIF or WebP.';
    if (err.status === 422) return err.message || 'This image is too big in pixels.';
  }
  return errorMessage(err);
}

let counter = 0;

export function useAttachments() {
  const [items, setItems] = useState<Attachment[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  // Live handles that are not render state: upload aborts, poll timers, object URLs.
  const controllers = useRef(new Map<string, AbortController>());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const urls = useRef(new Map<string, string>());
  const countRef = useRef(0);

  const update = useCallback((key: string, fn: (a: Attachment) => Attachment) => {
    setItems((list) => list.map((a) => (a.key === key ? fn(a) : a)));
  }, []);

  const poll = useCallback(
    (key: string, id: string, tries = 0) => {
      const timer = setTimeout(async () => {
        timers.current.delete(key);
        if (!urls.current.has(key)) return; // removed meanwhile
        try {
          const media = await getMedia(id);
          if (!urls.current.has(key)) return;
          update(key, (a) => ({ ...a, media }));
          if (media.status === 'processing' && tries < MAX_POLLS) poll(key, id, tries + 1);
        } catch {
          // A failed poll is not a failed upload: try again a little later.
          if (tries < MAX_POLLS) poll(key, id, tries + 1);
        }
      }, POLL_MS);
      timers.current.set(key, timer);
    },
    [update],
  );

  const start = useCallback(
    (key: string, file: File) => {
      const controller = new AbortController();
      controllers.current.set(key, controller);
      uploadMedia(file, {
        signal: controller.signal,
        onProgress: (fraction) => update(key, (a) => ({ ...a, progress: fraction })),
      })
        .then((media) => {
          controllers.current.delete(key);
          update(key, (a) => ({ ...a, state: 'uploaded', progress: 1, media }));
          if (media.status === 'processing') poll(key, media.id);
        })
        .catch((err: unknown) => {
          controllers.current.delete(key);
          if (controller.signal.aborted) return;
          update(key, (a) => ({ ...a, state: 'error', error: uploadErrorMessage(err) }));
        });
    },
    [poll, update],
  );

  /** Adds files (from the picker, a paste or a drop), up to the limit of 4 images. */
  const add = useCallback(
    (files: Iterable<File>) => {
      const list = Array.from(files);
      if (list.length === 0) return;
      const room = MAX_POST_IMAGES - countRef.current;
      const taken = list.slice(0, Math.max(0, room));
      setNotice(
        taken.length < list.length ? `You can attach up to ${MAX_POST_IMAGES} images to a post.` : null,
      );
      const fresh: Attachment[] = taken.map((file) => {
        counter += 1;
        const key = `att-${counter}`;
        const localUrl = URL.createObjectURL(file);
        urls.current.set(key, localUrl);
        return { key, name: file.name, localUrl, progress: 0, state: 'uploading' };
      });
      countRef.current += fresh.length;
      setItems((cur) => [...cur, ...fresh]);
      fresh.forEach((a, i) => start(a.key, taken[i]));
    },
    [start],
  );

  const forget = (key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    const timer = timers.current.get(key);
    if (timer) clearTimeout(timer);
    timers.current.delete(key);
    const url = urls.current.get(key);
    if (url) URL.revokeObjectURL(url);
    urls.current.delete(key);
  };

  const remove = useCallback((key: string) => {
    forget(key);
    countRef.current = Math.max(0, countRef.current - 1);
    setNotice(null);
    setItems((cur) => cur.filter((a) => a.key !== key));
  }, []);

  /** Records the description the server accepted for one image. */
  const describe = useCallback(
    (key: string, altText: string) => update(key, (a) => ({ ...a, altText })),
    [update],
  );

  const clear = useCallback(() => {
    for (const key of Array.from(urls.current.keys())) forget(key);
    countRef.current = 0;
    setNotice(null);
    setItems([]);
  }, []);

  // Abort uploads and free object URLs when the composer goes away.
  useEffect(
    () => () => {
      for (const key of Array.from(urls.current.keys())) forget(key);
    },
    [],
  );

  const uploading = items.some((a) => a.state === 'uploading');
  const mediaIds = items.flatMap((a) => (a.state === 'uploaded' && a.media ? [a.media.id] : []));
  return { items, notice, add, remove, describe, clear, uploading, mediaIds };
}
