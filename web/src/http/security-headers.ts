/**
 * Security headers (helmet), with a Content-Security-Policy that works wherever the app is served:
 * `upgrade-insecure-requests` only when the page itself came over HTTPS. Over plain HTTP from another host
 * (a VM's address, a LAN IP) it would make the browser fetch the page's own script, style and thumbnails over
 * https, and the page would stay blank.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(publicBaseUrl: string): RequestHandler {
  const forScheme = (https: boolean) =>
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Thumbnails come straight from the bucket, so its origin must be allowed; blob: for local previews.
          'img-src': ["'self'", 'data:', 'blob:', new URL(publicBaseUrl).origin],
          'connect-src': ["'self'"],
          'upgrade-insecure-requests': https ? [] : null,
        },
      },
      // The bucket is another origin; without this, Chromium blocks thumbnails under COEP/CORP rules.
      crossOriginEmbedderPolicy: false,
      // Browsers ignore HSTS and COOP on an untrustworthy (plain-HTTP, non-localhost) origin, and Chromium logs
      // an error for COOP: send them only where they mean something.
      strictTransportSecurity: https,
      crossOriginOpenerPolicy: https,
    });
  const overHttps = forScheme(true);
  const overHttp = forScheme(false);
  return (req, res, next) => (req.secure ? overHttps : overHttp)(req, res, next);
}
