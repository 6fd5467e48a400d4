// The images of a post: shows each `preview_url` (the thumbnail once ready, else the original)
// and links to the original, which opens in a new tab.
import type { Media, UserSummary } from '../../api/types';
import './posts.css';

export default function MediaGrid({ media, author }: { media: Media[]; author: UserSummary }) {
  if (media.length === 0) return null;
  return (
    <div className={`media-grid media-grid--${Math.min(media.length, 4)}`}>
      {media.map((m, i) => {
        const alt = `Image ${i + 1} of ${media.length} by @${author.username}`;
        return (
          <a
            key={m.id}
            className="media-grid__item"
            href={m.url}
            target="_blank"
            rel="noopener noreferrer"
            title="Open the original in a new tab"
          >
            <img
              src={m.preview_url}
              alt={alt}
              width={m.width || undefined}
              height={m.height || undefined}
              loading="lazy"
              decoding="async"
              data-status={m.status}
            />
          </a>
        );
      })}
    </div>
  );
}
