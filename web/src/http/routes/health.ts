import { Router } from 'express';
import type { InventoryStore } from '../../inventory/store';
import { describeS3Failure } from '../../s3/errors';

/** Readiness never waits on S3 longer than this: a probe must get an answer in time to act on it. */
export const READINESS_TIMEOUT_MS = 2_000;

export function healthRouter(options: {
  store: InventoryStore;
  bucket: string;
  isShuttingDown: () => boolean;
  /** Told each answer of the bucket (true) or failure (false); awaited before the probe answers ready. */
  onBucketCheck?: (answered: boolean) => Promise<void> | void;
}): Router {
  const router = Router();

  // Liveness: the process answers. Never depends on S3, so an S3 outage does not restart the app.
  router.get('/healthcheck', (_req, res) => {
    res.json({ status: 'online' });
  });

  // Readiness: worth sending traffic to, i.e. the bucket answers and we are not draining.
  router.get('/readyz', async (req, res) => {
    if (options.isShuttingDown()) {
      res.status(503).json({ status: 'unavailable', reason: 'shutting down' });
      return;
    }
    try {
      await options.store.checkBucket(READINESS_TIMEOUT_MS);
    } catch (err) {
      await options.onBucketCheck?.(false);
      const reason = describeS3Failure(err, options.bucket);
      req.log.warn({ err }, 'not ready');
      res.status(503).json({ status: 'unavailable', reason });
      return;
    }
    await options.onBucketCheck?.(true);
    res.json({ status: 'ready' });
  });

  return router;
}
