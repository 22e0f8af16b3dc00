/**
 * Thumbnails: small WebP renditions of an uploaded image, for list rows (1x) and sharp screens (2x), made with
 * sharp (libvips) from a local copy of the upload. Reading a file rather than a stream lets libvips decode in
 * one sequential pass (and JPEGs at a fraction of their size), so memory stays bounded whatever the upload:
 * sharp buffers a stream input whole before decoding it. The copy is taken while the upload streams to S3
 * (LocalCopy), so the file is not held in memory or downloaded back.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
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

/**
 * A copy on local disk of a file that streams somewhere else, so the file can be read again after it has gone
 * (to make its thumbnails) without holding it in memory or downloading it back from S3. The copy is best
 * effort: if the disk fails, the stream goes on unharmed and the copy reports itself missing.
 */
export class LocalCopy {
  readonly path = join(tmpdir(), `inventory-upload-${randomUUID()}`);
  private readonly file: WriteStream;
  private failure: Error | undefined;
  /** Set while the disk is behind: called when it has caught up, to take the next chunk. */
  private waitingForDisk: (() => void) | undefined;
  private readonly closed: Promise<void>;
  /** Pipe the file through this: what comes out is what went in, and it is written to `path` on the way. */
  readonly tee: Transform;

  constructor() {
    // Up to this much may wait for the disk without holding up the stream (a few ms of a fast upload).
    this.file = createWriteStream(this.path, { highWaterMark: 1024 * 1024 });
    this.closed = new Promise((resolve) => this.file.once('close', resolve));
    this.file.on('error', (err) => {
      this.failure = err;
      this.resume();
    });
    this.tee = new Transform({
      transform: (chunk: Buffer, _encoding, next: TransformCallback) => {
        if (this.failure || this.file.write(chunk)) return next(null, chunk);
        // The chunk goes on at once; the next one waits until the disk has caught up.
        this.tee.push(chunk);
        this.waitingForDisk = () => next();
        this.file.once('drain', () => this.resume());
      },
      flush: (done) => {
        this.file.end();
        done();
      },
    });
  }

  /** Once the stream has ended: the path of the complete copy, or undefined if the disk failed. */
  async complete(): Promise<string | undefined> {
    await this.closed;
    return this.failure ? undefined : this.path;
  }

  async remove(): Promise<void> {
    this.file.destroy();
    await this.closed;
    await rm(this.path, { force: true });
  }

  private resume() {
    const pass = this.waitingForDisk;
    this.waitingForDisk = undefined;
    pass?.();
  }
}
