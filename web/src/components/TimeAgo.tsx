// "3 min ago"-style relative time in a <time> element, refreshed every minute.
import { useEffect, useState } from 'react';

export function formatTimeAgo(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const secs = Math.round((now - then) / 1000);
  if (secs < 45) return 'just now';
  const mins = Math.round(secs / 60);
  if (mins < 60) return `${mins} min ago`;
  const hours = Math.round(mins / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 7) return `${days} d ago`;
  return new Date(then).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function TimeAgo({ iso, className }: { iso: string; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  const full = Number.isNaN(Date.parse(iso)) ? iso : new Date(iso).toLocaleString();
  return (
    <time className={className ?? 'time-ago'} dateTime={iso} title={full}>
      {formatTimeAgo(iso, now)}
    </time>
  );
}

export default TimeAgo;
