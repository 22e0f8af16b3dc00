import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { HttpError } from '../http/errors';
import { ALLOWED_IMAGE_TYPES, sniffImageType } from './sniff';

export const IMAGE_FIELD = 'image_file';
/** Keys are never reused (random per upload), so browsers and CDNs may cache an image forever. */
export const IMAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
const ALLOWED_LIST = 'PNG, JPEG, GIF, WebP or AVIF';
/** Room for multipart boundaries and part headers on top of the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const STREAM_BUFFER_BYTES = 1024 * 1024;

export interface UploadTuning {
  /** Bytes per S3 part (S3 accepts no less than 5 MiB). Memory per upload is about partSize x (queueSize + 1). */
  partSize: number;
  /** Parts in flight to S3 at once for one upload. */
  queueSize: number;
}

// Measured (docs/benchmarks.md): 5 MiB x 2 keeps single uploads near the SDK's own speed against
// s3rver while 16 concurrent uploads stay under 400 MB; 8 MiB x 4 used ~30 MB more for one upload
// and 524 MB for sixteen.
export const DEFAULT_UPLOAD_TUNING: UploadTuning = { partSize: 5 * 1024 * 1024, queueSize: 2 };

export interface ReceiveImageOptions {
  s3: S3Client;
  bucket: string;
  /** e.g. `images/42/`: the server, never the client, names the object. */
  keyPrefix: string;
  maxBytes: number;
  idleTimeoutMs: number;
  tuning?: UploadTuning;
  /** Called when a committed object must be removed again (the request failed at the last moment). */
  discard: (key: string) => Promise<void>;
}

export interface StoredImage {
  key: string;
  contentType: string;
  bytes: number;
}

/** Refuses, before reading a byte, a body that announces more than the limit can ever allow. */
export function assertDeclaredSizeFits(req: IncomingMessage, maxBytes: number): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES) {
    throw new HttpError(413, `image_file is larger than the ${maxBytes}-byte limit`);
  }
}

/**
 * Streams the `image_file` part of a multipart request into S3 as it arrives: busboy parses,
 * the first bytes decide the type, and lib-storage sends parts while the client is still sending.
 * Resolves only once the object is committed. On any failure (bad type, over the limit, client gone,
 * stalled, S3 error) the S3 upload is aborted and nothing stays committed.
 */
export function receiveImage(req: IncomingMessage, options: ReceiveImageOptions): Promise<StoredImage> {
  const { maxBytes, tuning = DEFAULT_UPLOAD_TUNING } = options;

  return new Promise<StoredImage>((resolve, reject) => {
    let settled = false;
    let fileSeen = false;
    let upload: Upload | undefined;
    let body: PassThrough | undefined;

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Larger buffers than busboy's 64 KiB defaults: fewer, bigger chunks on the way to S3 parts.
        highWaterMark: STREAM_BUFFER_BYTES,
        fileHwm: STREAM_BUFFER_BYTES,
        limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 64 * 1024, parts: 21, headerPairs: 20 },
      });
    } catch (err) {
      const isMultipart = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
      reject(
        isMultipart
          ? new HttpError(400, `Malformed multipart body: ${(err as Error).message}`)
          : new HttpError(415, `Send the image as multipart/form-data in a field named ${IMAGE_FIELD}`),
      );
      return;
    }

    const settle = (err: Error | undefined, image?: StoredImage) => {
      if (settled) return;
      settled = true;
      // The socket may already be gone (client disconnected): clearing its timer must not throw.
      req.socket?.setTimeout(0);
      req.off('timeout', onIdle);
      if (err) {
        // Abort first so no part or completion is sent after this point, then unblock lib-storage,
        // which otherwise waits for the rest of a body that will never come.
        void upload?.abort();
        body?.destroy(new Error('upload cancelled'));
        req.unpipe(parser);
        req.resume(); // discard the rest of the request; Node then answers and can reuse the socket
        reject(err);
      } else {
        resolve(image!);
      }
    };

    const onIdle = () => {
      settle(new HttpError(408, `Upload stalled for more than ${options.idleTimeoutMs} ms`));
      req.destroy();
    };
    req.setTimeout(options.idleTimeoutMs, onIdle);

    const storeFile = async (file: Readable): Promise<StoredImage> => {
      const sniffed = await sniffImageType(file);
      if (settled) throw new Error('request already failed');
      if (sniffed.head.length === 0) throw new HttpError(400, `${IMAGE_FIELD} is empty`);
      if (!sniffed.ext) {
        const found = sniffed.mime ? `detected ${sniffed.mime}` : 'content is not a recognised image';
        throw new HttpError(415, `${IMAGE_FIELD} must be a ${ALLOWED_LIST} image (${found})`);
      }

      const key = `${options.keyPrefix}${randomUUID()}.${sniffed.ext}`;
      let bytes = sniffed.head.length;
      body = new PassThrough({ highWaterMark: STREAM_BUFFER_BYTES });
      body.write(sniffed.head);
      if (sniffed.ended) body.end();
      else file.on('data', (chunk: Buffer) => (bytes += chunk.length)).pipe(body);

      upload = new Upload({
        client: options.s3,
        params: {
          Bucket: options.bucket,
          Key: key,
          Body: body,
          ContentType: sniffed.mime,
          CacheControl: IMAGE_CACHE_CONTROL,
        },
        partSize: tuning.partSize,
        queueSize: tuning.queueSize,
        leavePartsOnError: false,
      });
      await upload.done();
      if (settled) {
        // The request failed while the last request to S3 was in flight and S3 committed anyway.
        await options.discard(key);
        throw new Error('request already failed');
      }
      return { key, contentType: sniffed.mime!, bytes };
    };

    const streamFailure = (err: Error) =>
      req.destroyed && !req.complete
        ? new HttpError(400, 'Client closed the connection during the upload')
        : new HttpError(400, `Malformed multipart body: ${err.message}`);

    parser.on('file', (field, file) => {
      if (field !== IMAGE_FIELD) {
        file.resume();
        settle(new HttpError(400, `Unexpected file field "${field}": send the image as ${IMAGE_FIELD}`));
        return;
      }
      fileSeen = true;
      // busboy destroys the file stream with the parse error (truncated body, client gone); without a
      // listener that error would be thrown as an uncaught exception and take the process down.
      file.on('error', (err) => settle(streamFailure(err)));
      file.on('limit', () => settle(new HttpError(413, `${IMAGE_FIELD} is larger than the ${maxBytes}-byte limit`)));
      storeFile(file).then(
        (image) => settle(undefined, image),
        (err: Error) => settle(err),
      );
    });
    parser.on('filesLimit', () => settle(new HttpError(400, `Send exactly one file, in ${IMAGE_FIELD}`)));
    parser.on('partsLimit', () => settle(new HttpError(400, 'Too many parts in the multipart body')));
    parser.on('fieldsLimit', () => settle(new HttpError(400, 'Too many fields in the multipart body')));
    parser.on('error', (err: Error) => settle(streamFailure(err)));
    parser.on('close', () => {
      if (!fileSeen && !parser.errored) settle(new HttpError(400, `Missing file field ${IMAGE_FIELD}`));
    });

    pipeline(req, parser, (err) => {
      if (err) settle(streamFailure(err));
    });
  });
}

