// The author's menu on a post: "Edit", "Describe images" (when it has images) and "Delete". A small disclosure rather than a full ARIA
// menu: a toggle button and plain buttons, which keyboards and screen readers handle well.
import { useEffect, useRef, useState } from 'react';
import { MoreIcon } from './icons';

export default function PostMenu({
  onEdit,
  onDescribe,
  onDelete,
}: {
  onEdit: () => void;
  /** Omitted when the post has no images. */
  onDescribe?: () => void;
  onDelete: () => void;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  // Close on a click outside or Escape, like any popup.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const pick = (fn: () => void) => () => {
    setOpen(false);
    fn();
  };

  return (
    <div className="post-menu" ref={root}>
      <button
        type="button"
        className="post-menu__toggle"
        aria-label="Post options"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <MoreIcon />
      </button>
      {open && (
        <div className="post-menu__list card">
          <button type="button" className="post-menu__item" onClick={pick(onEdit)}>
            Edit
          </button>
          {onDescribe && (
            <button type="button" className="post-menu__item" onClick={pick(onDescribe)}>
              Describe images
            </button>
          )}
          <button type="button" className="post-menu__item post-menu__item--danger" onClick={pick(onDelete)}>
            Delete
          </button>
        </div>
      )}
    </div>
  );
}
