import { pino } from 'pino';
import { loadConfig } from '../../web/src/config';
import type { UploadTuning } from '../../web/src/s3/bucket';
import { startServer, type RunningServer, type StartOptions } from '../../web/src/server';
import { startTestS3, type TestS3 } from './s3';

/**
 * Small parts, and single requests only up to 8 MiB, so multipart behaviour (several parts, aborts between
 * parts) shows with files of 10 MiB; both ways of sending a file are tested in upload-requests.spec.ts.
 */
export const TEST_TUNING: UploadTuning = {
  partSize: 5 * 1024 * 1024,
  singleRequestMaxBytes: 8 * 1024 * 1024,
  partsInFlight: 4,
  partsPerUpload: 2,
  streams: 4,
};

/**
 * Starts the real app (config parsing included) against a bucket of an S3 server, on a free loopback port.
 * `env` overrides the app's environment; `options` the process-level ones.
 */
export function startTestApp(
  s3: { endpoint: string },
  bucket: string,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    S3_BUCKET: bucket,
    S3_ENDPOINT: s3.endpoint,
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer(config, {
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    uploadTuning: TEST_TUNING,
    host: '127.0.0.1',
    ...options,
  });
}

/**
 * The usual set-up of an app spec, as mocha hooks: one s3rver for the suite, and for each test a fresh bucket
 * and an app on it. Read the fields inside tests (they are set by the hooks).
 */
export function appPerTest(bucketPrefix: string, env: Record<string, string> = {}): { s3: TestS3; bucket: string; app: RunningServer } {
  const fixture = {} as { s3: TestS3; bucket: string; app: RunningServer };
  before(async () => {
    fixture.s3 = await startTestS3();
  });
  after(async () => {
    await fixture.s3?.stop();
  });
  beforeEach(async () => {
    fixture.bucket = await fixture.s3.createBucket(bucketPrefix);
    fixture.app = await startTestApp(fixture.s3, fixture.bucket, env);
  });
  afterEach(async () => {
    await fixture.app?.close(1000);
  });
  return fixture;
}
