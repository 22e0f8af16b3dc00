import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EMBEDDED_S3_CREDENTIALS, ensureBucket, startEmbeddedS3, type EmbeddedS3 } from '../../web/src/dev/embedded-s3';
import { createS3Client } from '../../web/src/s3/client';

export interface TestS3 {
  embedded: EmbeddedS3;
  endpoint: string;
  s3: S3Client;
  directory: string;
  /** A fresh bucket per test keeps tests independent without restarting the server. */
  createBucket(prefix?: string): Promise<string>;
  keys(bucket: string, prefix?: string): Promise<string[]>;
  stop(): Promise<void>;
}

let bucketCounter = 0;

/** A real S3 server (s3rver) over HTTP in its own process, on a free port, with data in a temp folder. */
export async function startTestS3(): Promise<TestS3> {
  // The app reads credentials from the SDK's default chain; s3rver accepts only its fixed dummy pair.
  process.env.AWS_ACCESS_KEY_ID = EMBEDDED_S3_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = EMBEDDED_S3_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = 'us-east-1';
  const directory = await mkdtemp(path.join(tmpdir(), 'image-bucket-s3-'));
  const embedded = await startEmbeddedS3({ port: 0, directory });
  const s3 = createS3Client({ region: 'us-east-1', endpoint: embedded.endpoint, forcePathStyle: true });
  return {
    embedded,
    endpoint: embedded.endpoint,
    s3,
    directory,
    async createBucket(prefix = 'test') {
      const bucket = `${prefix}-${process.pid}-${++bucketCounter}`;
      await ensureBucket(s3, bucket);
      return bucket;
    },
    async keys(bucket, prefix = '') {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (page.Contents ?? []).map((o) => o.Key!).sort();
    },
    async stop() {
      s3.destroy();
      await embedded.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
