// The images of a post: shows each `preview_url` (the thumbnail once ready, else the original)
// and links to the original, which opens in a new tab. Once the thumbnail exists, `srcSet`
// offers both it and the original, so a small tile loads the 200 px thumbnail and a wide
// single image (or a dense screen) gets the original instead of a blurry upscale. Each image is
// a MediaImage: its author's description as `alt`, a BlurHash placeholder while it loads. An
// undescribed image's link is named "Image 1 of 2 by @alice" so it is never a nameless link.
import type { Media, UserSummary } from '../../api/types';
import MediaImage from '../media/MediaImage';
import './posts.css';

const THUMBNAIL_BOX = 200;

/** The thumbnail's width: the original fitted into 200×200, never upscaled. */
export function thumbnailWidth(m: Media): number {
  if (!m.width || !m.height) return THUMBNAIL_BOX;
  const scale = Math.min(1, THUMBNAIL_BOX / Math.max(m.width, m.height));
  return Math.max(1, Math.round(m.width * scale));
}

function sourceSet(m: Media): string | undefined {
  if (!m.thumbnail_url || !m.width) return undefined;
  return `${m.thumbnail_url} ${thumbnailWidth(m)}w, ${m.url} ${m.width}w`;
}

export default function MediaGrid({ media, author }: { media: Media[]; author: UserSummary }) {
  if (media.length === 0) return null;
  return (
    <div className={`media-grid media-grid--${Math.min(media.length, 4)}`}>
      {media.map((m, i) => {
        const label = `Image ${i + 1} of ${media.length} by @${author.username}`;
        return (
          <a
            key={m.id}
            className="media-grid__item"
            href={m.url}
            target="_blank"
            rel="noopener noreferrer"
            title="Open the original in a new tab"
            aria-label={m.alt_text ? undefined : label}
          >
            <MediaImage
              media={m}
              srcSet={sourceSet(m)}
              sizes={media.length === 1 ? '(max-width: 720px) 100vw, 600px' : '(max-width: 720px) 50vw, 300px'}
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
