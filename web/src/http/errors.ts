/**
 * Every failure becomes JSON in the original Flask API's shape, `{"error": "<reason phrase>", "message": "<what
 * to fix>"}`, with the status that says who should act: the client (4xx), S3 (502, 503, 504), or us (500).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { STATUS_CODES } from 'node:http';
import {
  ConflictError,
  ImageTooLargeError,
  IncompleteUploadError,
  InvalidInputError,
  NotFoundError,
  UnsupportedImageError,
} from '../errors';
import { describeS3Failure, s3FailureKind, type S3FailureKind } from '../s3/errors';
import { HttpError } from './http-error';
import { closeAfterAnswer } from './lingering-close';

export function errorBody(status: number, message: string) {
  return { error: STATUS_CODES[status] ?? 'Error', message };
}

const DOMAIN_STATUS = new Map<abstract new (...args: never[]) => Error, number>([
  [InvalidInputError, 400],
  [NotFoundError, 404],
  [ConflictError, 409],
  [UnsupportedImageError, 415],
  [ImageTooLargeError, 422],
  [IncompleteUploadError, 500],
]);

const S3_STATUS: Record<S3FailureKind, number> = {
  timeout: 504,
  unreachable: 503,
  'missing-bucket': 503,
  // Only escapes when retries ran out; the service turns it into a ConflictError before that.
  'precondition-failed': 409,
  refused: 502,
};

export function httpStatusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  const domain = err instanceof Error ? DOMAIN_STATUS.get(err.constructor as new () => Error) : undefined;
  if (domain) return domain;
  const kind = s3FailureKind(err);
  if (kind) return S3_STATUS[kind];
  // body-parser and other http-errors style errors carry a client status we can trust.
  const status = (err as { status?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  const expose = (err as { expose?: unknown })?.expose;
  if (typeof status === 'number' && status >= 400 && status < 500 && expose !== false) return status;
  return 500;
}

/** What the client may read: our own messages, client errors' messages, never a server error's internals. */
export function clientMessage(err: unknown, status: number, bucket: string): string {
  if (err instanceof HttpError || (err instanceof Error && DOMAIN_STATUS.has(err.constructor as new () => Error)))
    return (err as Error).message;
  if (status === 400 && (err as { type?: unknown })?.type === 'entity.parse.failed') return 'Request body is not valid JSON';
  if (status < 500) return String((err as { message?: unknown })?.message ?? 'Bad request');
  return describeS3Failure(err, bucket);
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `No route for ${req.method} ${req.path}`));
};

/** A route's fallback for methods it does not serve: 405 with the ones it does. */
export const methodNotAllowed =
  (...allowed: string[]): RequestHandler =>
  (req, _res, next) => {
    const methods = allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed;
    next(
      new HttpError(405, `${req.method} is not supported on ${req.baseUrl}${req.path}; use ${methods.join(', ')}`, {
        Allow: methods.join(', '),
      }),
    );
  };

export function errorHandler(bucket: string): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const status = httpStatusOf(err);
    const message = clientMessage(err, status, bucket);
    if (status >= 500) req.log?.error({ err }, 'request failed');
    else req.log?.info({ status, reason: message }, 'request rejected');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpError) res.set(err.headers);
    if (!req.complete) closeAfterAnswer(req, res);
    res.status(status).json(errorBody(status, message));
  };
}
