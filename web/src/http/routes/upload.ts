/**
 * The upload route, POST /inventory/:id/image, and everything that makes a request an upload: which requests
 * are uploads, what is refused from the headers alone (before a body is invited with 100 Continue or read),
 * and how the one file is read out of the multipart body and handed to the image storage as it arrives.
 * Uploads are exempt from the whole-body deadline (app.ts mounts this route before it): a large file
 * legitimately takes long, so their idle timeout bounds them instead.
 */
import busboy from 'busboy';
import { Router } from 'express';
import type { IncomingMessage } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import type { ImageStorage } from '../../images/storage';
import { parseItemId, toPublicItem } from '../../inventory/item';
import type { InventoryService } from '../../inventory/service';
import { methodNotAllowed } from '../errors';
import { HttpError } from '../http-error';
import { JSON_BODY_LIMIT_BYTES } from './inventory';

/** Where app.ts mounts the route. */
export const UPLOAD_PATH = '/inventory/:id/image';
/** The multipart field of the file, as the original Flask app named it. */
export const IMAGE_FIELD = 'image_file';
/** Room for multipart boundaries and part headers on top of the file itself. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** UPLOAD_PATH, for the server's `Expect: 100-continue` check, which runs before Express routes the request. */
const isUploadRequest = (method: string | undefined, url: string | undefined) =>
  method === 'POST' && /^\/inventory\/[^/?]+\/image\/?(\?|$)/i.test(url ?? '');

/** The refusal a request gets from its headers alone (its declared size), before its body is invited or read. */
export function refusalBeforeBody(req: IncomingMessage, maxUploadBytes: number): HttpError | undefined {
  if (isUploadRequest(req.method, req.url)) return declaredSizeError(req, maxUploadBytes);
  return Number(req.headers['content-length']) > JSON_BODY_LIMIT_BYTES
    ? new HttpError(413, `The request body is larger than ${describeBytes(JSON_BODY_LIMIT_BYTES)}`)
    : undefined;
}

/** The body's length as its Content-Length announces it (Node refuses a body longer than that), if it does. */
function declaredBodyBytes(req: IncomingMessage): number | undefined {
  const declared = Number(req.headers['content-length']);
  return req.headers['content-length'] !== undefined && Number.isSafeInteger(declared) ? declared : undefined;
}

/** Refuses, before reading a byte, a body that announces more than the limit can ever allow. */
function declaredSizeError(req: IncomingMessage, maxBytes: number): HttpError | undefined {
  const declared = declaredBodyBytes(req);
  return declared !== undefined && declared > maxBytes + MULTIPART_OVERHEAD_BYTES ? fileTooLarge(maxBytes) : undefined;
}

const fileTooLarge = (maxBytes: number) => new HttpError(413, `The file is larger than ${describeBytes(maxBytes)}`);

/** A size as people say it: 100 MB, 1.5 KB, 700 bytes (1 KB = 1024 bytes, as file managers count). */
function describeBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let unit = 0;
  while (bytes >= 1024 ** (unit + 1) && unit < units.length - 1) unit++;
  const value = bytes / 1024 ** unit;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

export interface UploadRouterOptions {
  inventory: InventoryService;
  images: ImageStorage;
  publicBaseUrl: string;
  maxUploadBytes: number;
  uploadIdleTimeoutMs: number;
}

export function uploadRouter(options: UploadRouterOptions): Router {
  const { inventory, images, maxUploadBytes } = options;
  const router = Router({ mergeParams: true, strict: false });
  router
    .route('/')
    .post(async (req, res) => {
      const id = parseItemId((req.params as { id: string }).id);
      const tooLarge = declaredSizeError(req, maxUploadBytes);
      if (tooLarge) throw tooLarge;
      // The file is no larger than the body, nor than the limit: what decides how it is sent to S3.
      const atMostBytes = Math.min(declaredBodyBytes(req) ?? Infinity, maxUploadBytes);
      // A client that leaves while its upload waits for a turn gives its turn up.
      const left = new AbortController();
      req.once('close', () => left.abort(new HttpError(400, 'Client closed the connection during the upload')));
      const item = await inventory.attachImage(id, (keyStem, abandon) =>
        images.store(keyStem, { atMostBytes, signal: AbortSignal.any([abandon, left.signal]) }, (save) =>
          receiveSingleFile(
            req,
            { field: IMAGE_FIELD, maxBytes: maxUploadBytes, idleTimeoutMs: options.uploadIdleTimeoutMs, abandon },
            save,
          ),
        ),
      );
      req.log.info({ itemId: id, key: item.image_key }, 'image stored');
      res.json(toPublicItem(item, options.publicBaseUrl));
    })
    .all(methodNotAllowed('POST'));
  return router;
}

