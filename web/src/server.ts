/**
 * The process: builds the S3 client, the bucket, the inventory and the app, listens, and stops gracefully.
 * `main()` is the production entry point (config from the environment, JSON logs, signals, crash handlers).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { errorBody } from './http/errors';
import { closeAfterAnswer } from './http/lingering-close';
import { refusalBeforeBody } from './http/routes/upload';
import { ImageStorage } from './images/storage';
import { InventoryService } from './inventory/service';
import { InventoryStore } from './inventory/store';
import { Bucket, type UploadTuning } from './s3/bucket';
import { createS3Client } from './s3/client';
import { describeS3Failure } from './s3/errors';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting connections, lets in-flight requests (uploads) finish, then cuts the rest after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  uploadTuning?: UploadTuning;
  host?: string;
  /** See InventoryServiceOptions.orphanGraceMs. */
  orphanGraceMs?: number;
  /** See InventoryStoreOptions.relistAfterMs. */
  relistAfterMs?: number;
  /** See InventoryStoreOptions.indexIntervalMs. */
  indexIntervalMs?: number;
}

/** Builds everything, seeds an empty inventory, and listens on config.port. */
export async function startServer(config: AppConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const s3 = createS3Client({ ...config, socketTimeoutMs: config.s3TimeoutMs });
  const bucket = new Bucket(s3, config.bucket, config.s3TimeoutMs);
  const store = new InventoryStore(bucket, { relistAfterMs: options.relistAfterMs, indexIntervalMs: options.indexIntervalMs });
  const images = new ImageStorage(bucket, options.uploadTuning, logger);
  const inventory = new InventoryService(store, bucket, { logger, orphanGraceMs: options.orphanGraceMs });
  let shuttingDown = false;

  // A bucket that is missing or unreachable at start is not fatal: the app serves, /readyz says what is wrong,
  // and the seeding is tried again once readiness sees the bucket answer. The same after the bucket went away
  // while the app ran (LocalStack keeps nothing across a restart): it comes back empty, and is seeded again.
  let seeded = false;
  const seed = async () => {
    try {
      const count = await store.seedIfEmpty();
      seeded = true;
      if (count > 0) logger.info({ seeded: count }, 'inventory was empty: seeded the original items');
    } catch (err) {
      logger.error(
        { err, bucket: config.bucket, endpoint: config.endpoint },
        `cannot use the bucket yet: ${describeS3Failure(err, config.bucket)}`,
      );
    }
  };
  let seeding: Promise<void> | undefined;
  const onBucketCheck = (answered: boolean) => {
    if (!answered) seeded = false;
    else if (!seeded) seeding ??= seed().finally(() => (seeding = undefined));
    return seeding;
  };
  await seed();

  const app = createApp({
    config,
    inventory,
    store,
    images,
    logger,
    isShuttingDown: () => shuttingDown,
    onBucketCheck,
  });
  const server = createServer(app);
  // Node's whole-request limit would cut off a legitimate multi-GB upload on a slow link: uploads are bounded by
  // their idle timeout, other bodies by REQUEST_BODY_TIMEOUT_MS (both in the app).
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  // `Expect: 100-continue`: refuse an oversize body before the client sends it, instead of inviting it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = refusalBeforeBody(req, config.maxUploadBytes);
    if (!refusal) {
      res.writeContinue();
      app(req, res);
      return;
    }
    logger.info({ method: req.method, url: req.url, status: refusal.status }, 'refused before the body (Expect: 100-continue)');
    const body = JSON.stringify(errorBody(refusal.status, refusal.message));
    closeAfterAnswer(req, res);
    res.writeHead(refusal.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;

  const close = async (timeoutMs = config.shutdownTimeoutMs) => {
    shuttingDown = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      logger.warn({ timeoutMs }, 'shutdown timeout: closing the remaining connections');
      server.closeAllConnections();
    }, timeoutMs);
    await closed;
    clearTimeout(timer);
    s3.destroy();
  };

  return { server, url, close };
}

/** Production entry point: config from the environment, JSON logs, graceful stop on SIGTERM/SIGINT. */
export async function main(onStopped?: () => Promise<void>): Promise<RunningServer> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel });
  const running = await startServer(config, { logger }).catch((err: unknown) => {
    logger.fatal({ err, port: config.port }, 'could not start');
    process.exit(1);
  });
  logger.info({ url: running.url, bucket: config.bucket, publicBaseUrl: config.publicBaseUrl }, 'listening');

  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing in-flight requests');
    await running.close().catch((err: unknown) => logger.error({ err }, 'error while closing'));
    await onStopped?.();
    logger.info('stopped');
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  // A bug that escapes every handler: log it through pino (where the logs are collected), stop taking
  // requests, let the others finish, and exit non-zero so the supervisor restarts a clean process.
  const crash = (err: unknown, origin: string) => {
    logger.fatal({ err, origin }, 'crashed');
    void stop(origin, 1);
  };
  process.on('uncaughtException', (err) => crash(err, 'uncaughtException'));
  process.on('unhandledRejection', (err) => crash(err, 'unhandledRejection'));
  return running;
}

if (require.main === module) void main();
