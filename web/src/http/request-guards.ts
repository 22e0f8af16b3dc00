/**
 * Guards in front of the routes: refuse state-changing requests from other sites, and bound how long a request
 * body may take (app.ts mounts the upload route before that one: an upload's idle timeout bounds it instead).
 */
import type { RequestHandler } from 'express';
import { errorBody } from './errors';
import { HttpError } from './http-error';
import { closeAfterAnswer } from './lingering-close';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: any web page can make a browser POST a form (or multipart body) here without a
 * preflight. Browsers say where a request comes from: Fetch Metadata's Sec-Fetch-Site (every current browser),
 * and Origin as the fallback. The app's own page is same-origin; curl and scripts send neither header.
 */
export const refuseCrossSiteWrites: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const site = req.get('sec-fetch-site');
  if (site !== undefined) {
    // "none": the user typed or bookmarked it; "same-origin": our own page.
    if (site === 'same-origin' || site === 'none') return next();
    return next(
      new HttpError(403, `Cross-site ${req.method} refused (Sec-Fetch-Site: ${site}); use the app's own page or a non-browser client`),
    );
  }
  const origin = req.get('origin');
  if (origin === undefined) return next();
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host !== undefined && host === req.get('host')) return next();
  next(new HttpError(403, `Cross-site ${req.method} refused (Origin: ${origin}); use the app's own page or a non-browser client`));
};

/**
 * A body that is not complete within `ms` of the request's start is answered 408 and the connection closed
 * (a slow-drip client would otherwise hold a socket and a handler forever). The answer is sent from here,
 * since the handler is still waiting for the body.
 */
export function bodyDeadline(ms: number): RequestHandler {
  return (req, res, next) => {
    if (req.complete) return next();
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) return;
      req.log?.info({ status: 408 }, 'request body too slow');
      closeAfterAnswer(req, res);
      res.status(408).json(errorBody(408, `The request body did not arrive within ${ms} ms`));
    }, ms);
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    res.once('close', clear);
    next();
  };
}
