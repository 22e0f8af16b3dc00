import { Router } from 'express';
import type { InventoryStore } from '../inventory/store';

export function healthRouter(store: InventoryStore, isShuttingDown: () => boolean): Router {
  const router = Router();

  // Liveness: the process answers. Never depends on S3, so an S3 outage does not restart the app.
  router.get('/healthcheck', (_req, res) => {
    res.json({ status: 'online' });
  });

  // Readiness: worth sending traffic to, i.e. the bucket answers and we are not draining.
  router.get('/readyz', async (req, res) => {
    if (isShuttingDown()) {
      res.status(503).json({ status: 'unavailable', reason: 'shutting down' });
      return;
    }
    try {
      await store.checkBucket();
      res.json({ status: 'ready' });
    } catch (err) {
      const reason = `bucket check failed: ${(err as Error).name}: ${(err as Error).message || 'no message'}`;
      req.log.warn({ err }, 'not ready');
      res.status(503).json({ status: 'unavailable', reason });
    }
  });

  return router;
}
