/**
 * What an upload request is, decided in one place: which requests are uploads, the field that carries the
 * file, and what is refused before a body is read. app.ts exempts uploads from the whole-body deadline (their
 * idle timeout bounds them instead), server.ts asks here before answering `Expect: 100-continue`, and the
 * inventory routes read the field and the JSON limit from here.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';
import { declaredSizeError, describeBytes } from './multipart';

/** The multipart field of POST /inventory/:id/image, as the original Flask app named it. */
export const IMAGE_FIELD = 'image_file';
/** The largest JSON body of POST /inventory (an item is a few hundred bytes). */
export const JSON_BODY_LIMIT_BYTES = 16 * 1024;

export const isUploadRequest = (method: string | undefined, url: string | undefined) =>
  method === 'POST' && /^\/inventory\/[^/?]+\/image\/?(\?|$)/.test(url ?? '');

/** The refusal a request gets from its headers alone (its declared size), before its body is invited or read. */
export function refusalBeforeBody(req: IncomingMessage, maxUploadBytes: number): HttpError | undefined {
  if (isUploadRequest(req.method, req.url)) return declaredSizeError(req, maxUploadBytes);
  return Number(req.headers['content-length']) > JSON_BODY_LIMIT_BYTES
    ? new HttpError(413, `The request body is larger than ${describeBytes(JSON_BODY_LIMIT_BYTES)}`)
    : undefined;
}
