// Composer: Enter sends, Shift+Enter does not, an empty message cannot be sent, and typing
// emits throttled `typing` events that stop on send.
import { fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const emitWithAck = vi.fn((..._args: unknown[]) => Promise.resolve({ ok: true }));
const fakeSocket = { connected: true };

vi.mock('../../realtime/RealtimeContext', () => ({
  useSocket: () => fakeSocket,
  emitWithAck: (...args: unknown[]) => emitWithAck(...args),
}));

import { Composer } from './Composer';

describe('Composer', () => {
  beforeEach(() => {
    emitWithAck.mockClear();
  });

  it('sends on Enter and keeps Shift+Enter for a new line', () => {
    const onSend = vi.fn();
    render(<Composer conversationId="c-1" onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('line one', []);
    expect(box).toHaveValue('');
  });

  it('disables Send while the message is empty', () => {
    const onSend = vi.fn();
    render(<Composer conversationId="c-1" onSend={onSend} />);
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send).toBeDisabled();
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: '  ' } });
    expect(send).toBeDisabled();
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'hi' } });
    expect(send).toBeEnabled();
    fireEvent.click(send);
    expect(onSend).toHaveBeenCalledWith('hi', []);
  });

  it('emits typing:true while typing and typing:false on send', () => {
    render(<Composer conversationId="c-1" onSend={() => undefined} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'h' } });
    fireEvent.change(box, { target: { value: 'he' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    const typing = emitWithAck.mock.calls.filter((c) => c[1] === 'typing').map((c) => c[2]);
    expect(typing).toEqual([
      { conversation_id: 'c-1', typing: true },
      { conversation_id: 'c-1', typing: false },
    ]);
  });
});
