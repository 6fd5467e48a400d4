// The composer: Post stays disabled while an image uploads; the image shows the original while
// processing and the thumbnail once the poll sees it ready; upload errors show per image; an
// uploaded image can be described (PATCH /media/:id) and then wears an "ALT" badge.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import type { Media, Post } from '../../api/types';
import Composer from './Composer';

const uploadMedia = vi.fn();
const getMedia = vi.fn();
const createPost = vi.fn();
const describeMedia = vi.fn();

vi.mock('../../api/media', () => ({
  ACCEPTED_IMAGE_TYPES: 'image/jpeg,image/png,image/gif,image/webp',
  uploadMedia: (...args: unknown[]) => uploadMedia(...args),
  getMedia: (...args: unknown[]) => getMedia(...args),
  describeMedia: (...args: unknown[]) => describeMedia(...args),
  MAX_ALT_TEXT_CHARS: 1500,
}));
vi.mock('../../api/posts', () => ({
  createPost: (...args: unknown[]) => createPost(...args),
}));
vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({ me: { id: 'u1', username: 'alice' }, status: 'signed-in' }),
}));

function media(status: Media['status']): Media {
  return {
    id: 'm1',
    content_type: 'image/png',
    width: 10,
    height: 10,
    size_bytes: 100,
    status,
    url: '/media/orig.png',
    thumbnail_url: status === 'ready' ? '/media/thumb.jpg' : null,
    preview_url: status === 'ready' ? '/media/thumb.jpg' : '/media/orig.png',
    failure_reason: null,
    alt_text: '',
    blurhash: null,
  };
}

function wrap(children: ReactNode) {
  const qc = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  return <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
}

function pick(files: File[]) {
  const input = screen.getByLabelText('Add images');
  fireEvent.change(input, { target: { files } });
}

const png = () => new File([new Uint8Array([1, 2, 3])], 'cat.png', { type: 'image/png' });

beforeEach(() => {
  vi.useFakeTimers();
  URL.createObjectURL = vi.fn(() => 'blob:local');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => {
  vi.useRealTimers();
  uploadMedia.mockReset();
  getMedia.mockReset();
  createPost.mockReset();
  describeMedia.mockReset();
});

describe('Composer', () => {
  it('waits for uploads, shows the original while processing, then the thumbnail, and posts the ids', async () => {
    let finish: (m: Media) => void = () => {};
    uploadMedia.mockImplementation((_file: File, opts: { onProgress?: (f: number) => void }) => {
      opts.onProgress?.(0.5);
      return new Promise<Media>((resolve) => (finish = resolve));
    });
    getMedia.mockResolvedValue(media('ready'));
    createPost.mockResolvedValue({ id: 'p1', hashtags: [] } as unknown as Post);

    render(wrap(<Composer />));
    fireEvent.change(screen.getByLabelText("What's happening?"), { target: { value: 'hello' } });
    pick([png()]);

    const post = screen.getByRole('button', { name: 'Post' });
    expect(post).toBeDisabled();
    expect(screen.getByLabelText('Uploading Image 1')).toHaveAttribute('value', '0.5');

    await act(async () => finish(media('processing')));
    expect(post).toBeEnabled();
    expect(screen.getByAltText('Image 1: cat.png')).toHaveAttribute('src', '/media/orig.png');
    expect(screen.getByText('Processing…')).toBeInTheDocument();

    await act(async () => {
      await vi.advanceTimersByTimeAsync(1100);
    });
    expect(getMedia).toHaveBeenCalledWith('m1');
    expect(screen.getByAltText('Image 1: cat.png')).toHaveAttribute('src', '/media/thumb.jpg');

    await act(async () => {
      fireEvent.click(post);
    });
    expect(createPost).toHaveBeenCalledWith('hello', ['m1']);
    expect(screen.getByLabelText("What's happening?")).toHaveValue('');
    expect(screen.queryByAltText('Image 1: cat.png')).not.toBeInTheDocument();
  });

  it('describes an uploaded image with PATCH, shows the ALT badge, and keeps it through a late poll', async () => {
    uploadMedia.mockResolvedValue(media('processing'));
    getMedia.mockResolvedValue(media('ready')); // the server's copy, read before the PATCH landed
    describeMedia.mockRejectedValueOnce(new ApiError(422, 'validation_failed', 'alt_text has control characters'));
    describeMedia.mockResolvedValueOnce({ ...media('processing'), alt_text: 'A grey cat asleep' });
    createPost.mockResolvedValue({ id: 'p1', hashtags: [] } as unknown as Post);

    render(wrap(<Composer />));
    fireEvent.change(screen.getByLabelText("What's happening?"), { target: { value: 'cat' } });
    await act(async () => pick([png()]));
    expect(screen.queryByText('ALT')).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Add description to Image 1' }));
    const box = screen.getByLabelText('Description of Image 1');
    fireEvent.change(box, { target: { value: '  A grey cat asleep ' } });
    expect(screen.getByText('17/1500')).toBeInTheDocument();

    // A refusal shows in the error banner and leaves the editor open.
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save description' }));
      await vi.advanceTimersByTimeAsync(0); // React Query notifies on a timer
    });
    expect(screen.getByRole('alert')).toBeInTheDocument();
    expect(screen.getByLabelText('Description of Image 1')).toBeInTheDocument();

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save description' }));
    });
    expect(describeMedia).toHaveBeenLastCalledWith('m1', 'A grey cat asleep');
    expect(screen.queryByLabelText('Description of Image 1')).not.toBeInTheDocument();
    expect(screen.getByText('ALT')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit description of Image 1' })).toBeInTheDocument();

    // The processing poll answers with alt_text '' (read earlier): the saved description stays.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1100);
    });
    expect(getMedia).toHaveBeenCalled();
    expect(screen.getByText('ALT')).toBeInTheDocument();

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Post' }));
    });
    expect(createPost).toHaveBeenCalledWith('cat', ['m1']);
  });

  it('shows an upload error on the image and leaves it out of the post', async () => {
    uploadMedia.mockRejectedValue(new ApiError(415, 'unsupported_media_type', 'not an image'));
    render(wrap(<Composer />));
    fireEvent.change(screen.getByLabelText("What's happening?"), { target: { value: 'hi' } });
    await act(async () => pick([png()]));
    expect(screen.getByRole('alert')).toHaveTextContent(/not supported/);
    expect(screen.getByRole('button', { name: 'Post' })).toBeEnabled();
    fireEvent.click(screen.getByRole('button', { name: 'Remove Image 1' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('takes at most 4 images and counts characters', async () => {
    uploadMedia.mockReturnValue(new Promise(() => {}));
    render(wrap(<Composer />));
    pick([png(), png(), png(), png(), png()]);
    expect(screen.getAllByRole('listitem')).toHaveLength(4);
    expect(screen.getByRole('status')).toHaveTextContent('up to 4 images');
    expect(screen.getByLabelText('Add images')).toBeDisabled();
    fireEvent.change(screen.getByLabelText("What's happening?"), { target: { value: 'x'.repeat(501) } });
    expect(screen.getByText(/501\/500/)).toBeInTheDocument();
  });
});
