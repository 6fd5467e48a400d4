// Highlight rendering: UTF-16 ranges (an emoji before the match), Korean, bad ranges.
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Highlighted, splitHighlights } from './Highlighted';

describe('splitHighlights', () => {
  it('counts UTF-16 code units, so a non-BMP emoji is two', () => {
    // What the server answers for "hel" in this text.
    const pieces = splitHighlights('😀 Hello there, hello again', [
      { start: 3, end: 6 },
      { start: 16, end: 19 },
    ]);
    expect(pieces.filter((p) => p.mark).map((p) => p.text)).toEqual(['Hel', 'hel']);
    expect(pieces.map((p) => p.text).join('')).toBe('😀 Hello there, hello again');
  });

  it('marks Korean inside a word', () => {
    const pieces = splitHighlights('나는 서울에서 왔어요', [{ start: 3, end: 5 }]);
    expect(pieces).toEqual([
      { text: '나는 ', mark: false },
      { text: '서울', mark: true },
      { text: '에서 왔어요', mark: false },
    ]);
  });

  it('clamps ranges past the end and drops empty or overlapping ones', () => {
    expect(splitHighlights('abc', [{ start: 1, end: 99 }, { start: 2, end: 3 }, { start: 0, end: 0 }])).toEqual([
      { text: 'a', mark: false },
      { text: 'bc', mark: true },
    ]);
    expect(splitHighlights('abc', [])).toEqual([{ text: 'abc', mark: false }]);
  });
});

describe('<Highlighted>', () => {
  it('renders the matches in <mark>', () => {
    const { container } = render(<Highlighted text="🎉🎉 party time" ranges={[{ start: 5, end: 10 }]} />);
    const marks = [...container.querySelectorAll('mark')].map((m) => m.textContent);
    expect(marks).toEqual(['party']);
    expect(container.textContent).toBe('🎉🎉 party time');
  });
});
