import type { S3Client } from '@aws-sdk/client-s3';
import express from 'express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from './config';
import { errorHandler, notFoundHandler } from './http/errors';
import { ALLOWED_MIME_TYPES } from './images/sniff';
import { IMAGE_FIELD, type UploadTuning } from './images/upload';
import type { InventoryStore } from './inventory/store';
import { healthRouter } from './routes/health';
import { inventoryRouter } from './routes/inventory';

export interface AppDependencies {
  config: AppConfig;
  s3: S3Client;
  store: InventoryStore;
  logger: Logger;
  uploadTuning?: UploadTuning;
  isShuttingDown?: () => boolean;
}

const PUBLIC_DIR = path.join(__dirname, '..', 'public');
const REQUEST_ID = /^[\w.-]{1,128}$/;

/** Wires middleware and routes. No I/O happens here, which keeps the app easy to start in tests. */
export function createApp(deps: AppDependencies): express.Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use(
    pinoHttp({
      logger,
      // Reuse a proxy's request id so one upload can be followed across hops.
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthcheck' },
      // Headers can carry cookies or signed URLs; the request id, method and path are enough to follow a request.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Thumbnails come straight from the bucket, so its origin must be allowed; blob: for local previews.
          'img-src': ["'self'", 'data:', 'blob:', new URL(config.publicBaseUrl).origin],
          'connect-src': ["'self'"],
        },
      },
      // The bucket is another origin; without this, Chromium blocks thumbnails under COEP/CORP rules.
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.use(healthRouter(deps.store, deps.isShuttingDown ?? (() => false)));

  // What the browser UI needs to check a file before sending it.
  app.get('/config.json', (_req, res) => {
    res.json({ maxUploadBytes: config.maxUploadBytes, allowedTypes: ALLOWED_MIME_TYPES, imageField: IMAGE_FIELD });
  });

  app.use(
    '/inventory',
    inventoryRouter({
      store: deps.store,
      s3: deps.s3,
      bucket: config.bucket,
      publicBaseUrl: config.publicBaseUrl,
      maxUploadBytes: config.maxUploadBytes,
      uploadIdleTimeoutMs: config.uploadIdleTimeoutMs,
      uploadTuning: deps.uploadTuning,
    }),
  );

  app.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '1h' }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
