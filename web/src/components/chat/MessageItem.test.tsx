// Message bubbles: deleted messages, the "Seen" receipt, and the optimistic states
// ("Sending…", then "Not sent — Retry" resending the same client_id), and a support
// conversation's automatic answers and system notes (no sender), and images through
// MediaImage (the description as alt, the BlurHash placeholder until the image loads).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Media } from '../../api/types';
import { bob, msg } from '../../chat/fixtures';
import { newPending, pendingFailed } from '../../chat/messages';
import { chatImageWidth, MessageItem, PendingItem, SystemNote } from './MessageItem';

function wrap(children: ReactNode) {
  return <QueryClientProvider client={new QueryClient()}>{<ol>{children}</ol>}</QueryClientProvider>;
}

describe('MessageItem', () => {
  it('shows "Message deleted" instead of the text', () => {
    render(wrap(<MessageItem myId="u-alice" message={msg(1, { deleted: true, text: '' })} mine={false} showSender receipt={null} onMediaLoad={() => undefined} />));
    expect(screen.getByText('Message deleted')).toBeInTheDocument();
  });

  it('shows the receipt under the message and edit/delete for my own', () => {
    render(wrap(<MessageItem myId="u-alice" message={msg(2, { text: 'hello' })} mine showSender={false} receipt="Seen" onMediaLoad={() => undefined} />));
    expect(screen.getByText('hello')).toBeInTheDocument();
    expect(screen.getByText('Seen')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Delete message/ })).toBeInTheDocument();
  });

  it("offers no actions on someone else's message", () => {
    render(wrap(<MessageItem myId="u-alice" message={msg(3, { sender: bob })} mine={false} showSender receipt={null} onMediaLoad={() => undefined} />));
    expect(screen.queryByRole('button', { name: /Delete message/ })).toBeNull();
  });
});

describe('PendingItem', () => {
  it('shows "Sending…" while in flight', () => {
    render(wrap(<PendingItem pending={newPending('c', 'hi', 'cid-1')} onRetry={vi.fn()} onDiscard={vi.fn()} />));
    expect(screen.getByText('Sending…')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('retries a failed message with the same client_id', () => {
    const onRetry = vi.fn();
    const failed = pendingFailed(newPending('c', 'hi', 'cid-1'), 'The server took too long to answer.');
    render(wrap(<PendingItem pending={failed} onRetry={onRetry} onDiscard={vi.fn()} />));
    expect(screen.getByRole('alert')).toHaveTextContent('Not sent — Retry');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledWith('cid-1');
  });
});

describe('support messages without a sender', () => {
  const org = { slug: 'acme', name: 'Acme', avatar_url: null };

  it("labels an automatic answer as the organization's, with no actions", () => {
    const answer = msg(4, { kind: 'auto', sender: null, organization: org, text: '14일 이내에 환불됩니다.' });
    render(wrap(<MessageItem myId="u-alice" message={answer} mine={false} showSender receipt={null} onMediaLoad={() => undefined} />));
    expect(screen.getByText('Answer from Acme')).toBeInTheDocument();
    expect(screen.getByText('14일 이내에 환불됩니다.')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: "Acme's avatar" })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Edit message/ })).toBeNull();
  });

  it('shows a system note as a line of its own', () => {
    const note = msg(5, { kind: 'system', sender: null, organization: org, text: 'Assigned to alice' });
    render(wrap(<SystemNote message={note} />));
    expect(screen.getByText(/Assigned to alice/)).toHaveClass('chat-system-note');
  });
});

describe('message images', () => {
  // A valid 4×3 BlurHash (the example from blurha.sh).
  const HASH = 'LEHV6nWB2yk8pyo0adR*.7kCMdnj';
  const image = (over: Partial<Media> = {}): Media => ({
    id: 'img-1',
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
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('uses the description as alt, shows the placeholder until load, and links to the original', () => {
    // jsdom has no canvas; a stand-in context takes the drawing.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
      () =>
        ({
          createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
          putImageData: vi.fn(),
        }) as unknown as CanvasRenderingContext2D,
    );
    const onMediaLoad = vi.fn();
    const { container } = render(
      wrap(<MessageItem myId="u-alice" message={msg(6, { sender: bob, media: [image()] })} mine={false} showSender receipt={null} onMediaLoad={onMediaLoad} />),
    );
    const img = screen.getByAltText('A red kite over the hills');
    expect(img).toHaveAttribute('src', '/media/t.jpg');
    expect(img).toHaveAttribute('loading', 'lazy');
    const link = img.closest('a');
    expect(link).toHaveAttribute('href', '/media/o.jpg');
    expect(link).not.toHaveAttribute('aria-label');
    // 400×300 fits 200×200 as 200×150.
    expect(link?.style.getPropertyValue('--chat-image-width')).toBe('200px');

    const box = container.querySelector('.chat-media .media-image') as HTMLElement;
    expect(box.style.getPropertyValue('--media-aspect')).toBe('400 / 300');
    const canvas = box.querySelector('canvas');
    expect(canvas).not.toBeNull();
    expect(canvas).toHaveAttribute('aria-hidden', 'true');

    fireEvent.load(img);
    expect(box.querySelector('canvas')).toBeNull();
    expect(box).toHaveClass('media-image--loaded');
    expect(onMediaLoad).toHaveBeenCalledTimes(1);
  });

  it('makes an undescribed image decorative and names its link instead', () => {
    const { container } = render(
      wrap(<MessageItem myId="u-alice" message={msg(7, { sender: bob, media: [image({ alt_text: '', blurhash: null })] })} mine={false} showSender receipt={null} onMediaLoad={() => undefined} />),
    );
    expect(container.querySelector('.chat-media img')).toHaveAttribute('alt', '');
    expect(screen.getByRole('link', { name: 'Image from Bob' })).toHaveAttribute('href', '/media/o.jpg');
    // No hash: the plain box stands in until load.
    expect(container.querySelector('.chat-media canvas')).toBeNull();
    expect(container.querySelector('.chat-media .media-image')).not.toHaveClass('media-image--loaded');
  });

  it('sizes the box to fit 200×200 at the image aspect ratio', () => {
    expect(chatImageWidth({ width: 400, height: 300 })).toBe(200);
    expect(chatImageWidth({ width: 300, height: 600 })).toBe(100);
    expect(chatImageWidth({ width: 120, height: 80 })).toBe(120);
    expect(chatImageWidth({ width: 0, height: 0 })).toBe(200);
  });
});
