import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import type { UploadTuning } from './images/upload';
import { InventoryStore } from './inventory/store';
import { createS3Client } from './s3/client';

export interface RunningServer {
  server: Server;
  url: string;
  store: InventoryStore;
  /** Stops accepting connections, lets in-flight requests (uploads) finish, then cuts the rest after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  uploadTuning?: UploadTuning;
  host?: string;
}

/** Builds the S3 client, store and app, seeds an empty inventory, and listens on config.port. */
export async function startServer(config: AppConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const s3 = createS3Client(config);
  const store = new InventoryStore(s3, config.bucket);
  let shuttingDown = false;

  const seeded = await store.seedIfEmpty();
  if (seeded > 0) logger.info({ seeded }, 'inventory was empty: seeded the original items');

  const app = createApp({ config, s3, store, logger, uploadTuning: options.uploadTuning, isShuttingDown: () => shuttingDown });
  const server = createServer(app);
  // Node's 5-minute whole-request limit would cut off a legitimate multi-GB upload on a slow link;
  // a stalled upload is caught by the per-upload idle timeout instead.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

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

  return { server, url, store, close };
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
  const running = await startServer(config).catch((err: unknown) => {
    logger.fatal({ err, bucket: config.bucket, endpoint: config.endpoint }, 'could not start: is the bucket reachable?');
    process.exit(1);
  });
  logger.info({ url: running.url, bucket: config.bucket, publicBaseUrl: config.publicBaseUrl }, 'listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing in-flight requests');
    await running.close();
    await onStopped?.();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return running;
}

if (require.main === module) void main();
