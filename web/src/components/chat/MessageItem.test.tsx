// Message bubbles: deleted messages, the "Seen" receipt, and the optimistic states
// ("Sending…", then "Not sent — Retry" resending the same client_id), and a support
// conversation's automatic answers and system notes (no sender).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { bob, msg } from '../../chat/fixtures';
import { newPending, pendingFailed } from '../../chat/messages';
import { MessageItem, PendingItem, SystemNote } from './MessageItem';

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
