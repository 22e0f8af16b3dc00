/**
 * The Express app: where a request goes. Middleware (request ids and logs, security headers, the cross-site
 * guard), the upload route, the slow-body guard, then the other routes and the error handler. No I/O happens
 * here.
 */
import express from 'express';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from './config';
import { errorHandler, notFoundHandler } from './http/errors';
import { bodyDeadline, refuseCrossSiteWrites } from './http/request-guards';
import { healthRouter } from './http/routes/health';
import { inventoryRouter } from './http/routes/inventory';
import { IMAGE_FIELD, UPLOAD_PATH, uploadRouter } from './http/routes/upload';
import { securityHeaders } from './http/security-headers';
import { ALLOWED_MIME_TYPES, type ImageStorage } from './images/storage';
import type { InventoryService } from './inventory/service';
import type { InventoryStore } from './inventory/store';

export interface AppDependencies {
  config: AppConfig;
  inventory: InventoryService;
  store: InventoryStore;
  images: ImageStorage;
  logger: Logger;
  isShuttingDown?: () => boolean;
  /** Told whether the bucket answered each readiness check (the server seeds an empty inventory when it comes back). */
  onBucketCheck?: (answered: boolean) => Promise<void> | void;
}

const PUBLIC_DIR = path.join(__dirname, '..', 'public');
const REQUEST_ID = /^[\w.-]{1,128}$/;
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
  app.use(securityHeaders(config.publicBaseUrl));
  app.use(refuseCrossSiteWrites);
  // Before the whole-body deadline: uploads are bounded by their idle timeout instead (a large file legitimately
  // takes long).
  app.use(
    UPLOAD_PATH,
    uploadRouter({
      inventory: deps.inventory,
      images: deps.images,
      publicBaseUrl: config.publicBaseUrl,
      maxUploadBytes: config.maxUploadBytes,
      uploadIdleTimeoutMs: config.uploadIdleTimeoutMs,
    }),
  );
  app.use(bodyDeadline(config.requestBodyTimeoutMs));

  app.use(
    healthRouter({
      store: deps.store,
      bucket: config.bucket,
      isShuttingDown: deps.isShuttingDown ?? (() => false),
      onBucketCheck: deps.onBucketCheck,
    }),
  );

  // What the browser UI needs to check a file before sending it.
  app.get('/config.json', (_req, res) => {
    res.json({ maxUploadBytes: config.maxUploadBytes, allowedTypes: ALLOWED_MIME_TYPES, imageField: IMAGE_FIELD });
  });

  app.use('/inventory', inventoryRouter({ inventory: deps.inventory, publicBaseUrl: config.publicBaseUrl }));

  app.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '1h' }));
  app.use(notFoundHandler);
  app.use(errorHandler(config.bucket));
  return app;
}
