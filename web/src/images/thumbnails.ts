/**
 * Thumbnails: small WebP renditions of an uploaded image, for list rows (1x) and sharp screens (2x), made with
 * sharp (libvips) from a local copy of the upload. Reading a file rather than a stream lets libvips decode in
 * one sequential pass (and JPEGs at a fraction of their size), so memory stays bounded whatever the upload:
 * sharp buffers a stream input whole before decoding it.
 */
import sharp from 'sharp';
import { ImageTooLargeError } from '../errors';

// libvips' own operation cache keeps decoded images around for reuse; every upload is a different file.
sharp.cache(false);

/** The list row's image box, in CSS pixels. */
export const THUMBNAIL_BOX = { width: 160, height: 120 } as const;
/**
 * The most pixels an image may have. sharp's default (16383 x 16383): past it an image is refused before it is
 * decoded, so a small file that claims huge dimensions (a decompression bomb) costs nothing. Within it, the
 * worst case measured (docs/benchmarks.md) stays far below the upload memory budget.
 */
export const MAX_IMAGE_PIXELS = 16383 * 16383;
const WEBP = { quality: 75, effort: 4 } as const;

export interface Thumbnails {
  /** 1x, fits THUMBNAIL_BOX. */
  x1: Buffer;
  /** 2x, for screens with two device pixels per CSS pixel. */
  x2: Buffer;
}

/** Thumbnail jobs of the process at once; each uses libvips' thread pool, so more would only queue there. */
const CONCURRENT_JOBS = 2;
let running = 0;
const waiting: (() => void)[] = [];

/**
 * Makes both thumbnails of the image in `path`, oriented as its EXIF says. Throws ImageTooLargeError for an
 * image over MAX_IMAGE_PIXELS (read from its header, nothing decoded), and sharp's error for content it cannot
 * decode (a truncated file, say).
 */
export async function makeThumbnails(path: string): Promise<Thumbnails> {
  if (running >= CONCURRENT_JOBS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    // The header only, without sharp's own limit, so the refusal can say the image's size.
    const { width = 0, height = 0 } = await sharp(path, { limitInputPixels: false }).metadata();
    if (width * height > MAX_IMAGE_PIXELS) throw new ImageTooLargeError(width, height, MAX_IMAGE_PIXELS);
    // Decoded once, to 2x; the 1x is made from those few pixels.
    const { data, info } = await sharp(path, { sequentialRead: true, limitInputPixels: MAX_IMAGE_PIXELS })
      .rotate()
      .resize(THUMBNAIL_BOX.width * 2, THUMBNAIL_BOX.height * 2, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    const [x2, x1] = await Promise.all([
      pixels().webp(WEBP).toBuffer(),
      pixels().resize(THUMBNAIL_BOX.width, THUMBNAIL_BOX.height, { fit: 'inside', withoutEnlargement: true }).webp(WEBP).toBuffer(),
    ]);
    return { x1, x2 };
  } finally {
    running--;
    waiting.shift()?.();
  }
}
