// MediaImage: the description is the alt, the BlurHash placeholder (aria-hidden) shows in a box
// of the image's aspect ratio until the image loads, and a plain box stands in without a hash.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import type { Media } from '../../api/types';
import MediaImage from './MediaImage';

// A valid 4×3 BlurHash (the example from blurha.sh).
const HASH = 'LEHV6nWB2yk8pyo0adR*.7kCMdnj';

function media(over: Partial<Media> = {}): Media {
  return {
    id: 'm1',
    content_type: 'image/jpeg',
    width: 400,
    height: 300,
    size_bytes: 1,
    status: 'ready',
    url: '/media/o.jpg',
    thumbnail_url: '/media/t.jpg',
    preview_url: '/media/t.jpg',
    failure_reason: null,
    alt_text: 'A red kite over the hills',
    blurhash: HASH,
    ...over,
  };
}

const putImageData = vi.fn();

beforeEach(() => {
  // jsdom has no canvas; a stand-in context records what is drawn.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
    () =>
      ({
        createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
        putImageData,
      }) as unknown as CanvasRenderingContext2D,
  );
});
afterEach(() => {
  vi.restoreAllMocks();
  putImageData.mockReset();
});

describe('MediaImage', () => {
  it('uses the description as alt and shows the BlurHash until the image loads', () => {
    const { container } = render(<MediaImage media={media()} />);
    const img = screen.getByAltText('A red kite over the hills');
    expect(img).toHaveAttribute('src', '/media/t.jpg');

    const canvas = container.querySelector('canvas');
    expect(canvas).not.toBeNull();
    expect(canvas).toHaveAttribute('aria-hidden', 'true');
    expect(canvas).toHaveAttribute('width', '32');
    expect(putImageData).toHaveBeenCalledTimes(1);
    const drawn = putImageData.mock.calls[0][0] as ImageData;
    expect(drawn.width).toBe(32);
    // Decoded pixels, not the blank buffer: some alpha is set.
    expect(drawn.data.some((v) => v > 0)).toBe(true);

    const box = container.querySelector('.media-image') as HTMLElement;
    expect(box.style.getPropertyValue('--media-aspect')).toBe('400 / 300');

    fireEvent.load(img);
    expect(container.querySelector('canvas')).toBeNull();
    expect(box).toHaveClass('media-image--loaded');
  });

  it('is decorative without a description and keeps a plain box without a hash', () => {
    const { container } = render(<MediaImage media={media({ alt_text: '', blurhash: null, status: 'processing' })} />);
    const img = container.querySelector('img');
    expect(img).toHaveAttribute('alt', '');
    expect(container.querySelector('canvas')).toBeNull();
    expect(container.querySelector('.media-image')).not.toHaveClass('media-image--loaded');
    expect(putImageData).not.toHaveBeenCalled();
  });

  it('ignores a malformed hash', () => {
    const { container } = render(<MediaImage media={media({ blurhash: 'nope' })} />);
    expect(container.querySelector('canvas')).not.toBeNull();
    expect(putImageData).not.toHaveBeenCalled();
  });
});