interface SingleFileOptions {
  field: string;
  maxBytes: number;
  /** A client that sends nothing for this long is answered 408 and its upload abandoned. */
  idleTimeoutMs: number;
  /** Aborting it abandons the upload with the signal's reason (the item turned out not to exist, say). */
  abandon?: AbortSignal;
}

/**
 * Streams the one file of `options.field` to `consume` and resolves with what it resolves with. The request
 * can still fail after `consume` succeeded (a second file, a malformed tail): undoing what it did is then the
 * consumer's part (ImageStorage.store does).
 *
 * A small state machine: the request is receiving until it settles, once, in `settle`. It succeeds when both
 * the consumer is done with the file and the whole body parsed; it fails on the first problem of either, and
 * from then on nothing else counts.
 */
function receiveSingleFile<T>(req: IncomingMessage, options: SingleFileOptions, consume: (file: Readable) => Promise<T>): Promise<T> {
  const { field, maxBytes } = options;

  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // busboy reports a file that reaches fileSize exactly as over it: one byte more lets a file of exactly
        // maxBytes through, and a 'limit' means the file really has more.
        limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: 64 * 1024, parts: 21, headerPairs: 20 },
      });
    } catch (err) {
      const isMultipart = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
      reject(
        isMultipart
          ? new HttpError(400, `Malformed multipart body: ${(err as Error).message}`)
          : new HttpError(415, `Send the image as multipart/form-data in a field named ${field}`),
      );
      return;
    }

    const state: {
      settled: boolean;
      file?: Readable;
      consumed?: { result: T };
      parsed: boolean;
    } = { settled: false, parsed: false };

    const stopIdleTimer = () => {
      req.socket?.setTimeout(0); // the socket may be gone already
      req.off('timeout', onIdle);
    };

    const settle = (outcome: { result: T } | { error: unknown }) => {
      if (state.settled) return;
      state.settled = true;
      stopIdleTimer();
      options.abandon?.removeEventListener('abort', onAbandon);
      if ('result' in outcome) return resolve(outcome.result);
      const { error } = outcome;
      state.file?.destroy(error instanceof Error ? error : undefined); // the consumer sees the cause and aborts
      req.unpipe(parser);
      if (!(error instanceof HttpError && error.status === 408)) req.resume(); // drain, so Node can answer and reuse the socket
      reject(error);
    };
    const fail = (error: unknown) => settle({ error });
    const succeedIfDone = () => {
      if (state.parsed && state.consumed) settle(state.consumed);
    };

    const onIdle = () => fail(new HttpError(408, `Upload stalled for more than ${options.idleTimeoutMs} ms`));
    req.setTimeout(options.idleTimeoutMs, onIdle);
    const onAbandon = () => fail(options.abandon!.reason);
    if (options.abandon?.aborted) return onAbandon();
    options.abandon?.addEventListener('abort', onAbandon, { once: true });

    const streamFailure = (err: Error) =>
      req.destroyed && !req.complete
        ? new HttpError(400, 'Client closed the connection during the upload')
        : new HttpError(400, `Malformed multipart body: ${err.message}`);

    parser.on('file', (name, source) => {
      if (name !== field) {
        source.resume();
        fail(new HttpError(400, `Unexpected file field "${name}": send the image as ${field}`));
        return;
      }
      state.file = source;
      // busboy destroys the file stream with the parse error (truncated body, client gone); without a listener
      // that error would be thrown as an uncaught exception and take the process down.
      source.on('error', (err) => fail(err instanceof HttpError ? err : streamFailure(err)));
      source.on('limit', () => fail(fileTooLarge(maxBytes)));
      consume(source).then((result) => {
        state.consumed = { result };
        succeedIfDone();
      }, fail);
    });
    parser.on('filesLimit', () => fail(new HttpError(400, `Send exactly one file, in ${field}`)));
    parser.on('partsLimit', () => fail(new HttpError(400, 'Too many parts in the multipart body')));
    parser.on('fieldsLimit', () => fail(new HttpError(400, 'Too many fields in the multipart body')));
    parser.on('error', (err: Error) => fail(streamFailure(err)));
    parser.on('close', () => {
      if (!state.file && !parser.errored) fail(new HttpError(400, `Missing file field ${field}`));
    });

    pipeline(req, parser, (err) => {
      if (err) return fail(streamFailure(err));
      state.parsed = true;
      // The client has sent everything: what remains (the commit, the thumbnails) is bounded by S3's deadlines.
      stopIdleTimer();
      succeedIfDone();
    });
  });
}
