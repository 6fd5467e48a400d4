// A message bubble with its reactions: the "Add reaction" button beside it, the emoji
// picker and the reaction chips under it, and the last reaction error. A deleted message
// (or one that cannot take reactions) gets the bubble alone.
import { useCallback, useId, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../../api/errors';
import type { Message } from '../../api/types';
import { useReactions } from '../../chat/useReactions';
import { ReactionChips } from './ReactionChips';
import { ReactionButton, ReactionPicker } from './ReactionPicker';
import './reactions.css';

export function ReactableBubble({
  message,
  myId,
  reactable,
  children,
}: {
  message: Message;
  myId: string;
  reactable: boolean;
  /** The bubble itself. */
  children: ReactNode;
}) {
  const { add, toggle, busy, error } = useReactions(message, myId);
  const [picking, setPicking] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const pickerId = `reactions-${useId()}`;
  const close = useCallback((refocus: boolean) => {
    setPicking(false);
    if (refocus) button.current?.focus();
  }, []);

  if (!reactable) return <>{children}</>;
  return (
    <>
      <div className="chat-bubble-line">
        {children}
        <ReactionButton open={picking} controls={pickerId} onToggle={() => setPicking((v) => !v)} buttonRef={button} />
      </div>
      {picking ? (
        <ReactionPicker
          id={pickerId}
          buttonRef={button}
          onClose={close}
          onPick={(emoji) => {
            close(true);
            void add(emoji);
          }}
        />
      ) : null}
      <ReactionChips reactions={message.reactions ?? []} myId={myId} busy={busy} onToggle={(emoji) => void toggle(emoji)} />
      {error ? (
        <p className="field-error chat-reaction-error" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
    </>
  );
}
