// A user's round avatar image, or their initials on a colour derived from the username.
import { useState } from 'react';
import type { UserSummary } from '../api/types';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : [name.trim()];
  return letters
    .map((p) => Array.from(p)[0] ?? '')
    .join('')
    .toUpperCase()
    .slice(0, 2) || '?';
}

function hue(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 360;
  return h;
}

export function Avatar({ user, size = 40 }: { user: Pick<UserSummary, 'username' | 'display_name' | 'avatar_url'>; size?: number }) {
  const [broken, setBroken] = useState(false);
  const name = user.display_name || user.username;
  const style = { width: size, height: size, fontSize: Math.max(10, Math.round(size * 0.4)) };
  if (user.avatar_url && !broken) {
    return (
      <img
        className="avatar"
        src={user.avatar_url}
        alt={`${name}'s avatar`}
        width={size}
        height={size}
        style={style}
        loading="lazy"
        onError={() => setBroken(true)}
      />
    );
  }
  return (
    <span
      className="avatar avatar-initials"
      role="img"
      aria-label={`${name}'s avatar`}
      style={{ ...style, background: `hsl(${hue(user.username)} 55% 45%)` }}
    >
      <span aria-hidden="true">{initials(name)}</span>
    </span>
  );
}

export default Avatar;
