/**
 * Images in the bucket: a stream is identified by its first bytes and streamed into a new object under a key
 * the server chose. On any failure of the stream or of S3 the multipart upload is aborted, so nothing half
 * written is ever committed.
 */
import { PassThrough, type Readable } from 'node:stream';
import { InvalidInputError, UnsupportedImageError } from '../errors';
import type { Bucket, ListedObject, UploadTuning } from '../s3/bucket';
import { sniffImageType } from './sniff';

/** Keys are never reused (random per upload), so browsers and CDNs may cache an image forever. */
export const IMAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
const ALLOWED_LIST = 'PNG, JPEG, GIF, WebP or AVIF';
const STREAM_BUFFER_BYTES = 1024 * 1024;

// Measured (docs/benchmarks.md): 5 MiB x 2 keeps single uploads near the SDK's own speed against s3rver
// while 16 concurrent uploads stay bounded in memory.
export const DEFAULT_UPLOAD_TUNING: UploadTuning = { partSize: 5 * 1024 * 1024, queueSize: 2 };

export interface StoredImage {
  key: string;
  contentType: string;
  bytes: number;
}

export class ImageStorage {
  constructor(
    private readonly bucket: Bucket,
    private readonly tuning: UploadTuning = DEFAULT_UPLOAD_TUNING,
    /** The field name used in messages about the file. */
    private readonly label = 'image_file',
  ) {}

  /**
   * Stores the image read from `file` as `<keyStem>.<ext>` and resolves once S3 has committed it. An error
   * of `file` (the client went away, the file is too large) is rethrown as it is, after the abort.
   */
  async store(file: Readable, keyStem: string): Promise<StoredImage> {
    const sniffed = await sniffImageType(file);
    if (sniffed.head.length === 0) throw new InvalidInputError(`${this.label} is empty`);
    if (!sniffed.ext) {
      const found = sniffed.mime ? `detected ${sniffed.mime}` : 'content is not a recognised image';
      throw new UnsupportedImageError(`${this.label} must be a ${ALLOWED_LIST} image (${found})`);
    }

    const key = `${keyStem}.${sniffed.ext}`;
    let bytes = sniffed.head.length;
    let sourceError: Error | undefined;
    const body = new PassThrough({ highWaterMark: STREAM_BUFFER_BYTES });
    body.write(sniffed.head);
    if (sniffed.ended) body.end();
    else file.on('data', (chunk: Buffer) => (bytes += chunk.length)).pipe(body);

    const upload = this.bucket.upload(key, body, { contentType: sniffed.mime!, cacheControl: IMAGE_CACHE_CONTROL }, this.tuning);
    file.once('error', (err) => {
      sourceError = err;
      // Abort first, so no further part or completion is sent, then unblock lib-storage's read of the body.
      void upload.abort();
      body.destroy(err);
    });
    try {
      await upload.done;
    } catch (err) {
      throw sourceError ?? err;
    }
    if (sourceError) {
      // The source failed while the last request to S3 was in flight, and S3 committed anyway.
      await this.delete(key);
      throw sourceError;
    }
    return { key, contentType: sniffed.mime!, bytes };
  }

  list(prefix: string): Promise<ListedObject[]> {
    return this.bucket.list(prefix);
  }

  delete(key: string): Promise<void> {
    return this.bucket.delete(key);
  }

  deleteMany(keys: string[]): Promise<void> {
    return this.bucket.deleteMany(keys);
  }
}
