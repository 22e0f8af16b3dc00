import type { ErrorRequestHandler, RequestHandler } from 'express';
import { STATUS_CODES } from 'node:http';

/**
 * An error whose message is safe to show to the client. The body keeps the original Flask API's
 * shape: `{"error": "<reason phrase>", "message": "<what to fix>"}`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(status: number, message: string) {
  return { error: STATUS_CODES[status] ?? 'Error', message };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `No route for ${req.method} ${req.path}`));
};

/** Translates anything thrown into JSON; unknown errors become a 500 without internals. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const status = httpStatusOf(err);
  const message = clientMessage(err, status);
  if (status >= 500) req.log?.error({ err }, 'request failed');
  else req.log?.info({ status, reason: message }, 'request rejected');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status).json(errorBody(status, message));
};

/** What the client may read: our own messages, client errors' messages, never a server error's internals. */
function clientMessage(err: any, status: number): string {
  if (err instanceof HttpError) return err.message;
  if (status === 400 && err?.type === 'entity.parse.failed') return 'Request body is not valid JSON';
  if (status < 500) return String(err?.message ?? 'Bad request');
  if (status === 503) return 'Image storage is unreachable; try again shortly';
  if (status === 502) return `Image storage refused the request (${String(err?.name ?? 'error')})`;
  return 'Internal server error';
}

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

function httpStatusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  // S3 unreachable: the client may retry later. S3 answered with an error: a bad gateway.
  const code = (err as { code?: unknown })?.code;
  const name = (err as { name?: unknown })?.name;
  if ((typeof code === 'string' && NETWORK_ERRORS.has(code)) || name === 'TimeoutError') return 503;
  if (typeof err === 'object' && err !== null && '$metadata' in err) return 502;
  // body-parser and other http-errors style errors carry a client status we can trust.
  const status = (err as { status?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  const expose = (err as { expose?: unknown })?.expose;
  if (typeof status === 'number' && status >= 400 && status < 500 && expose !== false) return status;
  return 500;
}
