// A BlurHash decoded into a tiny 32×32 canvas; CSS stretches it over the image's box. Purely
// decorative (aria-hidden). An undecodable hash draws nothing, leaving the neutral background.
import { useEffect, useRef } from 'react';
import { decode } from 'blurhash';

const SIZE = 32;

export default function BlurhashCanvas({ hash, className }: { hash: string; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    let pixels: Uint8ClampedArray;
    try {
      pixels = decode(hash, SIZE, SIZE);
    } catch {
      return; // a malformed hash: keep the plain background
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(SIZE, SIZE);
    image.data.set(pixels);
    ctx.putImageData(image, 0, 0);
  }, [hash]);

  return <canvas ref={ref} width={SIZE} height={SIZE} className={className} aria-hidden="true" data-blurhash={hash} />;
}
