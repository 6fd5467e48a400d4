// The sharp side of the thumbnail benchmark (bench/media/run.sh): how many
// thumbnails per second sharp makes of one JPEG, `--concurrency` at a time,
// doing what Parley's workers do: fit inside 200x200 keeping the aspect
// ratio, never enlarge, Lanczos3 (sharp's default kernel), JPEG quality 80
// with 4:2:0 chroma (sharp's default), from a JPEG in memory to a buffer.
// sharp shrinks JPEGs on load (libjpeg-turbo DCT scaling) by default, like
// Parley. Prints one JSON object, the same shape as `parley-bench thumbs rate`.
//
//   node thumbs.mjs --image photo.jpg --concurrency 2 --seconds 10 [--threads 1]
//
// --threads is libvips' threads per image (sharp.concurrency); 1 makes
// "concurrency N" mean N images on N threads, as in Parley (and is sharp's
// own default on glibc Linux); 0 keeps sharp's default. libvips' operation
// cache is off, so every iteration really decodes the input.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import sharp from "sharp";

const { values } = parseArgs({
  options: {
    image: { type: "string" },
    concurrency: { type: "string", default: "1" },
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    threads: { type: "string", default: "1" },
  },
});
if (!values.image) {
  console.error("usage: node thumbs.mjs --image FILE [--concurrency N] [--seconds S] [--threads T]");
  process.exit(2);
}
const concurrency = Number(values.concurrency);
const threads = Number(values.threads);
const input = readFileSync(values.image);

sharp.cache(false);
if (threads > 0) sharp.concurrency(threads);

const thumbnail = () =>
  sharp(input)
    .resize(200, 200, { fit: "inside", withoutEnlargement: true, kernel: "lanczos3" })
    .jpeg({ quality: 80, chromaSubsampling: "4:2:0" })
    .toBuffer({ resolveWithObject: true });

const sample = await thumbnail();
const start = performance.now();
const warmupEnd = start + Number(values.warmup) * 1000;
const end = warmupEnd + Number(values.seconds) * 1000;
let made = 0;
let windowStart = null;

async function worker() {
  while (performance.now() < end) {
    await thumbnail();
    if (windowStart !== null) made += 1;
  }
}
const timer = setTimeout(() => {
  windowStart = performance.now();
}, warmupEnd - start);
await Promise.all(Array.from({ length: concurrency }, worker));
clearTimeout(timer);
const seconds = windowStart === null ? 0 : (performance.now() - windowStart) / 1000;
console.log(
  JSON.stringify({
    tool: "sharp",
    concurrency,
    threads_per_image: threads > 0 ? threads : sharp.concurrency(),
    thumbnails: made,
    seconds: Math.round(seconds * 100) / 100,
    per_second: seconds > 0 ? Math.round((made / seconds) * 10) / 10 : 0,
    thumbnail: `${sample.info.width}x${sample.info.height}`,
    thumbnail_bytes: sample.data.length,
    versions: { sharp: sharp.versions.sharp, vips: sharp.versions.vips, node: process.versions.node },
  }),
);
