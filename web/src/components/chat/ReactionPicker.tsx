// The "Add reaction" button beside a bubble (😊+) and the compact row of common emoji it
// opens under the bubble; picking one adds it. The row closes on a pick, on Escape (focus
// goes back to the button) and on a click elsewhere.
import { useEffect, useRef, type RefObject } from 'react';
import { QUICK_EMOJI } from '../../chat/reactions';

export function ReactionButton({
  open,
  controls,
  onToggle,
  buttonRef,
}: {
  open: boolean;
  /** The picker's id, for aria-controls. */
  controls: string;
  onToggle: () => void;
  buttonRef: RefObject<HTMLButtonElement>;
}) {
  return (
    <button
      ref={buttonRef}
      type="button"
      className={open ? 'chat-react-button chat-react-button-open' : 'chat-react-button'}
      aria-label="Add reaction"
      title="Add reaction"
      aria-expanded={open}
      aria-controls={open ? controls : undefined}
      onClick={onToggle}
    >
      <span aria-hidden="true">😊+</span>
    </button>
  );
}

export function ReactionPicker({
  id,
  onPick,
  onClose,
  buttonRef,
}: {
  id: string;
  onPick: (emoji: string) => void;
  /** `refocus`: give the focus back to the button (Escape), not on a click elsewhere. */
  onClose: (refocus: boolean) => void;
  buttonRef: RefObject<HTMLButtonElement>;
}) {
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = root.current;
    el?.querySelector('button')?.focus();
    // Shown under the bubble: a message at the bottom of the list must not hide it.
    if (typeof el?.scrollIntoView === 'function') el.scrollIntoView({ block: 'nearest' });
    const outside = (e: MouseEvent) => {
      const target = e.target as Node | null;
      if (!target || el?.contains(target) || buttonRef.current?.contains(target)) return;
      onClose(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [onClose, buttonRef]);

  return (
    <div
      ref={root}
      id={id}
      className="chat-react-picker"
      role="group"
      aria-label="Pick a reaction"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose(true);
        }
      }}
    >
      {QUICK_EMOJI.map((emoji) => (
        <button
          key={emoji}
          type="button"
          className="chat-react-choice"
          aria-label={`React with ${emoji}`}
          title={`React with ${emoji}`}
          onClick={() => onPick(emoji)}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}
