import { pino } from 'pino';
import { loadConfig } from '../../web/src/config';
import type { UploadTuning } from '../../web/src/images/upload';
import { startServer, type RunningServer } from '../../web/src/server';
import type { TestS3 } from './s3';

/** Small parts so multipart behaviour (several parts, aborts between parts) shows with small files. */
export const TEST_TUNING: UploadTuning = { partSize: 5 * 1024 * 1024, queueSize: 2 };

/** Starts the real app (config parsing included) against a bucket of the test S3 server, on a free port. */
export function startTestApp(s3: TestS3, bucket: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    S3_BUCKET: bucket,
    S3_ENDPOINT: s3.endpoint,
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer(config, { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), uploadTuning: TEST_TUNING, host: '127.0.0.1' });
}
