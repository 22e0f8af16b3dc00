/**
 * Images in the bucket: what the app accepts as an image (its content, sniffed from the first bytes), and how
 * one is stored. A file is streamed into a new object under a key the server chose; on any failure of the
 * stream or of S3 the multipart upload is aborted, so nothing half written is ever committed. Once the
 * original is stored whole, its thumbnails are made from a local copy taken on the way and stored beside it.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { Logger } from 'pino';
import { pipeline, Readable } from 'node:stream';
import { ImageTooLargeError, IncompleteUploadError, InvalidInputError, UnsupportedImageError } from '../errors';
import type { Bucket, UploadTuning } from '../s3/bucket';
import { PartBudget } from '../s3/upload-memory';
import { LocalCopy, makeThumbnails } from './thumbnails';

/** Keys are never reused (random per upload), so browsers and CDNs may cache an image forever. */
export const IMAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
const ALLOWED_LIST = 'PNG, JPEG, GIF, WebP or AVIF';

/** Raster formats browsers display. SVG is refused on purpose: it can carry script, and the bucket is public. */
export const ALLOWED_IMAGE_TYPES: ReadonlyMap<string, string> = new Map([
  ['image/png', 'png'],
  ['image/jpeg', 'jpg'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
  ['image/avif', 'avif'],
]);

export const ALLOWED_MIME_TYPES = [...ALLOWED_IMAGE_TYPES.keys()];

/** Enough for file-type to recognise every format above (it reads at most 4100 bytes by default). */
export const SNIFF_BYTES = 4100;

export interface SniffedFile {
  /** The file's size when it ended within the sniffed head (0: empty), undefined when more is coming. */
  sizeIfEnded: number | undefined;
  /** The type its content says, whether or not it is one the app accepts. */
  detectedMime: string | undefined;
  /** Set when the content is an accepted image: its type and the extension its key gets. */
  image: { mime: string; ext: string } | undefined;
  /** The whole file from its first byte: the sniffed head, then the rest as it arrives. Read it once. */
  body: Readable;
  /** Bytes read from the source so far; final once `body` has ended. */
  bytesRead(): number;
}

/**
 * Identifies a file from its first bytes (its content, not the client's file name or Content-Type) and gives
 * the whole file back as one stream. The head and the rest come from one iterator over the source, so no
 * chunking of the source (one chunk for the whole file, one byte at a time) can drop, repeat or reorder a byte:
 * nothing is pushed back into a stream that may already have ended.
 */
export async function sniffImage(source: AsyncIterable<Uint8Array>): Promise<SniffedFile> {
  const chunks = source[Symbol.asyncIterator]();
  let bytesRead = 0;
  let ended = false;
  const next = async (): Promise<Uint8Array | undefined> => {
    const chunk = await chunks.next();
    if (chunk.done) {
      ended = true;
      return undefined;
    }
    bytesRead += chunk.value.length;
    return chunk.value;
  };

  const headChunks: Uint8Array[] = [];
  while (bytesRead < SNIFF_BYTES) {
    const chunk = await next();
    if (!chunk) break;
    headChunks.push(chunk);
  }
  const head = Buffer.concat(headChunks);
  const detected = head.length > 0 ? await fileTypeFromBuffer(head) : undefined;
  const ext = detected && ALLOWED_IMAGE_TYPES.get(detected.mime);

  async function* whole() {
    if (head.length > 0) yield head;
    for (let chunk = ended ? undefined : await next(); chunk; chunk = await next()) yield chunk;
  }
  return {
    sizeIfEnded: ended ? head.length : undefined,
    detectedMime: detected?.mime,
    image: ext ? { mime: detected!.mime, ext } : undefined,
    body: Readable.from(whole(), { objectMode: false }),
    bytesRead: () => bytesRead,
  };
}

const MiB = 1024 * 1024;
/** S3 takes at most this many parts per multipart upload. */
const MAX_PARTS = 10_000;
// Measured (docs/benchmarks.md): a lone upload with 4 parts in flight, lib-storage's default and multer-s3's, is as
// fast as multer-s3 at 100 MiB and keeps pace with the SDK's own upload at 1 GiB; with each part's buffer freed as soon
// as S3 has it (PartBuffers, s3/upload-memory.ts), one 1 GiB upload peaks well under 160 MB with 4 (it went over with 3
// when dead parts waited for V8). Concurrent uploads share 8 parts in flight, 2 each once 4 are streaming, which
// already fills what S3 takes and keeps 16 (or 100) concurrent uploads within a fixed memory budget. Most photos are
// under 16 MiB: one PutObject stores them in one request instead of four or more (create, parts, complete), the AWS
// CLI's choice too (its threshold is 8 MiB), for at most 16 MiB held per streaming upload.
export const DEFAULT_UPLOAD_TUNING: UploadTuning = {
  partSize: 5 * MiB,
  singleRequestMaxBytes: 16 * MiB,
  partsInFlight: 8,
  partsPerUpload: 4,
  streams: 4,
};

/** Keys of an image's thumbnails (1x and 2x), stored next to it under the same key stem. */
export interface ThumbnailKeys {
  x1: string;
  x2: string;
}

export interface StoredImage {
  key: string;
  contentType: string;
  /** null when they could not be made (the original is kept all the same). */
  thumbnails: ThumbnailKeys | null;
}

/** `images/<id>/<uuid>` of any object of one upload (`<stem>.<ext>`, `<stem>.thumb-1x.webp`, ...): what they share. */
export function keyStemOf(key: string): string {
  const dot = key.indexOf('.', key.lastIndexOf('/'));
  return dot === -1 ? key : key.slice(0, dot);
}

/** Every object of a stored image: the original and its thumbnails. */
export const keysOf = (image: { key: string; thumbnails: ThumbnailKeys | null }): string[] =>
  image.thumbnails ? [image.key, image.thumbnails.x1, image.thumbnails.x2] : [image.key];

export class ImageStorage {
  private readonly budget: PartBudget;

  constructor(
    private readonly bucket: Bucket,
    private readonly tuning: UploadTuning = DEFAULT_UPLOAD_TUNING,
    private readonly logger?: Logger,
  ) {
    this.budget = new PartBudget(tuning.partsInFlight, tuning.partsPerUpload, tuning.streams);
  }

  /**
   * Stores the image that `receive` reads (a request body, say) as `<keyStem>.<ext>`, with its thumbnails beside
   * it, and resolves once S3 has committed it whole. `receive` is called once it is this upload's turn to
   * stream (an abort of `signal` while waiting gives up with its reason), and hands the file to `save`; if it
   * fails after `save` stored the file (the request went wrong after it), what was stored is removed.
   * `atMostBytes` is the most the file can be (the request's declared length, or the upload limit): a small
   * file goes to S3 in a single request, a huge one in parts large enough to stay within S3's 10,000.
   *
   * Every byte is accounted for: the bytes read from `file`, the bytes S3 acknowledged in parts or in its one
   * request, and the size S3 then reports for the object must be equal (and not zero). The first two are
   * compared before the commit, which does not happen if they differ; the third after it, and a stored object
   * of the wrong size is deleted. Either way the upload fails with an IncompleteUploadError.
   */
  async store(
    keyStem: string,
    { atMostBytes, signal }: { atMostBytes: number; signal?: AbortSignal },
    receive: (save: (file: Readable) => Promise<StoredImage>) => Promise<StoredImage>,
  ): Promise<StoredImage> {
    const release = await this.budget.admit(signal);
    let saving: Promise<StoredImage> | undefined;
    try {
      return await receive((file) => (saving = this.save(file, keyStem, atMostBytes)));
    } catch (err) {
      // Settles soon: a failed request destroys the file stream, which aborts the upload.
      const saved = await saving?.catch(() => undefined);
      if (saved)
        await this.bucket
          .deleteMany(keysOf(saved))
          .catch((cleanup: unknown) =>
            this.logger?.warn({ err: cleanup, key: saved.key }, 'could not remove an image the request failed after'),
          );
      throw err;
    } finally {
      release();
    }
  }

  /**
   * Stores `file` and its thumbnails. An error of `file` (the client went away, the file is too large) is
   * rethrown as it is, after the abort.
   */
  private async save(file: Readable, keyStem: string, atMostBytes: number): Promise<StoredImage> {
    const sniffed = await sniffImage(file);
    if (sniffed.sizeIfEnded === 0) throw new InvalidInputError('The file is empty');
    if (!sniffed.image) {
      const found = sniffed.detectedMime ? `detected ${sniffed.detectedMime}` : 'content is not a recognised image';
      throw new UnsupportedImageError(`The file must be a ${ALLOWED_LIST} image (${found})`);
    }
    const copy = new LocalCopy();
    try {
      const { mime, ext } = sniffed.image;
      const key = await this.storeOriginal(file, sniffed, copy, { key: `${keyStem}.${ext}`, mime, atMostBytes });
      const thumbnails = await this.storeThumbnails(keyStem, copy).catch(async (err: unknown) => {
        if (!(err instanceof ImageTooLargeError)) throw err;
        await this.bucket.delete(key);
        throw err;
      });
      return { key, contentType: mime, thumbnails };
    } finally {
      await copy.remove();
    }
  }

  /** Streams the sniffed file into `key` (through `copy`) and checks that S3 holds every byte of it. */
  private async storeOriginal(
    file: Readable,
    sniffed: SniffedFile,
    copy: LocalCopy,
    { key, mime, atMostBytes }: { key: string; mime: string; atMostBytes: number },
  ): Promise<string> {
    let sourceError: Error | undefined;
    const upload = this.bucket.upload(
      key,
      pipeline(sniffed.body, copy.tee, () => undefined),
      { contentType: mime, cacheControl: IMAGE_CACHE_CONTROL },
      this.partSizeFor(atMostBytes),
      this.budget,
      (sentBytes) => {
        if (sourceError) throw sourceError;
        if (sentBytes !== sniffed.bytesRead()) throw new IncompleteUploadError(sniffed.bytesRead(), sentBytes);
      },
    );
    file.once('error', (err) => {
      sourceError = err;
      // Abort, so no further part or completion is sent; lib-storage's read of the body fails with the error.
      void upload.abort();
    });
    let sentBytes: number;
    try {
      ({ sentBytes } = await upload.done);
    } catch (err) {
      throw sourceError ?? err;
    }
    const receivedBytes = sniffed.bytesRead();
    if (sourceError) {
      // The source failed while the last request to S3 was in flight, and S3 committed anyway.
      await this.bucket.delete(key);
      throw sourceError;
    }
    const storedBytes = await this.storedSize(key, receivedBytes);
    if (storedBytes !== receivedBytes || sentBytes !== receivedBytes || receivedBytes === 0) {
      await this.bucket.delete(key);
      throw new IncompleteUploadError(receivedBytes, sentBytes, storedBytes);
    }
    return key;
  }

  /**
   * Makes and stores the thumbnails of the file copied to `copy`. An image over the pixel limit fails
   * (ImageTooLargeError); any other failure (content the decoder rejects, a full disk, S3) is logged and leaves
   * the image without thumbnails: the original is what the user uploaded, and is never lost for a preview.
   */
  private async storeThumbnails(keyStem: string, copy: LocalCopy): Promise<ThumbnailKeys | null> {
    const keys: ThumbnailKeys = { x1: `${keyStem}.thumb-1x.webp`, x2: `${keyStem}.thumb-2x.webp` };
    try {
      const path = await copy.complete();
      if (!path) throw new Error('the local copy of the upload failed');
      const made = await makeThumbnails(path);
      const put = (key: string, data: Buffer) =>
        this.bucket.putBytes(key, data, { contentType: 'image/webp', cacheControl: IMAGE_CACHE_CONTROL });
      await Promise.all([put(keys.x1, made.x1), put(keys.x2, made.x2)]);
      return keys;
    } catch (err) {
      if (err instanceof ImageTooLargeError) throw err;
      this.logger?.warn({ err, keyStem }, 'no thumbnails for this image; the original is stored');
      await this.bucket.deleteMany([keys.x1, keys.x2]).catch(() => undefined);
      return null;
    }
  }

  /**
   * The size S3 reports for a just-committed object. AWS's reads are strongly consistent: the first answer is
   * final. s3rver (behind `npm start`) can answer a HEAD before its write has reached the disk (seen under load:
   * 65,536 of 65,537 bytes), so a size other than the one expected is asked again, briefly, before it counts.
   */
  private async storedSize(key: string, expected: number): Promise<number | undefined> {
    for (let attempt = 1; ; attempt++) {
      const size = await this.bucket.sizeOf(key);
      if (size === expected || attempt === 4) return size;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }

  /**
   * lib-storage sends one PutObject when the body ends within the first part, so a part as large as the whole
   * file makes a single request. Above 48.8 GiB (10,000 parts of 5 MiB) parts grow, and so does the memory of
   * each part in flight: the price of a MAX_UPLOAD_BYTES that large.
   */
  private partSizeFor(atMostBytes: number): number {
    const { partSize, singleRequestMaxBytes } = this.tuning;
    if (atMostBytes <= singleRequestMaxBytes) return Math.max(partSize, atMostBytes);
    return Math.max(partSize, Math.ceil(atMostBytes / MAX_PARTS));
  }
}
