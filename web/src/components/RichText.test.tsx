// RichText: hashtags and mentions become links, URLs and e-mail addresses stay text.
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { RichText } from './RichText';

function renderText(text: string) {
  return render(
    <MemoryRouter>
      <RichText text={text} />
    </MemoryRouter>,
  );
}

describe('RichText', () => {
  it('links hashtags in any script, lower-cased', () => {
    renderText('Hello #Rust and #안녕!');
    expect(screen.getByRole('link', { name: '#Rust' })).toHaveAttribute('href', '/tags/rust');
    expect(screen.getByRole('link', { name: '#안녕' })).toHaveAttribute('href', `/tags/${encodeURIComponent('안녕')}`);
  });

  it('links mentions but not e-mail addresses or mid-word hashes', () => {
    renderText('hi @Bob, mail me@example.com, not punctuation#no');
    expect(screen.getByRole('link', { name: '@Bob' })).toHaveAttribute('href', '/u/bob');
    expect(screen.getAllByRole('link')).toHaveLength(1);
  });

  it('keeps URLs as plain text, including their #fragment', () => {
    const { container } = renderText('see https://example.com/a#frag now');
    expect(screen.queryByRole('link')).toBeNull();
    expect(container.textContent).toBe('see https://example.com/a#frag now');
  });

  it('renders markup as text, never as HTML', () => {
    const { container } = renderText('<img src=x onerror=alert(1)> #tag');
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
