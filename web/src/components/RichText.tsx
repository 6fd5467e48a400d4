// Renders user text safely as React nodes: #hashtags link to /tags/<tag> (any script,
// lower-cased), @mentions to /u/<user>; URLs stay plain text. No innerHTML anywhere.
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router-dom';

// URLs are matched first so that a "#fragment" inside one is not taken for a hashtag.
const TOKEN = /(https?:\/\/\S+)|#([\p{L}\p{M}\p{N}_]+)|@([A-Za-z0-9_]{1,30})/gu;
const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;

export function richTextNodes(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let key = 0;
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index ?? 0;
    // "a#b" and "me@example.com" are not tags/mentions: they must start a word.
    const prev = start > 0 ? text[start - 1] : '';
    if (m[1] || (prev && WORD_CHAR.test(prev))) continue;
    if (start > last) out.push(text.slice(last, start));
    if (m[2]) {
      const tag = m[2].toLowerCase();
      out.push(
        <Link key={key++} to={`/tags/${encodeURIComponent(tag)}`} className="hashtag">
          #{m[2]}
        </Link>,
      );
    } else if (m[3]) {
      const user = m[3].toLowerCase();
      out.push(
        <Link key={key++} to={`/u/${encodeURIComponent(user)}`} className="mention">
          @{m[3]}
        </Link>,
      );
    }
    last = start + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function RichText({ text, className }: { text: string; className?: string }) {
  return (
    <p className={className ?? 'rich-text'}>
      {richTextNodes(text).map((n, i) => (
        <Fragment key={i}>{n}</Fragment>
      ))}
    </p>
  );
}

export default RichText;
