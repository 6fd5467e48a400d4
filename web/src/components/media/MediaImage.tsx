// An uploaded image (post or chat media) with its description as `alt` and, until it has loaded, a
// placeholder in a box of the image's aspect ratio (so nothing jumps when it arrives): the
// BlurHash when the server made one, else a neutral background.
import { useEffect, useRef, useState, type CSSProperties, type ImgHTMLAttributes } from 'react';
import type { Media } from '../../api/types';
import BlurhashCanvas from './BlurhashCanvas';
import './media.css';

type ImgProps = Omit<ImgHTMLAttributes<HTMLImageElement>, 'alt' | 'src' | 'onLoad' | 'onError' | 'className'>;

interface Props extends ImgProps {
  media: Media;
  /** Defaults to the media's `preview_url` (the thumbnail once ready, else the original). */
  src?: string;
  className?: string;
  /** Called when the image has loaded (after the placeholder goes). */
  onLoad?: () => void;
}

/** The aspect ratio of the image, as a CSS `aspect-ratio` value (square when unknown). */
export function aspectRatio(media: Pick<Media, 'width' | 'height'>): string {
  return media.width > 0 && media.height > 0 ? `${media.width} / ${media.height}` : '1 / 1';
}

export default function MediaImage({ media, src, className, onLoad, ...rest }: Props) {
  const [loaded, setLoaded] = useState(false);
  const img = useRef<HTMLImageElement>(null);

  // An image served from the cache may be complete before React sees its load event.
  useEffect(() => {
    const el = img.current;
    if (el && el.complete && el.naturalWidth > 0) setLoaded(true);
  }, []);

  const style = { '--media-aspect': aspectRatio(media) } as CSSProperties;
  return (
    <span
      className={`media-image${loaded ? ' media-image--loaded' : ''}${className ? ` ${className}` : ''}`}
      style={style}
    >
      {!loaded && media.blurhash && <BlurhashCanvas hash={media.blurhash} className="media-image__placeholder" />}
      <img
        ref={img}
        {...rest}
        src={src ?? media.preview_url}
        alt={media.alt_text || ''}
        className="media-image__img"
        onLoad={() => {
          setLoaded(true);
          onLoad?.();
        }}
        // A broken image shows its alt text rather than a placeholder forever.
        onError={() => setLoaded(true)}
      />
    </span>
  );
}
