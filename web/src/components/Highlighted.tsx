// Text with search matches wrapped in <mark>. The server's ranges are [start, end) in UTF-16
// code units, which is exactly what String.prototype.slice counts, so an emoji outside the
// BMP before a match (two code units) shifts it correctly. Bad ranges are clamped or dropped.
import type { ReactNode } from 'react';
import type { TextRange } from '../api/search';

export interface Piece {
  text: string;
  mark: boolean;
}

/** Splits `text` into plain and marked pieces by sorted, non-overlapping `ranges`. */
export function splitHighlights(text: string, ranges: readonly TextRange[]): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  for (const r of sorted) {
    const start = Math.max(at, Math.min(r.start, text.length));
    const end = Math.min(Math.max(r.end, start), text.length);
    if (end <= start) continue;
    if (start > at) pieces.push({ text: text.slice(at, start), mark: false });
    pieces.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), mark: false });
  return pieces;
}

export function Highlighted({ text, ranges, className }: { text: string; ranges: readonly TextRange[]; className?: string }) {
  const nodes: ReactNode[] = splitHighlights(text, ranges).map((p, i) =>
    p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
  );
  return <p className={className}>{nodes}</p>;
}

export default Highlighted;
