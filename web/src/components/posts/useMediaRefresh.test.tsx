// A post whose images are still processing is re-read until they are ready, and only its media
// change in the cache.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Media, Post } from '../../api/types';
import { useMediaRefresh } from './useMediaRefresh';

const getPost = vi.fn();
vi.mock('../../api/posts', () => ({ getPost: (...a: unknown[]) => getPost(...a) }));

const m = (status: Media['status']): Media => ({
  id: 'm1',
  content_type: 'image/png',
  width: 1,
  height: 1,
  size_bytes: 1,
  status,
  url: '/o.png',
  thumbnail_url: status === 'ready' ? '/t.jpg' : null,
  preview_url: status === 'ready' ? '/t.jpg' : '/o.png',
  failure_reason: null,
  alt_text: '',
  blurhash: null,
});
const post = (status: Media['status'], liked = false) =>
  ({ id: 'p1', media: [m(status)], liked_by_me: liked, like_count: liked ? 1 : 0 }) as Post;

afterEach(() => {
  vi.useRealTimers();
  getPost.mockReset();
});

describe('useMediaRefresh', () => {
  it('polls while processing and swaps in the thumbnail, keeping a newer like', async () => {
    vi.useFakeTimers();
    const qc = new QueryClient();
    qc.setQueryData(['post', 'p1'], post('processing', true));
    getPost.mockResolvedValueOnce(post('processing')).mockResolvedValueOnce(post('ready'));
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={qc}>{children}</QueryClientProvider>
    );
    const { rerender } = renderHook(({ p }: { p: Post }) => useMediaRefresh(p), {
      wrapper,
      initialProps: { p: post('processing') },
    });
    await act(() => vi.advanceTimersByTimeAsync(1600));
    expect(getPost).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(1600));
    expect(getPost).toHaveBeenCalledTimes(2);
    const cached = qc.getQueryData<Post>(['post', 'p1'])!;
    expect(cached.media[0].preview_url).toBe('/t.jpg');
    expect(cached.liked_by_me).toBe(true);
    rerender({ p: cached });
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(getPost).toHaveBeenCalledTimes(2);
  });
});
